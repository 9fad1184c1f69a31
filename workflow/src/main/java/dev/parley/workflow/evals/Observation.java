package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one case's run did, as the graders see it.
 *
 * @param reply     the assistant's text of the last turn
 * @param trace     the last turn's run trace ({@code nodes} with their outputs and branches), or an empty object
 * @param endOutput the End node's output, or null when the run ended elsewhere
 * @param error     why the run failed, or null
 */
public record Observation(String reply, JsonNode trace, JsonNode endOutput, String runId, long latencyMicros,
        long inputTokens, long outputTokens, String error) {}
