package dev.parley.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one key per purpose. Client secrets, upload tokens and preview signatures are signed with
 * keys derived from the one master key, so a value minted for one purpose can never be replayed as another.
 */
final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    private Hmac(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** {@return a signer whose key is derived from the master key for one purpose only} */
    static Hmac forPurpose(byte[] masterKey, String purpose) {
        return new Hmac(new Hmac(masterKey).sign(purpose.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return the 32-byte signature of the data} */
    byte[] sign(byte[] data) {
        try {
            // Mac instances are not thread-safe and cheap to create; one per call suits virtual threads.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@return whether the signature matches, compared in constant time} */
    boolean verify(byte[] data, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(data), signature);
    }

    static String base64Url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /**
     * {@return the decoded bytes, or null when the text is not canonical unpadded base64url}. The decoder alone
     * ignores the unused low bits of the last character, so several spellings would decode alike; only the one
     * we would have written is accepted, so a signed value has exactly one valid text form.
     */
    static byte[] fromBase64Url(String text) {
        try {
            byte[] bytes = B64_DECODE.decode(text);
            return B64.encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
