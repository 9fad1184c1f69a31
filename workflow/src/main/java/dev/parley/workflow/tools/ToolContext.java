package dev.parley.workflow.tools;

/**
 * What a tool call is part of. A webhook sends these as headers, so the host can tie a call to its own user
 * and to the run's trace in Parley's admin API. Any part may be null when unknown (a test run has no thread).
 *
 * @param runId    the workflow run making the call
 * @param userId   the user the turn belongs to (the host's id from the session)
 * @param threadId the conversation
 */
public record ToolContext(String runId, String userId, String threadId) {
    /** No run, user or thread: for tests and for trying a tool from the editor. */
    public static final ToolContext NONE = new ToolContext(null, null, null);
}
