package dev.parley.web.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.auth.Hmac;
import dev.parley.web.auth.Revocations;
import dev.parley.web.config.CookieSettings;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
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
 *
 * <p>{@code POST /api/chatkit/session/cancel} with a secret as {@code Authorization: Bearer} cancels that secret's
 * session (for a logout), everywhere.
 *
 * <p>A JSON body may pin the session to one published version of the workflow, as OpenAI's session API does
 * ({@code {"workflow": {"version": "3"}}}); without it every turn runs the latest version.
 */
public final class SessionService implements HttpService {
    public static final String PATH = "/api/chatkit/session";
    public static final String COOKIE = "chatkit_session_id";
    static final int COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
    /** Cookies we issue are UUIDs; anything outside this shape is replaced rather than trusted. */
    private static final Pattern VALID_COOKIE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private static final long MAX_BODY_BYTES = 16 * 1024;

    private final ClientSecrets secrets;
    private final CookieSettings cookie;
    private final IntPredicate publishedVersion;
    private final Revocations revocations;

    /** @param publishedVersion whether a workflow version exists to pin a session to; null when none can be */
    public SessionService(ClientSecrets secrets, CookieSettings cookie, IntPredicate publishedVersion, Revocations revocations) {
        this.secrets = secrets;
        this.cookie = cookie;
        this.publishedVersion = publishedVersion;
        this.revocations = revocations;
    }

    /**
     * Logs the browser out, as a page does on logout with the secret it holds as {@code Authorization: Bearer}:
     * the identity behind that secret ends. Every secret minted for the same cookie stops working on every server
     * (within seconds), the cookie is cleared, and a browser that still sends it is given a new identity by the
     * next session call, never the old one's threads.
     */
    private void cancelSession(ServerRequest req, ServerResponse res) {
        String secret = Requests.bearer(req).orElseThrow(ClientSecrets.InvalidSecretException::missing);
        ClientSecrets.Verified session = secrets.verify(secret);
        revocations.revoke(session.sessionId(), session.expiresAt());
        // The identity is refused for as long as the cookie could have lived, so a kept copy of it is worthless.
        revocations.revoke(session.userId(), Instant.now().plusSeconds(COOKIE_MAX_AGE_SECONDS));
        res.header(HeaderNames.SET_COOKIE, cookie.header(COOKIE, "", 0));
        ErrorResponses.json(res, 200, Map.of("id", session.sessionId(), "status", "cancelled"));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH + "/cancel", this::cancelSession)
                .post(PATH, this::createSession)
                .options(PATH, (req, res) -> res.header(HeaderNames.ALLOW, "POST, OPTIONS").status(204).send())
                .any(PATH, (req, res) -> {
                    throw new HttpError(405, "method_not_allowed", "Use POST for " + PATH, Map.of("Allow", "POST, OPTIONS"));
                });
    }

    private void createSession(ServerRequest req, ServerResponse res) {
        // The cookie first: a visitor whose request is refused still keeps one identity for the next try.
        String sessionCookie = sessionCookie(req, res, cookie, user -> revocations.isRevoked(user));
        int version = pinnedVersion(req);
        ClientSecrets.Issued issued = secrets.issue(userIdOf(sessionCookie), version);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_secret", issued.secret());
        body.put("expires_after", secrets.ttl().toSeconds());
        body.put("expires_at", issued.expiresAt().getEpochSecond());
        // A secret must not be cached by the browser or a proxy and handed to someone else.
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ErrorResponses.json(res, 200, body);
    }

    /** {@return the version the body asks for, or 0 (latest) when there is no body or it names none} */
    private int pinnedVersion(ServerRequest req) {
        byte[] body = Requests.readBody(req, MAX_BODY_BYTES, "body_too_large",
                "The session request body is larger than " + MAX_BODY_BYTES + " bytes");
        if (body.length == 0) return 0;
        JsonNode version;
        try {
            version = ChatKitJson.mapper().readTree(body).path("workflow").path("version");
        } catch (IOException e) {
            throw HttpError.badRequest("invalid_json", "The session request body is not valid JSON; send "
                    + "{\"workflow\": {\"version\": \"3\"}} to pin a version, or no body for the latest");
        }
        if (version.isMissingNode() || version.isNull() || version.asText().equals("latest")) return 0;
        int n = version.canConvertToInt() ? version.asInt() : parse(version.asText());
        if (n < 1) {
            throw HttpError.badRequest("invalid_workflow_version",
                    "workflow.version must be a published version number (1, 2, …) or \"latest\", got " + version);
        }
        if (publishedVersion == null || !publishedVersion.test(n)) {
            throw HttpError.badRequest("unknown_workflow_version", "Workflow version " + n
                    + " is not published on this server; list versions with GET /admin/workflows/{id}/versions");
        }
        return n;
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@return the caller's session cookie}: the one sent, or a new one added to {@code res} as
     * {@code Set-Cookie} when none, a malformed one or one whose identity was logged out was sent. Shared with
     * {@link dev.parley.web.hosted.HostedSessionService}, so both session modes identify a browser the same way.
     *
     * @param loggedOut whether a user id (see {@link #userIdOf}) has logged out
     */
    public static String sessionCookie(ServerRequest req, ServerResponse res, CookieSettings cookie,
            Predicate<String> loggedOut) {
        String sent = Requests.cookie(req, COOKIE).filter(v -> VALID_COOKIE.matcher(v).matches()).orElse(null);
        if (sent != null && !loggedOut.test(userIdOf(sent))) return sent;
        String issued = UUID.randomUUID().toString();
        res.header(HeaderNames.SET_COOKIE, cookie.header(COOKIE, issued, COOKIE_MAX_AGE_SECONDS));
        return issued;
    }

    /**
     * {@return the user id for a session cookie}: {@code usr_} and 128 bits of its SHA-256. Stable (the same
     * cookie is always the same user, whatever the signing key) and one-way (the id reveals nothing usable).
     */
    public static String userIdOf(String sessionCookie) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("parley/session/" + sessionCookie).getBytes(StandardCharsets.UTF_8));
            return "usr_" + Hmac.base64Url(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
