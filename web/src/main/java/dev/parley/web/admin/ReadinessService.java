package dev.parley.web.admin;

import dev.parley.web.http.ErrorResponses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Readiness for load balancers and orchestrators: 200 when this server can answer chat turns, 503 with what is
 * wrong when it cannot. {@code /healthz} stays liveness (is the process serving at all); {@code /readyz} also asks
 * the database a question and checks the model provider's configuration, so a server whose database went away is
 * taken out of rotation rather than answering every turn with an error.
 *
 * <pre>{@code
 * curl -s http://localhost:8080/readyz
 * {"status":"ready","checks":{"database":{"status":"ok"},"model":{"status":"ok","provider":"embedded"}}}
 * }</pre>
 *
 * <p>A failure's detail says what to look at, never a password or a stack trace; the exception goes to the log,
 * once per change of state rather than once per probe.
 */
public final class ReadinessService implements HttpService {
    static final String PATH = "/readyz";
    /** How long one check may take before it counts as failed. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final System.Logger LOG = System.getLogger(ReadinessService.class.getName());

    /**
     * One thing readiness depends on.
     *
     * @param name  its key in the answer, such as {@code database}
     * @param probe gives the problem in words, or empty when all is well; may throw, which counts as a problem
     * @param facts shown with the check whatever its status (the provider's name, for instance)
     */
    public record Check(String name, Probe probe, Map<String, String> facts) {
        public Check {
            facts = Map.copyOf(facts);
        }
    }

    /** A check's question. */
    @FunctionalInterface
    public interface Probe {
        /** {@return the problem, or empty when ready} @throws Exception when the question itself fails */
        Optional<String> problem() throws Exception;
    }

    private final BooleanSupplier open;
    private final List<Check> checks;
    private final Map<String, Boolean> lastFailed = new ConcurrentHashMap<>();

    /** @param open whether the server still serves (false once it is shutting down) */
    public ReadinessService(BooleanSupplier open, List<Check> checks) {
        this.open = open;
        this.checks = List.copyOf(checks);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::ready);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        boolean ready = open.getAsBoolean();
        Map<String, Object> results = new LinkedHashMap<>();
        // All at once, under one deadline: a stuck database holds the answer for one timeout, not one per check.
        List<CompletableFuture<Optional<String>>> asked = checks.stream().map(ReadinessService::ask).toList();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            Map<String, Object> result = new LinkedHashMap<>();
            Optional<String> problem;
            try {
                problem = asked.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                logChange(check.name(), problem.orElse(null), null);
            } catch (TimeoutException e) {
                problem = Optional.of(check.name() + " did not answer within " + TIMEOUT.toSeconds() + " s");
                logChange(check.name(), problem.get(), null);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                problem = Optional.of(check.name() + " check failed (" + cause.getClass().getSimpleName()
                        + "); the server log has the details");
                logChange(check.name(), problem.get(), cause instanceof Exception ex ? ex : e);
            }
            result.put("status", problem.isEmpty() ? "ok" : "failed");
            result.putAll(check.facts());
            problem.ifPresent(p -> result.put("problem", p));
            ready &= problem.isEmpty();
            results.put(check.name(), result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : open.getAsBoolean() ? "not_ready" : "stopping");
        body.put("checks", results);
        res.header("Cache-Control", "no-store");
        ErrorResponses.json(res, ready ? 200 : 503, body);
    }

    /**
     * Runs the probe on a thread of its own, so a database that stopped answering (a pool waiting for a connection)
     * makes this check fail after {@link #TIMEOUT} instead of holding the orchestrator's probe until it gives up.
     */
    private static CompletableFuture<Optional<String>> ask(Check check) {
        var answer = new CompletableFuture<Optional<String>>();
        Thread.ofVirtual().name("parley-readyz-" + check.name()).start(() -> {
            try {
                answer.complete(check.probe().problem());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        return answer;
    }

    private void logChange(String name, String problem, Exception e) {
        boolean failed = problem != null;
        Boolean before = lastFailed.put(name, failed);
        if (before != null && before == failed) return;
        if (failed) {
            LOG.log(System.Logger.Level.WARNING, "Not ready: " + problem, e);
        } else if (before != null) {
            LOG.log(System.Logger.Level.INFO, "Ready again: " + name + " is fine");
        }
    }
}
