package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a user's session asks of the workflow engine, carried through the dispatcher as the request context's
 * opaque session value: the web edge builds it from a verified client secret (or a server-side call), and
 * {@link WorkflowResponder} reads it.
 *
 * @param pinnedVersion  the published version the session is pinned to, or 0 for the latest
 * @param stateVariables values for the workflow's {@code state}, checked against its declared schema per turn
 */
public record SessionClaims(int pinnedVersion, Map<String, JsonNode> stateVariables) {
    public static final SessionClaims NONE = new SessionClaims(0, Map.of());

    public SessionClaims {
        if (pinnedVersion < 0) throw new IllegalArgumentException("pinnedVersion is 0 (latest) or more");
        stateVariables = stateVariables == null ? Map.of() : Map.copyOf(stateVariables);
    }
}
