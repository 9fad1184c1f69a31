package dev.parley.server;

import java.util.Optional;

/**
 * Who a request acts for, and what the HTTP edge learned about it.
 *
 * <p>The dispatcher reads only the user, locale and base URL. Whatever else the user's session carries for the
 * responder (for the workflow engine: a pinned version and state variables) travels as {@code session}, an
 * opaque value the dispatcher passes on without looking inside; the responder asks for it by type.
 *
 * @param userId  the authenticated user; every store call is scoped to it
 * @param locale  the client's chosen locale ({@code Accept-Language}), or null
 * @param baseUrl the server's public base URL as the client reached it, without a trailing slash; used for
 *                upload and preview links
 * @param session what the session carries for the responder, or null for nothing
 */
public record RequestContext(String userId, String locale, String baseUrl, Object session) {
    public RequestContext {
        if (userId == null || userId.isBlank()) throw new IllegalArgumentException("userId is required");
    }

    public RequestContext(String userId, String locale, String baseUrl) {
        this(userId, locale, baseUrl, null);
    }

    public static RequestContext of(String userId) {
        return new RequestContext(userId, null, "", null);
    }

    /** {@return the session's value if it is a {@code type}} */
    public <T> Optional<T> session(Class<T> type) {
        return type.isInstance(session) ? Optional.of(type.cast(session)) : Optional.empty();
    }
}
