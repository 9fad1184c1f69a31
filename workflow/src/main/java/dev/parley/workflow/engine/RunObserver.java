package dev.parley.workflow.engine;

/**
 * Watches workflow runs as they happen: a run, its nodes, the branch each node took and the tools agents called.
 * The engine tells it exactly what it writes into the run's own trace ({@link RunTrace}), so metrics and
 * OpenTelemetry spans see the same runs the admin API shows. The web layer implements it
 * ({@code dev.parley.web.observe}); {@link #NONE}, the default, costs one interface call per event.
 *
 * <p>Calls for one run come from the thread that runs it, except {@link Node#tool}, which agents call from the
 * virtual thread that runs the tool; implementations are safe for that.
 */
public interface RunObserver {
    /** Watches nothing. */
    RunObserver NONE = (workflowId, version, runId, threadId) -> Run.NONE;

    /**
     * A run starts (or a paused one goes on).
     *
     * @param version the published version, 0 for a draft
     * @return what watches this run until {@link Run#finished}
     */
    Run started(String workflowId, int version, String runId, String threadId);

    /** One run being watched. */
    interface Run {
        Run NONE = new Run() {
            @Override
            public Node node(String nodeId, String type) {
                return Node.NONE;
            }

            @Override
            public void finished(String status) {}
        };

        /** {@return the OpenTelemetry trace id this run is recorded under, or null when it is not traced} */
        default String traceId() {
            return null;
        }

        /** A node starts; nodes of one run never overlap. */
        Node node(String nodeId, String type);

        /** @param status {@code completed}, {@code paused}, {@code cancelled} or {@code failed} */
        void finished(String status);
    }

    /** One node being watched. */
    interface Node {
        Node NONE = new Node() {};

        /** The node chose an output: an If/else branch, a classifier's category, an approval's answer. */
        default void branch(String branch) {}

        /**
         * A tool starts running for this node's agent.
         *
         * @param kind {@code webhook}, {@code file_search}, {@code mcp} or {@code function}
         */
        default Tool tool(String kind, String name) {
            return Tool.NONE;
        }

        /** @param error what went wrong (for the operator), or null when the node succeeded */
        default void ended(String error) {}
    }

    /** One tool call being watched. */
    interface Tool {
        Tool NONE = ok -> {};

        /** @param ok whether the tool gave a result (false: it failed, or its arguments were unusable) */
        void ended(boolean ok);
    }
}
