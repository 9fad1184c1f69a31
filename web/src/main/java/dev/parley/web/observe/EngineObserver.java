package dev.parley.web.observe;

import dev.parley.web.logs.LogContext;
import dev.parley.workflow.engine.RunObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Turns what the workflow engine reports ({@link RunObserver}) into metrics, spans and log context: a span per
 * run (a child of the request's), per node (a child of the run's) and per tool call (a child of its agent's
 * node), the run and chat thread on every log line written while the run goes on.
 *
 * <p>Run and node spans are made current on the run's thread, so that model calls made inside a node
 * ({@link ObservedProvider}) become its children. Nodes of a run never overlap, and the run closes a node left
 * open (by an error the engine did not catch) before closing itself, so the thread's context is always restored.
 */
final class EngineObserver implements RunObserver {
    static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey("parley.workflow.id");
    static final AttributeKey<Long> VERSION = AttributeKey.longKey("parley.workflow.version");
    static final AttributeKey<String> RUN = AttributeKey.stringKey("parley.run.id");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("parley.run.status");
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("parley.node.id");
    static final AttributeKey<String> NODE_TYPE = AttributeKey.stringKey("parley.node.type");
    static final AttributeKey<String> BRANCH = AttributeKey.stringKey("parley.node.branch");
    static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    static final AttributeKey<String> TOOL_KIND = AttributeKey.stringKey("parley.tool.kind");
    private static final System.Logger LOG = System.getLogger(EngineObserver.class.getName());
    /** A paused run or node has not chosen a branch yet: counting it would count the same run twice. */
    private static final String PAUSED = "paused";

    private final Metrics metrics;
    private final Tracing tracing;
    private final boolean logContext;

    /**
     * @param metrics    null when metrics are off
     * @param tracing    null when tracing is off
     * @param logContext whether log lines get the run and thread ids (JSON logs)
     */
    EngineObserver(Metrics metrics, Tracing tracing, boolean logContext) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.logContext = logContext;
    }

    @Override
    public Run started(String workflowId, int version, String runId, String threadId) {
        Span span = null;
        Scope scope = null;
        if (tracing != null) {
            span = tracing.tracer().spanBuilder("workflow " + workflowId)
                    .setAttribute(WORKFLOW, workflowId).setAttribute(VERSION, (long) version).setAttribute(RUN, runId)
                    .setAttribute(CONVERSATION, threadId).startSpan();
            scope = span.makeCurrent();
        }
        LogContext before = logContext ? LogContext.enterRun(runId, threadId) : null;
        return new WatchedRun(workflowId, Integer.toString(version), runId, span, scope, before);
    }

    private final class WatchedRun implements Run {
        private final String workflowId;
        private final String version;
        private final String runId;
        private final Span span;
        private final Scope scope;
        private final LogContext logBefore;
        private final long start = System.nanoTime();
        private WatchedNode open;

        WatchedRun(String workflowId, String version, String runId, Span span, Scope scope, LogContext logBefore) {
            this.workflowId = workflowId;
            this.version = version;
            this.runId = runId;
            this.span = span;
            this.scope = scope;
            this.logBefore = logBefore;
        }

        @Override
        public String traceId() {
            if (span == null) return null;
            SpanContext context = span.getSpanContext();
            return context.isSampled() ? context.getTraceId() : null;
        }

        @Override
        public Node node(String nodeId, String type) {
            if (open != null) open.ended("the node did not finish");
            Span nodeSpan = null;
            Scope nodeScope = null;
            if (span != null) {
                boolean agent = type.equals("agent");
                var builder = tracing.tracer().spanBuilder((agent ? "invoke_agent " : "node ") + nodeId)
                        .setParent(Context.current().with(span))
                        .setAttribute(NODE, nodeId).setAttribute(NODE_TYPE, type);
                if (agent) builder.setAttribute(ObservedProvider.OPERATION, "invoke_agent").setAttribute(AGENT, nodeId);
                nodeSpan = builder.startSpan();
                nodeScope = nodeSpan.makeCurrent();
            }
            open = new WatchedNode(this, nodeId, type, nodeSpan, nodeScope);
            return open;
        }

        @Override
        public void finished(String status) {
            if (open != null) open.ended("the run ended while the node was running");
            long took = System.nanoTime() - start;
            if (metrics != null) {
                metrics.runs.labelValues(workflowId, version, status).inc();
                metrics.runDurationBy.get(workflowId).observe(Metrics.seconds(took));
            }
            // Written while the run's context still holds: with JSON logs the line carries the run and thread ids.
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "Run " + runId + " of " + workflowId + " v" + version + " " + status
                        + " in " + took / 1_000_000 + " ms");
            }
            if (span != null) {
                span.setAttribute(STATUS, status);
                if (status.equals("failed")) span.setStatus(StatusCode.ERROR);
                span.end();
                scope.close();
            }
            if (logContext) LogContext.restore(logBefore);
        }
    }

    private final class WatchedNode implements Node {
        private final WatchedRun run;
        private final String nodeId;
        private final String type;
        private final Span span;
        private final Scope scope;
        private final long start = System.nanoTime();
        private boolean ended;

        WatchedNode(WatchedRun run, String nodeId, String type, Span span, Scope scope) {
            this.run = run;
            this.nodeId = nodeId;
            this.type = type;
            this.span = span;
            this.scope = scope;
        }

        @Override
        public void branch(String branch) {
            if (span != null) span.setAttribute(BRANCH, branch);
            if (metrics != null && !branch.equals(PAUSED)) {
                metrics.branches.labelValues(run.workflowId, nodeId, branch).inc();
            }
        }

        @Override
        public Tool tool(String kind, String name) {
            Span toolSpan = null;
            if (span != null) {
                // Tools run on their own virtual threads: the parent is given, not taken from the thread.
                toolSpan = tracing.tracer().spanBuilder("execute_tool " + name)
                        .setParent(Context.root().with(span))
                        .setAttribute(ObservedProvider.OPERATION, "execute_tool")
                        .setAttribute(TOOL_NAME, name).setAttribute(TOOL_TYPE, "function")
                        .setAttribute(TOOL_KIND, kind).startSpan();
            }
            Span started = toolSpan;
            long begun = System.nanoTime();
            return ok -> {
                if (metrics != null) {
                    metrics.toolCalls.labelValues(kind, ok ? "ok" : "error").inc();
                    metrics.toolDuration.labelValues(kind).observe(Metrics.seconds(System.nanoTime() - begun));
                }
                if (started != null) {
                    if (!ok) started.setStatus(StatusCode.ERROR);
                    started.end();
                }
            };
        }

        @Override
        public void ended(String error) {
            if (ended) return;
            ended = true;
            if (run.open == this) run.open = null;
            if (metrics != null) {
                var point = error == null ? metrics.nodeOk.get(type) : metrics.nodeDuration.labelValues(type, "error");
                point.observe(Metrics.seconds(System.nanoTime() - start));
            }
            if (span != null) {
                if (error != null) span.setStatus(StatusCode.ERROR, error);
                span.end();
                scope.close();
            }
        }
    }
}
