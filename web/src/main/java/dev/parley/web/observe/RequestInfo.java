package dev.parley.web.observe;

import io.helidon.webserver.http.ServerRequest;
import io.opentelemetry.api.trace.Span;

/**
 * What the HTTP observer learns about a request from the handler that serves it, kept in the request's context:
 * the ChatKit request type, once {@code /chatkit} has parsed the body. Lets metrics and the access log say
 * {@code threads.create} without parsing the body a second time.
 */
public final class RequestInfo {
    final long startNanos;
    volatile String type;
    volatile Span span;

    RequestInfo(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Records the ChatKit request type of {@code req}; nothing happens when no observer watches requests. */
    public static void type(ServerRequest req, String type) {
        req.context().get(RequestInfo.class).ifPresent(info -> {
            info.type = type;
            Span span = info.span;
            if (span != null) span.updateName("POST /chatkit " + type);
        });
    }

    /** {@return when the observer first saw {@code req} (System.nanoTime), or now when no observer watches} */
    public static long started(ServerRequest req) {
        return req.context().get(RequestInfo.class).map(info -> info.startNanos).orElseGet(System::nanoTime);
    }
}
