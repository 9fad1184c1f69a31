package dev.parley.web.config;

import java.util.Locale;

/**
 * How the {@code chatkit_session_id} cookie is set. {@code SameSite=Lax} keeps it to the server's own site; a page
 * on another site that embeds the widget needs {@code None}, which browsers accept only with {@code Secure}.
 *
 * @param secure   add {@code Secure} (HTTPS only)
 * @param sameSite {@code Lax}, {@code Strict} or {@code None}
 */
public record CookieSettings(boolean secure, String sameSite) {
    public static final CookieSettings DEFAULT = new CookieSettings(false, "Lax");

    public CookieSettings {
        sameSite = switch (sameSite.toLowerCase(Locale.ROOT)) {
            case "lax" -> "Lax";
            case "strict" -> "Strict";
            case "none" -> "None";
            default -> throw new IllegalArgumentException("SameSite must be Lax, Strict or None, got " + sameSite);
        };
        if (sameSite.equals("None") && !secure) {
            throw new IllegalArgumentException("PARLEY_COOKIE_SAMESITE=None needs PARLEY_COOKIE_SECURE=true "
                    + "(browsers drop SameSite=None cookies without Secure)");
        }
    }

    /** {@return the {@code Set-Cookie} value for a session cookie} */
    public String header(String name, String value, int maxAgeSeconds) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=" + sameSite
                + (secure ? "; Secure" : "");
    }
}
