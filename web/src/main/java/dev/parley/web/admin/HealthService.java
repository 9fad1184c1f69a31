package dev.parley.web.admin;

import dev.parley.web.http.ErrorResponses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness for load balancers and container health checks.
 *
 * <pre>{@code
 * curl -s http://localhost:8080/healthz
 * {"status":"ok"}
 * }</pre>
 *
 * <p>The server only starts listening once the store is open, and answers 503 once it is shutting down, so a
 * 200 means requests can be served.
 */
public final class HealthService implements HttpService {
    static final String PATH = "/healthz";

    private final BooleanSupplier ready;

    /** @param ready whether the store is open and requests can be served */
    public HealthService(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        boolean ok = ready.getAsBoolean();
        res.header("Cache-Control", "no-store");
        ErrorResponses.json(res, ok ? 200 : 503, Map.of("status", ok ? "ok" : "stopping"));
    }
}
