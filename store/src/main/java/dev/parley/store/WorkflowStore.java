package dev.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Published workflow versions, per-thread run state and run traces. Documents and traces are kept as JSON
 * text: the store neither parses nor validates them, so it does not depend on the workflow engine.
 *
 * <p>Versions are immutable and numbered from 1 per workflow id; a workflow id resolves to its latest version
 * unless a caller asks for a specific one.
 */
public interface WorkflowStore {
    /** One published, immutable version of a workflow. */
    record Version(String workflowId, int version, String name, String document, Instant publishedAt) {}

    /** A workflow with its newest version number. */
    record Summary(String workflowId, String name, int latestVersion, Instant publishedAt) {}

    /** A finished (or paused) run of one turn. */
    record Trace(
            String runId,
            String workflowId,
            int version,
            String userId,
            String threadId,
            Instant startedAt,
            long durationMicros,
            String status,
            String document) {}

    /** {@return the new version, numbered one past the latest} */
    default Version publish(String workflowId, String name, String document) {
        return publish(workflowId, name, document, PublishIf.ALWAYS).version();
    }

    /** When a publish makes a new version. */
    enum PublishIf {
        /** Always: the operator published. */
        ALWAYS,
        /** Only when the workflow has no version yet: a bundled default. */
        ABSENT,
        /** Only when the document differs from the latest version's: a folder loaded at start-up. */
        CHANGED
    }

    /** What a conditional publish did: the version now latest, and whether this call made it. */
    record Publication(Version version, boolean published) {}

    /**
     * Publishes {@code document} as the next version if {@code condition} holds. The check and the insert are one
     * transaction under the publish lock, so servers starting together on one database publish a default once,
     * not once each.
     */
    Publication publish(String workflowId, String name, String document, PublishIf condition);

    Optional<Version> latest(String workflowId);

    Optional<Version> version(String workflowId, int version);

    /** {@return every workflow, by id} */
    List<Summary> list();

    /** {@return a workflow's versions, newest first} */
    List<Version> versions(String workflowId);

    /** {@return the run state saved for a thread (workflow state variables, a paused approval), if any} */
    Optional<String> loadRunState(String userId, String threadId);

    void saveRunState(String userId, String threadId, String state);

    void saveTrace(Trace trace);

    /**
     * Saves a trace without waiting for it to be durable (it is, no later than this thread's next write returns;
     * a failure is logged): a run's "running" trace, which the run's final {@link #saveRun} overwrites. By
     * default the same as {@link #saveTrace}.
     */
    default void saveTraceBehind(Trace trace) {
        saveTrace(trace);
    }

    /**
     * Saves a finished run's state and trace together, in one commit: every turn does both, and a second
     * commit per turn would double what the engine costs in storage.
     */
    void saveRun(String userId, String threadId, String state, Trace trace);

    Optional<Trace> loadTrace(String runId);

    /**
     * {@return the traces of runs recorded as running}: runs in progress, or left behind by a server that
     * stopped mid-run. A housekeeping query, across users.
     */
    List<Trace> runningTraces();

    /** {@return the newest traces of a workflow, newest first} */
    List<Trace> recentTraces(String workflowId, int limit);

    /**
     * Deletes traces of runs that started before {@code cutoff}, except those of runs still paused (their trace
     * is finished when the run resumes). {@return how many were deleted}
     */
    int deleteTracesBefore(Instant cutoff);

    /**
     * An operator's unpublished edit of a workflow, one per workflow id. A draft may be invalid (it is work in
     * progress), so it is kept as text like a version, and it names the version it was started from so an editor
     * can tell when someone published meanwhile.
     */
    record Draft(String workflowId, int baseVersion, String document, Instant savedAt) {}

    /** Saves the draft of {@code workflowId}, replacing the one kept before. */
    Draft saveDraft(String workflowId, int baseVersion, String document);

    Optional<Draft> draft(String workflowId);

    /** {@return every kept draft, by workflow id}: drafts of workflows never published are listed too */
    List<Draft> drafts();

    /** {@return whether there was a draft to delete} */
    boolean deleteDraft(String workflowId);
}
