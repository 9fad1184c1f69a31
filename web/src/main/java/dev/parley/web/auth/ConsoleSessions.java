package dev.parley.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sessions: what the console's cookie holds instead of the admin token. A session is
 * {@code v1.<expiry epoch seconds>.<random nonce>.<signature>}, signed with a key derived for this purpose only,
 * over the expiry, the nonce and a digest of the admin token. The token itself never leaves the sign-in request,
 * and changing {@code PARLEY_ADMIN_TOKEN} ends every console session at once, since their signatures no longer
 * match. Signing out cancels the session on every server through the same list as cancelled client secrets
 * ({@link Revocations}), so a copy of the cookie stops working too.
 */
public final class ConsoleSessions {
    /** The cookie's name; {@code __Host-} would demand {@code Secure}, which plain-HTTP local servers lack. */
    public static final String COOKIE = "parley_console";
    /** A working day: long enough not to interrupt an operator, short enough that a forgotten tab expires. */
    public static final Duration TTL = Duration.ofHours(8);
    private static final Pattern SHAPE = Pattern.compile("v1\\.(\\d{1,12})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Hmac hmac;
    private final byte[] tokenDigest;
    private final Clock clock;
    private final Revocations revocations;

    /** @param token the admin token the sessions stand for (not null: without one there is no console) */
    public ConsoleSessions(byte[] masterKey, String token, Clock clock) {
        this(masterKey, token, clock, null);
    }

    /** @param revocations where signed-out sessions are listed for every server, or null to keep none */
    public ConsoleSessions(byte[] masterKey, String token, Clock clock, Revocations revocations) {
        this.hmac = Hmac.forPurpose(masterKey, "parley console session v1");
        this.tokenDigest = sha256(token.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.revocations = revocations;
    }

    /** A new session's cookie value and when it ends. */
    public record Issued(String value, Instant expiresAt) {}

    public Issued issue() {
        Instant expires = clock.instant().plus(TTL);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String body = "v1." + expires.getEpochSecond() + "." + Hmac.base64Url(nonce);
        return new Issued(body + "." + Hmac.base64Url(hmac.sign(signed(body))), expires);
    }

    /** How a cookie value fared. */
    public enum Check { VALID, EXPIRED, SIGNED_OUT, FORGED }

    /** {@return whether the value is a session this server signed for the current token, and still running} */
    public Check check(String value) {
        var m = SHAPE.matcher(value);
        if (!m.matches()) return Check.FORGED;
        String body = value.substring(0, value.lastIndexOf('.'));
        if (!hmac.verify(signed(body), Hmac.fromBase64Url(m.group(3)))) return Check.FORGED;
        if (Long.parseLong(m.group(1)) <= clock.instant().getEpochSecond()) return Check.EXPIRED;
        return revocations != null && revocations.isRevoked(listed(m.group(2))) ? Check.SIGNED_OUT : Check.VALID;
    }

    /** Ends a valid session everywhere before it expires; anything else is left alone (there is nothing to end). */
    public void signOut(String value) {
        if (revocations == null || check(value) != Check.VALID) return;
        String[] parts = value.split("\\.");
        revocations.revoke(listed(parts[2]), Instant.ofEpochSecond(Long.parseLong(parts[1])));
    }

    /** The name a session has in the shared list, apart from client secrets' session ids. */
    private static String listed(String nonce) {
        return "console:" + nonce;
    }

    /** {@return when a valid session ends} */
    public Optional<Instant> expiry(String value) {
        if (check(value) != Check.VALID) return Optional.empty();
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.split("\\.")[1])));
    }

    private byte[] signed(String body) {
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1 + tokenDigest.length];
        System.arraycopy(text, 0, out, 0, text.length);
        out[text.length] = '|';
        System.arraycopy(tokenDigest, 0, out, text.length + 1, tokenDigest.length);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
