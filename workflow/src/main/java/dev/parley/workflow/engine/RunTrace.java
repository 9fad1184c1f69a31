package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Usage;
import java.time.Instant;

/**
 * What one run did, node by node: inputs, outputs, branch taken, timing, model usage and errors. Kept as JSON so
 * the store and the admin API can hand it out unchanged.
 */
final class RunTrace {
    static final String RUNNING = "running";
    static final String INTERRUPTED = "interrupted";

    private final ObjectNode root;
    private final ArrayNode nodes;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    /** Who else watches this run (metrics, OpenTelemetry); told what this trace records, as it records it. */
    private RunObserver.Run observed = RunObserver.Run.NONE;

    RunTrace(String runId, String workflowId, int version, String threadId) {
        root = JsonNodeFactory.instance.objectNode();
        root.put("run_id", runId).put("workflow_id", workflowId).put("version", version).put("thread_id", threadId);
        nodes = root.putArray("nodes");
        startedAt = Instant.now();
    }

    /** Continues the trace of a run that paused, so one run keeps one trace across the pause. */
    private RunTrace(ObjectNode saved, Instant startedAt) {
        root = saved;
        nodes = saved.withArray("nodes");
        this.startedAt = startedAt;
    }

    static RunTrace continued(ObjectNode saved, Instant startedAt) {
        return new RunTrace(saved, startedAt);
    }

    String runId() {
        return root.path("run_id").asText(null);
    }

    /** Lets {@code run} watch the nodes from now on; its trace id, if any, is kept in this trace. */
    void observe(RunObserver.Run run) {
        observed = run;
        String traceId = run.traceId();
        if (traceId != null) root.put("otel_trace_id", traceId);
    }

    /** {@return who watches this run} */
    RunObserver.Run observed() {
        return observed;
    }

    Instant startedAt() {
        return startedAt;
    }

    long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    /** One node's span; fill it while the node runs, then {@link #end}. */
    final class Span {
        final ObjectNode json;
        private final long start = System.nanoTime();
        final RunObserver.Node observed;
        private String error;

        Span(String nodeId, String type) {
            json = nodes.addObject().put("node_id", nodeId).put("type", type)
                    .put("started_at", Instant.now().toString());
            observed = RunTrace.this.observed.node(nodeId, type);
        }

        Span input(String field, JsonNode value) {
            json.with("inputs").set(field, value);
            return this;
        }

        Span input(String field, String value) {
            json.with("inputs").put(field, value);
            return this;
        }

        Span output(JsonNode value) {
            json.set("output", value);
            return this;
        }

        Span branch(String branch) {
            json.put("branch", branch);
            observed.branch(branch);
            return this;
        }

        Span usage(Usage usage) {
            json.putObject("usage").put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens());
            return this;
        }

        Span error(String message) {
            json.put("error", message);
            error = message;
            return this;
        }

        void end() {
            json.put("duration_micros", (System.nanoTime() - start) / 1000);
            observed.ended(error);
        }
    }

    Span start(String nodeId, String type) {
        return new Span(nodeId, type);
    }

    /** {@return the trace as it starts, marked running on {@code serverId}} */
    ObjectNode running(String serverId) {
        root.put("status", RUNNING).put("server", serverId).put("started_at", startedAt.toString());
        return root;
    }

    /** {@return the whole trace with the run's final status} */
    ObjectNode finish(String status, String error) {
        root.put("status", status).put("duration_micros", elapsedMicros()).put("started_at", startedAt.toString());
        if (error != null) root.put("error", error);
        return root;
    }
}
