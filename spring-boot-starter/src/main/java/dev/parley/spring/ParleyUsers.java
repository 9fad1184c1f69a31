package dev.parley.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * Who a ChatKit request acts for: every thread and item is stored under this id, and a user sees only their own.
 * The starter's default takes the logged-in principal ({@link HttpServletRequest#getUserPrincipal()}, which Spring
 * Security fills in) and, as {@code parley.users} allows, falls back to an anonymous visitor cookie. Define a bean of
 * this type to key conversations on something else, such as a tenant and a user.
 */
public interface ParleyUsers {
    /** {@return the user this request acts for, or empty when it carries none (answered with 401)} */
    Optional<String> user(HttpServletRequest request);

    /**
     * Called by the session route, which the widget calls before it talks: makes sure later requests carry a user
     * (for example by setting a cookie) and returns it.
     *
     * @return the user, or empty when the request can carry none (answered with 401)
     */
    default Optional<String> startSession(HttpServletRequest request, HttpServletResponse response) {
        return user(request);
    }
}
