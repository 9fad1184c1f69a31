package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Who a request acts for, and what the HTTP edge learned about it.
 *
 * @param userId  the authenticated user; every store call is scoped to it
 * @param locale  the client's chosen locale ({@code Accept-Language}), or null
 * @param baseUrl the server's public base URL as the client reached it, without a trailing slash; used for
 *                upload and preview links
 * @param workflowVersion the workflow version the user's session is pinned to, or 0 for the latest published
 * @param stateVariables  workflow state variables the session (or a server-side call) sets for its turns; empty
 *                        for none
 */
public record RequestContext(String userId, String locale, String baseUrl, int workflowVersion,
        Map<String, JsonNode> stateVariables) {
    public RequestContext {
        if (userId == null || userId.isBlank()) throw new IllegalArgumentException("userId is required");
        if (workflowVersion < 0) throw new IllegalArgumentException("workflowVersion is 0 (latest) or more");
        stateVariables = stateVariables == null ? Map.of() : Map.copyOf(stateVariables);
    }

    public RequestContext(String userId, String locale, String baseUrl) {
        this(userId, locale, baseUrl, 0, Map.of());
    }

    public static RequestContext of(String userId) {
        return new RequestContext(userId, null, "", 0, Map.of());
    }
}
