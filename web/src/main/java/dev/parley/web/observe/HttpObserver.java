package dev.parley.web.observe;

import dev.parley.web.http.HttpError;
import dev.parley.web.logs.LogContext;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The first filter of every request: gives it a request id ({@code X-Request-Id}, the caller's when it sent a
 * plausible one), opens its server span (a child of an incoming W3C {@code traceparent}), and once it is answered
 * counts it, ends the span and writes the access log line: method, path (never the query, which may carry signed
 * links), status, duration, ChatKit request type and request id; never a header.
 */
final class HttpObserver implements Filter {
    private static final System.Logger ACCESS = System.getLogger("dev.parley.access");
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final HeaderName TRACESTATE = HeaderNames.create("tracestate");
    private static final Pattern PLAUSIBLE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> REQUEST_TYPE = AttributeKey.stringKey("parley.chatkit.request_type");
    static final AttributeKey<String> REQUEST_ID_KEY = AttributeKey.stringKey("parley.request.id");

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> names = new ArrayList<>();
            carrier.forEach(h -> names.add(h.name()));
            return names;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) return null;
            HeaderName name = switch (key) {
                case "traceparent" -> TRACEPARENT;
                case "tracestate" -> TRACESTATE;
                default -> HeaderNames.create(key);
            };
            return carrier.first(name).orElse(null);
        }
    };

    private final Metrics metrics;
    private final Tracing tracing;
    private final boolean accessLog;

    HttpObserver(Metrics metrics, Tracing tracing, boolean accessLog) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.accessLog = accessLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = req.path().path();
        String method = req.prologue().method().text();
        Route route = Route.of(path);
        String requestId = req.headers().first(REQUEST_ID).filter(id -> PLAUSIBLE_ID.matcher(id).matches())
                .orElseGet(HttpObserver::newId);
        res.header(REQUEST_ID, requestId);
        RequestInfo info = RequestInfo.enter(start);
        Span span = null;
        Scope scope = null;
        if (tracing != null) {
            Context parent = Tracing.propagator().extract(Context.root(), req.headers(), HEADERS);
            span = tracing.tracer().spanBuilder(method + " " + route.template).setParent(parent)
                    .setSpanKind(SpanKind.SERVER).setAttribute(METHOD, method).setAttribute(ROUTE, route.template)
                    .setAttribute(PATH, path).setAttribute(REQUEST_ID_KEY, requestId).startSpan();
            scope = span.makeCurrent();
            info.span = span;
        }
        LogContext logBefore = LogContext.enterRequest(requestId);
        RuntimeException failure = null;
        try {
            chain.proceed();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            int status = failure == null ? res.status().code() : statusOf(failure);
            long took = System.nanoTime() - start;
            String type = info.type == null ? "" : info.type;
            if (metrics != null) {
                if (route == Route.CHATKIT && status == 200) metrics.chatkitOk.get(type).inc();
                else metrics.httpRequests.labelValues(route.label, type, Integer.toString(status)).inc();
                metrics.httpDurationBy.get(route.label).observe(Metrics.seconds(took));
                // Every 429 Parley sends is a rate limit's (per user, per address, admin-token failures).
                if (status == 429) metrics.rateLimited.labelValues(route.label).inc();
            }
            // While the request's span is still current, so a JSON line carries its trace id.
            if (accessLog && ACCESS.isLoggable(System.Logger.Level.INFO)) {
                ACCESS.log(System.Logger.Level.INFO, method + " " + path + " " + status + " "
                        + millis(took) + " ms" + (type.isEmpty() ? "" : " " + type)
                        + " request_id=" + requestId);
            }
            if (span != null) {
                span.setAttribute(STATUS, (long) status);
                if (!type.isEmpty()) span.setAttribute(REQUEST_TYPE, type);
                if (status >= 500) span.setStatus(StatusCode.ERROR);
                span.end();
                scope.close();
            }
            LogContext.restore(logBefore);
            RequestInfo.leave();
        }
    }

    /**
     * What the error handler will answer for a failure thrown past this filter. A client that went away mid-stream
     * is 499, nginx's "client closed request": its response had begun as a 200, and counting it as a 500 made every
     * closed browser tab look like a server error on the dashboards.
     */
    static int statusOf(RuntimeException e) {
        return switch (e) {
            case io.helidon.webserver.ServerConnectionException c -> CLIENT_CLOSED;
            case java.io.UncheckedIOException u -> CLIENT_CLOSED;
            case HttpError h -> h.status();
            case HttpException h -> h.status().code();
            case dev.parley.protocol.InvalidRequestException r -> 400;
            case dev.parley.store.NotFoundException n -> 404;
            case dev.parley.server.ChatKitException c -> c.status();
            default -> 500;
        };
    }

    static final int CLIENT_CLOSED = 499;

    /** Nanoseconds as milliseconds with one decimal, as {@code %.1f} wrote them, without a formatter per request. */
    static String millis(long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return (tenths / 10) + "." + (tenths % 10);
    }

    private static String newId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /** Route groups: a label with a handful of values, and the route template spans are named after. */
    enum Route {
        CHATKIT("chatkit", "/chatkit"),
        ATTACHMENTS("attachments", "/chatkit/attachments/{id}"),
        SESSION("session", "/api/chatkit/session"),
        ADMIN("admin", "/admin/…"),
        CONSOLE("console", "/console/…"),
        HEALTH("health", "/healthz"),
        READY("health", "/readyz"),
        METRICS("metrics", "/metrics"),
        WIDGET("widget", "/widget/…"),
        OTHER("other", "(other)");

        final String label;
        final String template;

        Route(String label, String template) {
            this.label = label;
            this.template = template;
        }

        static Route of(String path) {
            if (path.equals("/chatkit")) return CHATKIT;
            if (path.startsWith("/chatkit/attachments/")) return ATTACHMENTS;
            if (path.startsWith("/api/chatkit/session")) return SESSION;
            if (path.startsWith("/admin/")) return ADMIN;
            if (path.equals("/console") || path.startsWith("/console/")) return CONSOLE;
            if (path.equals("/healthz")) return HEALTH;
            if (path.equals("/readyz")) return READY;
            if (path.equals("/metrics")) return METRICS;
            if (path.equals("/") || path.startsWith("/widget/")) return WIDGET;
            return OTHER;
        }
    }
}
