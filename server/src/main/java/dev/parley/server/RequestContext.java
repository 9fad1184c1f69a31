package dev.parley.server;

/**
 * Who a request acts for, and what the HTTP edge learned about it.
 *
 * @param userId  the authenticated user; every store call is scoped to it
 * @param locale  the client's chosen locale ({@code Accept-Language}), or null
 * @param baseUrl the server's public base URL as the client reached it, without a trailing slash; used for
 *                upload and preview links
 * @param workflowVersion the workflow version the user's session is pinned to, or 0 for the latest published
 */
public record RequestContext(String userId, String locale, String baseUrl, int workflowVersion) {
    public RequestContext {
        if (userId == null || userId.isBlank()) throw new IllegalArgumentException("userId is required");
        if (workflowVersion < 0) throw new IllegalArgumentException("workflowVersion is 0 (latest) or more");
    }

    public RequestContext(String userId, String locale, String baseUrl) {
        this(userId, locale, baseUrl, 0);
    }

    public static RequestContext of(String userId) {
        return new RequestContext(userId, null, "");
    }
}
