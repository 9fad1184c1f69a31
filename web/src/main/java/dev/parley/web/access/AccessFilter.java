package dev.parley.web.access;

import dev.parley.web.config.AccessConfig;
import dev.parley.web.config.OriginPattern;
import dev.parley.web.http.HttpError;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first thing every request meets: CORS for the sites allowed to embed Parley, refusal of browser calls
 * from other sites, and the per-address rate limit.
 *
 * <p>A browser call carries {@code Origin}. When that origin is this server's own, or one of
 * {@code PARLEY_ALLOWED_ORIGINS} (wildcard subdomains allowed), the response grants it (and answers preflights);
 * otherwise API calls are refused with 403, so another site's page cannot even spend a visitor's cookie on the
 * session route. The widget script and the demo page are public: any site may load them.
 */
public final class AccessFilter implements Filter {
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Accept-Language, chatkit-frame-instance-id, "
            + "traceparent, tracestate, X-Request-Id";
    static final String ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

    private final AccessConfig access;
    /** Parsed once: every browser request with an {@code Origin} header is compared with them. */
    private final List<OriginPattern> origins;
    private final List<String> apiRoots;
    private final RateLimiter perAddress;

    /**
     * @param apiRoots the paths under which the chat API lives (each one and everything below it); the wiring
     *                 names them, so this filter need not know the routes
     */
    public AccessFilter(AccessConfig access, List<String> apiRoots) {
        this.access = access;
        this.origins = access.originPatterns();
        this.apiRoots = List.copyOf(apiRoots);
        this.perAddress = new RateLimiter(access.ipRatePerMinute());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        boolean api = isApi(path);
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !origin.get().equals("null") && !sameOrigin(req, origin.get())) {
            if (OriginPattern.anyMatches(origins, origin.get())) {
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
                res.header(HeaderNames.VARY, "Origin");
                if (req.prologue().method() == Method.OPTIONS
                        && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                    res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
                    res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
                    res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
                    res.status(204).send();
                    return;
                }
            } else if (api) {
                String refusal = "Pages on " + origin.get() + " may not call this server; add the origin to "
                        + "PARLEY_ALLOWED_ORIGINS to allow it";
                // A preflight stays ungranted. An actual request's refusal is readable by the page (and only the
                // refusal: it carries nothing else), so the widget can say why it cannot chat instead of
                // reporting a network failure.
                if (req.prologue().method() == Method.OPTIONS) throw new HttpError(403, "origin_not_allowed", refusal);
                throw new HttpError(403, "origin_not_allowed", refusal, Map.of("Access-Control-Allow-Origin",
                        origin.get(), "Access-Control-Allow-Credentials", "true", "Vary", "Origin"));
            }
        }
        if (api && req.prologue().method() != Method.OPTIONS && req.prologue().method() != Method.GET) {
            long wait = perAddress.acquire(ClientAddress.of(req, access.trustProxy()));
            if (wait > 0) {
                throw new HttpError(429, "rate_limited", "Too many requests from your address (limit "
                        + perAddress.perMinute() + " per minute); try again in " + wait + " s",
                        Map.of("Retry-After", Long.toString(wait)));
            }
        }
        chain.proceed();
    }

    /** The chat API, the session route and uploads; not the widget files, the demo page or health checks. */
    private boolean isApi(String path) {
        for (String root : apiRoots) {
            if (path.equals(root) || path.startsWith(root + "/")) return true;
        }
        return false;
    }

    private static boolean sameOrigin(RoutingRequest req, String origin) {
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        return origin.equals("http://" + host) || origin.equals("https://" + host);
    }
}
