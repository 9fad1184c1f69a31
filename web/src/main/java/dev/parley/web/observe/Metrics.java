package dev.parley.web.observe;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every Prometheus metric Parley keeps, in one registry per server (so two servers in one JVM, as in tests, never
 * share counts). Each label takes its values from a small set Parley controls: request types, statuses, route
 * groups, workflow and node ids, provider and model names, tool kinds. Nothing a user types and no user or thread
 * id ever becomes a label value: each distinct value is a time series an operator pays for.
 *
 * <p>The names and what they mean are listed in {@code docs/observability.md}.
 */
public final class Metrics {
    /** Latency buckets from 5 ms to a minute: first tokens, model calls and whole turns all fall inside. */
    private static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Store commits are sub-millisecond to tens of milliseconds. */
    private static final double[] COMMIT_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5};
    private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Counter httpRequests = counter("parley_http_requests",
            "HTTP requests answered, by route group, ChatKit request type (empty off /chatkit) and status",
            "route", "type", "status");
    final Histogram httpDuration = seconds("parley_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response (a stream's last event), by route group",
            SECONDS, "route");
    final Counter rateLimited = counter("parley_rate_limited",
            "Requests refused with 429 by a rate limit (per user, per address, admin-token failures), by route group", "route");
    final Counter turns = counter("parley_turns",
            "Streamed chat turns, by ChatKit request type and outcome (ok, error, cancelled)", "type", "outcome");
    final Histogram turnDuration = seconds("parley_turn_duration_seconds",
            "Time from a streamed turn's request to its last event, by ChatKit request type", SECONDS, "type");
    final Histogram firstDelta = seconds("parley_turn_first_text_delta_seconds",
            "Time from a streamed turn's request to the first piece of reply text it sent", SECONDS);
    final Gauge openStreams = Gauge.builder().name("parley_open_streams")
            .help("Event streams being written right now").register(registry);
    final Counter runs = counter("parley_workflow_runs",
            "Workflow runs (and resumptions of paused runs) by workflow, version and outcome "
                    + "(completed, paused, cancelled, failed)", "workflow", "version", "outcome");
    final Histogram runDuration = seconds("parley_workflow_run_duration_seconds",
            "Time one workflow run (or resumption) took, by workflow", SECONDS, "workflow");
    final Histogram nodeDuration = seconds("parley_node_duration_seconds",
            "Time one node took, by node type and outcome (ok, error)", SECONDS, "type", "outcome");
    final Counter branches = counter("parley_branches",
            "Outputs taken by routing nodes (If/else, classifier, approval), by workflow, node and branch",
            "workflow", "node", "branch");
    final Counter modelCalls = counter("parley_model_calls",
            "Model calls by provider, model, operation (chat, structured) and outcome (ok, error, cancelled)",
            "provider", "model", "operation", "outcome");
    final Counter modelErrors = counter("parley_model_errors",
            "Model calls that failed, by provider, model and operation", "provider", "model", "operation");
    final Counter modelTokens = counter("parley_model_tokens",
            "Tokens the model provider reported, by provider, model and direction (input, output)",
            "provider", "model", "direction");
    final Histogram modelDuration = seconds("parley_model_call_duration_seconds",
            "Time one model call took (a streamed one to its last piece), by provider, model and operation",
            SECONDS, "provider", "model", "operation");
    final Counter toolCalls = counter("parley_tool_calls",
            "Tool calls agents made on the server, by kind (webhook, file_search, mcp, function) and outcome (ok, error)",
            "kind", "outcome");
    final Histogram toolDuration = seconds("parley_tool_call_duration_seconds",
            "Time one tool call took, by kind", SECONDS, "kind");
    final Histogram commitDuration = seconds("parley_store_commit_duration_seconds",
            "Time one store commit took, from the start of its transaction to the end of the commit",
            COMMIT_SECONDS);
    final Histogram commitWrites = Histogram.builder().name("parley_store_commit_writes")
            .help("Writes one store commit carried (SQLite groups many callers' writes into one commit)")
            .classicOnly().classicUpperBounds(BATCH).withoutExemplars().register(registry);

    // The data points every turn touches, looked up once per label value instead of once per turn.
    final Memo<CounterDataPoint> chatkitOk = new Memo<>(type -> httpRequests.labelValues("chatkit", type, "200"));
    final Memo<DistributionDataPoint> httpDurationBy = new Memo<>(route -> httpDuration.labelValues(route));
    final Memo<CounterDataPoint> turnsOk = new Memo<>(type -> turns.labelValues(type, "ok"));
    final Memo<DistributionDataPoint> turnDurationBy = new Memo<>(type -> turnDuration.labelValues(type));
    final Memo<DistributionDataPoint> runDurationBy = new Memo<>(workflow -> runDuration.labelValues(workflow));
    final Memo<DistributionDataPoint> nodeOk = new Memo<>(type -> nodeDuration.labelValues(type, "ok"));

    /** A registry with Parley's metrics and the JVM's and the process's (memory, GC, threads, CPU, open files). */
    public Metrics() {
        JvmMetrics.builder().register(registry);
        // Refusals show as a zero from the start on the routes a client can hammer, not as "no data".
        for (String route : new String[] {"chatkit", "session", "attachments", "admin"}) rateLimited.initLabelValues(route);
    }

    /** The text format's media type, {@code text/plain; version=0.0.4; charset=utf-8}. */
    String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric, in the Prometheus text format. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private Histogram seconds(String name, String help, double[] bounds, String... labels) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).labelNames(labels)
                .classicOnly().classicUpperBounds(bounds).withoutExemplars().register(registry);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * Data points kept by one label value (the others fixed): Prometheus hashes and compares every label value of a
     * look-up, and a turn made some twenty. Holds no more entries than the metric has series, which the label rules
     * above keep small.
     */
    static final class Memo<D> {
        private final ConcurrentHashMap<String, D> points = new ConcurrentHashMap<>();
        private final Function<String, D> lookUp;

        Memo(Function<String, D> lookUp) {
            this.lookUp = lookUp;
        }

        D get(String value) {
            D point = points.get(value);
            return point != null ? point : points.computeIfAbsent(value, lookUp);
        }
    }
}
