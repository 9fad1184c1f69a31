package dev.parley.web.auth;

import dev.parley.store.IdKind;
import dev.parley.web.http.HttpError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Short-lived bearer credentials for {@code POST /chatkit}, bound to one user and unforgeable without the
 * server's key.
 *
 * <p>A secret is {@code ck_} + base64url(payload) + {@code .} + base64url(HMAC-SHA256(key, payload)); the payload
 * holds a format byte, the expiry (Unix seconds), a session id, the user id, the workflow version the session
 * is pinned to (0: the latest) and the session's state variables. Nothing is stored server-side:
 * any server holding the key can verify a secret. A cancelled session's id is on a deny list
 * (see the constructor's {@code revoked}), so one secret can be revoked without rotating the key.
 *
 * <p>The payload is signed, not encrypted: whoever holds a secret can read the user id in it. That is why the
 * user id is never the session cookie itself (see {@link dev.parley.web.session.SessionService}).
 *
 * <pre>{@code
 * ClientSecrets secrets = new ClientSecrets(masterKey, Duration.ofMinutes(10));
 * ClientSecrets.Issued issued = secrets.issue("usr_3f1c...");
 * String userId = secrets.verify(issued.secret()).userId();
 * }</pre>
 */
public final class ClientSecrets {
    /** Every client secret starts with this, so a misplaced one is recognisable in logs and configs. */
    public static final String PREFIX = "ck_";

    /** Format 1 had no pinned workflow version, format 2 no state variables; both still verify until they expire. */
    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;
    private static final byte FORMAT = 3;
    /** Longer bearer values are rejected before any decoding, so garbage costs nothing. */
    private static final int MAX_LENGTH = 4096;
    /** State variables ride in the secret (signed, not secret), so every server can read them without storage. */
    public static final int MAX_STATE_BYTES = 2048;
    private static final int MAX_USER_ID_LENGTH = 256;

    private final Hmac hmac;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Predicate<String> revoked;

    /**
     * @param masterKey the server's key (at least 32 bytes); a purpose-specific key is derived from it
     * @param ttl       how long a new secret stays valid
     */
    public ClientSecrets(byte[] masterKey, Duration ttl) {
        this(masterKey, ttl, Clock.systemUTC(), sessionId -> false);
    }

    /** As {@link #ClientSecrets(byte[], Duration)}, with the clock that decides issue and expiry times. */
    public ClientSecrets(byte[] masterKey, Duration ttl, Clock clock) {
        this(masterKey, ttl, clock, sessionId -> false);
    }

    /**
     * As {@link #ClientSecrets(byte[], Duration, Clock)}, refusing secrets whose session {@code revoked} says was
     * cancelled.
     */
    public ClientSecrets(byte[] masterKey, Duration ttl, Clock clock, Predicate<String> revoked) {
        if (masterKey.length < 32) throw new IllegalArgumentException("The key must have at least 32 bytes");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("The ttl must be positive");
        this.hmac = Hmac.forPurpose(masterKey, "parley/client-secret/v1");
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revoked = Objects.requireNonNull(revoked, "revoked");
    }

    /** {@return how long a new secret stays valid} */
    public Duration ttl() {
        return ttl;
    }

    /** {@return a new secret for the user, in a new session that runs the latest workflow version} */
    public Issued issue(String userId) {
        return issue(userId, 0);
    }

    /**
     * {@return a new secret for the user, in a new session}
     *
     * @param workflowVersion the workflow version every turn of this session runs, or 0 for the latest
     */
    public Issued issue(String userId, int workflowVersion) {
        return issue(userId, workflowVersion, "");
    }

    /**
     * {@return a new secret for the user, in a new session}
     *
     * @param workflowVersion the workflow version every turn of this session runs, or 0 for the latest
     * @param stateVariables  a JSON object of workflow state variables for this session ("" for none), at most
     *                        {@value #MAX_STATE_BYTES} bytes; readable by whoever holds the secret
     */
    public Issued issue(String userId, int workflowVersion, String stateVariables) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(stateVariables, "stateVariables");
        if (stateVariables.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STATE_BYTES) {
            throw new IllegalArgumentException("State variables may take at most " + MAX_STATE_BYTES + " bytes of JSON");
        }
        if (workflowVersion < 0) throw new IllegalArgumentException("A workflow version is 0 (latest) or more");
        if (userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("A user id must have 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        byte[] sessionBytes = new byte[12];
        random.nextBytes(sessionBytes);
        String sessionId = IdKind.SESSION.prefix() + "_" + HexFormat.of().formatHex(sessionBytes);
        Instant expiresAt = Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
        byte[] payload = encode(sessionId, userId, expiresAt, workflowVersion, stateVariables);
        String secret = PREFIX + Hmac.base64Url(payload) + "." + Hmac.base64Url(hmac.sign(payload));
        return new Issued(secret, sessionId, userId, expiresAt, workflowVersion);
    }

    /**
     * {@return who the secret was issued to}
     *
     * @throws InvalidSecretException if the secret is malformed, was not signed with this server's key, or has
     *     expired; the message is safe to show to the client
     */
    public Verified verify(String secret) {
        // OpenAI's hosted sessions hand out ek_ secrets; a page that sends one here is wired to the wrong front end.
        if (secret != null && secret.startsWith("ek_")) throw InvalidSecretException.openAi();
        if (secret == null || secret.length() > MAX_LENGTH || !secret.startsWith(PREFIX)) throw InvalidSecretException.invalid();
        String body = secret.substring(PREFIX.length());
        int dot = body.indexOf('.');
        if (dot <= 0 || dot != body.lastIndexOf('.')) throw InvalidSecretException.invalid();
        byte[] payload = Hmac.fromBase64Url(body.substring(0, dot));
        byte[] signature = Hmac.fromBase64Url(body.substring(dot + 1));
        // The signature is checked before the payload is parsed, so unsigned input is never interpreted.
        if (payload == null || !hmac.verify(payload, signature)) throw InvalidSecretException.invalid();
        Verified verified = decode(payload);
        if (!clock.instant().isBefore(verified.expiresAt())) throw InvalidSecretException.expired();
        // A session is cancelled on its own (the backend's cancel) or with its whole identity (the page's log-out).
        if (revoked.test(verified.sessionId()) || revoked.test(verified.userId())) throw InvalidSecretException.revoked();
        return verified;
    }

    private static byte[] encode(String sessionId, String userId, Instant expiresAt, int workflowVersion,
            String stateVariables) {
        var bytes = new ByteArrayOutputStream(64 + userId.length());
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(expiresAt.getEpochSecond());
            out.writeUTF(sessionId);
            out.writeUTF(userId);
            out.writeInt(workflowVersion);
            out.writeUTF(stateVariables);
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static Verified decode(byte[] payload) {
        var bytes = new ByteArrayInputStream(payload);
        try (var in = new DataInputStream(bytes)) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_V2 && format != FORMAT_V1) throw InvalidSecretException.invalid();
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            String sessionId = in.readUTF();
            String userId = in.readUTF();
            int workflowVersion = format >= FORMAT_V2 ? in.readInt() : 0;
            String stateVariables = format >= FORMAT ? in.readUTF() : "";
            if (bytes.available() != 0 || userId.isEmpty() || workflowVersion < 0) throw InvalidSecretException.invalid();
            return new Verified(userId, sessionId, expiresAt, workflowVersion, stateVariables);
        } catch (IOException e) {
            // Only a payload we signed ourselves gets here, so this means a bug or a format change.
            throw InvalidSecretException.invalid();
        }
    }

    /**
     * A newly issued secret.
     *
     * @param secret    the bearer value the client sends
     * @param sessionId identifies this secret's session, for revocation
     * @param userId    the user it acts for
     * @param expiresAt when it stops being accepted (whole seconds)
     * @param workflowVersion the workflow version the session is pinned to, or 0 for the latest
     */
    public record Issued(String secret, String sessionId, String userId, Instant expiresAt, int workflowVersion) {
        @Override
        public String toString() {
            return "Issued[sessionId=" + sessionId + ", userId=" + userId + ", expiresAt=" + expiresAt
                    + ", workflowVersion=" + workflowVersion + "]";
        }
    }

    /**
     * What a valid secret says: the user it acts for, its session, its expiry, its pinned workflow version and the
     * session's state variables (a JSON object, or "" for none).
     */
    public record Verified(String userId, String sessionId, Instant expiresAt, int workflowVersion, String stateVariables) {}

    /** A secret that is missing, malformed, forged or expired. The message is meant for the client. */
    public static final class InvalidSecretException extends HttpError {
        private enum Reason { MISSING, INVALID, EXPIRED, REVOKED }

        private final Reason reason;

        private InvalidSecretException(String message, Reason reason) {
            super(401, code(reason), message, Map.of("WWW-Authenticate", challenge(reason)));
            this.reason = reason;
        }

        private static String code(Reason reason) {
            return switch (reason) {
                case MISSING -> "missing_token";
                case INVALID -> "invalid_token";
                case EXPIRED -> "expired_token";
                case REVOKED -> "revoked_token";
            };
        }

        /** RFC 6750: no error attribute when the request had no credentials at all. */
        private static String challenge(Reason reason) {
            return reason == Reason.MISSING ? "Bearer realm=\"parley\"" : "Bearer realm=\"parley\", error=\"invalid_token\"";
        }

        public static InvalidSecretException invalid() {
            return new InvalidSecretException(
                    "The client secret is not valid; get a new one from POST /api/chatkit/session", Reason.INVALID);
        }

        public static InvalidSecretException openAi() {
            return new InvalidSecretException("This is an OpenAI ChatKit client secret (from hosted mode); it works with "
                    + "OpenAI's ChatKit front end, not with Parley's /chatkit", Reason.INVALID);
        }

        public static InvalidSecretException expired() {
            return new InvalidSecretException(
                    "The client secret has expired; get a new one from POST /api/chatkit/session", Reason.EXPIRED);
        }

        public static InvalidSecretException revoked() {
            return new InvalidSecretException(
                    "The client secret's session was cancelled; get a new one from POST /api/chatkit/session", Reason.REVOKED);
        }

        /** The request carried no {@code Authorization: Bearer} header at all. */
        public static InvalidSecretException missing() {
            return new InvalidSecretException(
                    "Send \"Authorization: Bearer <client_secret>\"; get a secret from POST /api/chatkit/session",
                    Reason.MISSING);
        }

        /** {@return whether the secret was genuine but too old} */
        public boolean isExpired() {
            return reason == Reason.EXPIRED;
        }

        /** {@return whether the secret was genuine but its session was cancelled} */
        public boolean isRevoked() {
            return reason == Reason.REVOKED;
        }

        /** {@return whether no secret was sent at all} */
        public boolean isMissing() {
            return reason == Reason.MISSING;
        }
    }
}
