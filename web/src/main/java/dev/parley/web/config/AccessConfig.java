package dev.parley.web.config;

import dev.parley.server.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may call Parley from where, and how much: the sites allowed to embed it, rate limits and message limits.
 * Part of {@link ParleyConfig}; read once from the environment.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_ALLOWED_ORIGINS</td><td>(none: same origin only)</td><td>comma-separated origins that may call
 *       Parley from a browser, e.g. {@code https://example.com,https://*.example.com}; {@code *} allows any</td></tr>
 *   <tr><td>PARLEY_TRUST_PROXY</td><td>false</td><td>take the client address from {@code X-Forwarded-For} (set it
 *       only behind a proxy that writes that header)</td></tr>
 *   <tr><td>PARLEY_RATE_LIMIT_USER</td><td>120</td><td>{@code /chatkit} requests per minute per user (0: off)</td></tr>
 *   <tr><td>PARLEY_RATE_LIMIT_IP</td><td>600</td><td>requests per minute per client address to {@code /chatkit},
 *       the session route and uploads (0: off)</td></tr>
 *   <tr><td>PARLEY_MAX_MESSAGE_CHARS</td><td>20000</td><td>characters in one user message</td></tr>
 *   <tr><td>PARLEY_MAX_ATTACHMENTS</td><td>10</td><td>attachments on one user message</td></tr>
 *   <tr><td>PARLEY_MAX_THREADS_PER_USER</td><td>1000</td><td>threads one user may keep (0: no limit)</td></tr>
 *   <tr><td>PARLEY_COOKIE_SAMESITE</td><td>Lax</td><td>{@code None} lets pages on other sites (in
 *       PARLEY_ALLOWED_ORIGINS) keep the visitor's cookie; needs PARLEY_COOKIE_SECURE=true</td></tr>
 * </table>
 */
public record AccessConfig(
        List<String> allowedOrigins,
        boolean trustProxy,
        int userRatePerMinute,
        int ipRatePerMinute,
        int maxMessageChars,
        int maxAttachmentsPerMessage,
        int maxThreadsPerUser,
        String cookieSameSite) {

    public static final String ALLOWED_ORIGINS = "PARLEY_ALLOWED_ORIGINS";
    public static final String TRUST_PROXY = "PARLEY_TRUST_PROXY";
    public static final String RATE_LIMIT_USER = "PARLEY_RATE_LIMIT_USER";
    public static final String RATE_LIMIT_IP = "PARLEY_RATE_LIMIT_IP";
    public static final String MAX_MESSAGE_CHARS = "PARLEY_MAX_MESSAGE_CHARS";
    public static final String MAX_ATTACHMENTS = "PARLEY_MAX_ATTACHMENTS";
    public static final String COOKIE_SAMESITE = "PARLEY_COOKIE_SAMESITE";
    public static final String MAX_THREADS = "PARLEY_MAX_THREADS_PER_USER";

    public AccessConfig {
        allowedOrigins = allowedOrigins.stream().map(AccessConfig::checkOrigin).toList();
        if (userRatePerMinute < 0 || ipRatePerMinute < 0) throw new IllegalArgumentException("Rate limits must not be negative");
        new Limits(maxMessageChars, maxAttachmentsPerMessage, maxThreadsPerUser); // same checks as the dispatcher's
        cookieSameSite = new CookieSettings(true, cookieSameSite).sameSite();
    }

    public static AccessConfig defaults() {
        return new AccessConfig(List.of(), false, 120, 600, Limits.DEFAULTS.maxMessageChars(),
                Limits.DEFAULTS.maxAttachmentsPerMessage(), Limits.DEFAULTS.maxThreadsPerUser(), "Lax");
    }

    /** {@return the settings the variables describe}, adding a line to {@code problems} for each bad one */
    static AccessConfig fromEnv(Map<String, String> env, List<String> problems) {
        AccessConfig d = defaults();
        var reader = new EnvReader(env, problems);
        List<String> origins = reader.read(ALLOWED_ORIGINS, d.allowedOrigins(), s -> {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) out.add(OriginPattern.parse(part).toString());
            }
            return out;
        }, "a comma-separated list of origins such as https://example.com,https://*.example.com (or *)");
        boolean trust = reader.read(TRUST_PROXY, d.trustProxy(), ParleyConfig::parseBoolean, "true or false");
        int user = reader.read(RATE_LIMIT_USER, d.userRatePerMinute(), s -> atLeast(s, 0), "a number of requests per minute (0 turns it off)");
        int ip = reader.read(RATE_LIMIT_IP, d.ipRatePerMinute(), s -> atLeast(s, 0), "a number of requests per minute (0 turns it off)");
        int chars = reader.read(MAX_MESSAGE_CHARS, d.maxMessageChars(), s -> atLeast(s, 1), "a positive number of characters");
        int files = reader.read(MAX_ATTACHMENTS, d.maxAttachmentsPerMessage(), s -> atLeast(s, 0), "a number of attachments (0 turns them off)");
        int threads = reader.read(MAX_THREADS, d.maxThreadsPerUser(), s -> atLeast(s, 0), "a number of threads (0: no limit)");
        String sameSite = reader.read(COOKIE_SAMESITE, d.cookieSameSite(), s -> new CookieSettings(true, s).sameSite(),
                "Lax, Strict or None");
        return new AccessConfig(origins, trust, user, ip, chars, files, threads, sameSite);
    }

    /** {@return the dispatcher's message limits} */
    public Limits limits() {
        return new Limits(maxMessageChars, maxAttachmentsPerMessage, maxThreadsPerUser);
    }

    /**
     * {@return whether a browser whose {@code Origin} header is {@code origin} may call this server}: host names
     * are compared, not strings (see {@link OriginPattern})
     */
    public boolean allows(String origin) {
        return OriginPattern.anyMatches(originPatterns(), origin);
    }

    /** {@return the allowed origins, parsed}; callers on the request path parse them once and keep the list */
    public List<OriginPattern> originPatterns() {
        return allowedOrigins.stream().map(OriginPattern::parse).toList();
    }

    private static String checkOrigin(String o) {
        try {
            return OriginPattern.parse(o).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ALLOWED_ORIGINS + ": " + e.getMessage());
        }
    }

    private static int atLeast(String s, int min) {
        int n = Integer.parseInt(s);
        if (n < min) throw new IllegalArgumentException();
        return n;
    }
}
