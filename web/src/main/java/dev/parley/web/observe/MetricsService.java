package dev.parley.web.observe;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format.
 *
 * <pre>{@code
 * curl -s http://localhost:8080/metrics -H "Authorization: Bearer $PARLEY_ADMIN_TOKEN"
 * curl -s http://localhost:9464/metrics          # with PARLEY_METRICS_PORT=9464: the management port, no token
 * }</pre>
 *
 * <p>On the main port it sits behind the admin token (the {@code guard}); on the management port there is no
 * token, and that port should be reachable by the Prometheus server only.
 */
public final class MetricsService implements HttpService {
    public static final String PATH = "/metrics";

    private final Metrics metrics;
    private final BiConsumer<ServerRequest, ServerResponse> guard;

    /** @param guard checks the caller before anything is written (throws to refuse); a no-op on the management port */
    public MetricsService(Metrics metrics, BiConsumer<ServerRequest, ServerResponse> guard) {
        this.metrics = metrics;
        this.guard = guard;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        guard.accept(req, res);
        res.header(HeaderNames.CONTENT_TYPE, metrics.contentType());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        try (OutputStream out = res.outputStream()) {
            metrics.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing /metrics failed", e);
        }
    }
}
