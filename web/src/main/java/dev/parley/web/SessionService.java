package dev.parley.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Hands a browser its identity and a client secret: {@code POST /api/chatkit/session}, the Java counterpart of
 * the Next.js session route ChatKit integrations start from.
 *
 * <pre>{@code
 * curl -s -c jar -b jar -X POST http://localhost:8080/api/chatkit/session
 * {"client_secret":"ck_...","expires_after":600,"expires_at":1764000000}
 * }</pre>
 *
 * <p>The browser's identity is the {@code chatkit_session_id} cookie: a random UUID set on the first call
 * ({@code Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax}, plus {@code Secure} when configured) and sent back on
 * every later one, so each call returns a fresh secret for the same user (ChatKit's {@code getClientSecret}
 * refresh). A missing or malformed cookie is replaced by a new one.
 *
 * <p>The cookie is a credential, so it never leaves the server in any other form: the user id the store and
 * the client secret carry is a hash of it ({@link #userIdOf}). Page scripts can read a client secret, but not
 * learn the HttpOnly cookie from it.
 */
final class SessionService implements HttpService {
    static final String PATH = "/api/chatkit/session";
    static final String COOKIE = "chatkit_session_id";
    static final int COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
    /** Cookies we issue are UUIDs; anything outside this shape is replaced rather than trusted. */
    private static final Pattern VALID_COOKIE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final ClientSecrets secrets;
    private final boolean cookieSecure;

    SessionService(ClientSecrets secrets, boolean cookieSecure) {
        this.secrets = secrets;
        this.cookieSecure = cookieSecure;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::createSession)
                .options(PATH, (req, res) -> res.header(HeaderNames.ALLOW, "POST, OPTIONS").status(204).send())
                .any(PATH, (req, res) -> {
                    throw new HttpError(405, "method_not_allowed", "Use POST for " + PATH, Map.of("Allow", "POST, OPTIONS"));
                });
    }

    private void createSession(ServerRequest req, ServerResponse res) {
        String sessionCookie = Requests.cookie(req, COOKIE).filter(v -> VALID_COOKIE.matcher(v).matches()).orElse(null);
        if (sessionCookie == null) {
            sessionCookie = UUID.randomUUID().toString();
            res.header(HeaderNames.SET_COOKIE, setCookie(sessionCookie));
        }
        ClientSecrets.Issued issued = secrets.issue(userIdOf(sessionCookie));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_secret", issued.secret());
        body.put("expires_after", secrets.ttl().toSeconds());
        body.put("expires_at", issued.expiresAt().getEpochSecond());
        // A secret must not be cached by the browser or a proxy and handed to someone else.
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ErrorResponses.json(res, 200, body);
    }

    private String setCookie(String value) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + COOKIE_MAX_AGE_SECONDS + "; HttpOnly; SameSite=Lax"
                + (cookieSecure ? "; Secure" : "");
    }

    /**
     * {@return the user id for a session cookie}: {@code usr_} and 128 bits of its SHA-256. Stable (the same
     * cookie is always the same user, whatever the signing key) and one-way (the id reveals nothing usable).
     */
    static String userIdOf(String sessionCookie) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("parley/session/" + sessionCookie).getBytes(StandardCharsets.UTF_8));
            return "usr_" + Hmac.base64Url(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
