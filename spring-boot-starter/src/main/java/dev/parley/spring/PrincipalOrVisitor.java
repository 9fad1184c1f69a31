package dev.parley.spring;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The default {@link ParleyUsers}: the logged-in principal's name, or an anonymous visitor known by a random
 * 128-bit cookie. The cookie is the visitor's only credential, so it is unguessable, HttpOnly and SameSite=Lax;
 * principal and visitor ids cannot collide because visitors' start with {@code visitor:}.
 */
final class PrincipalOrVisitor implements ParleyUsers {
    static final String COOKIE = "parley_visitor";
    private static final Pattern VISITOR_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ParleyProperties.Users mode;
    private final String cookiePath;

    PrincipalOrVisitor(ParleyProperties.Users mode, String cookiePath) {
        this.mode = mode;
        this.cookiePath = cookiePath;
    }

    @Override
    public Optional<String> user(HttpServletRequest request) {
        if (mode != ParleyProperties.Users.VISITOR) {
            Principal principal = request.getUserPrincipal();
            if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
                return Optional.of(principal.getName());
            }
        }
        if (mode == ParleyProperties.Users.PRINCIPAL) return Optional.empty();
        return visitorCookie(request).map(id -> "visitor:" + id);
    }

    @Override
    public Optional<String> startSession(HttpServletRequest request, HttpServletResponse response) {
        Optional<String> known = user(request);
        if (known.isPresent() || mode == ParleyProperties.Users.PRINCIPAL) return known;
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Cookie cookie = new Cookie(COOKIE, id);
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setPath(cookiePath);
        cookie.setMaxAge(60 * 60 * 24 * 365);
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
        return Optional.of("visitor:" + id);
    }

    private static Optional<String> visitorCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) return Optional.empty();
        for (Cookie c : cookies) {
            if (c.getName().equals(COOKIE) && VISITOR_ID.matcher(c.getValue()).matches()) return Optional.of(c.getValue());
        }
        return Optional.empty();
    }
}
