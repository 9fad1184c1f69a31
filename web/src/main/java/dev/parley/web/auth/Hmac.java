package dev.parley.web.auth;

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
public final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /**
     * Initialised once and cloned per call: Mac instances are not thread-safe, and {@code Mac.getInstance}
     * plus {@code init} walks the provider list on every call, which cost about 5% of the CPU of a streamed
     * chat turn (one client secret verification each). Null if the provider's Mac cannot be cloned.
     */
    private final Mac prototype;

    private Hmac(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        Mac mac = newMac();
        Mac proto;
        try {
            mac.clone();
            proto = mac;
        } catch (CloneNotSupportedException e) {
            proto = null;
        }
        this.prototype = proto;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@return a signer whose key is derived from the master key for one purpose only} */
    public static Hmac forPurpose(byte[] masterKey, String purpose) {
        return new Hmac(new Hmac(masterKey).sign(purpose.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return the 32-byte signature of the data} */
    public byte[] sign(byte[] data) {
        Mac mac;
        if (prototype == null) {
            mac = newMac();
        } else {
            try {
                // The prototype is never used itself, only copied, so concurrent clones are safe.
                mac = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                mac = newMac();
            }
        }
        return mac.doFinal(data);
    }

    /** {@return whether the signature matches, compared in constant time} */
    public boolean verify(byte[] data, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(data), signature);
    }

    public static String base64Url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /**
     * {@return the decoded bytes, or null when the text is not canonical unpadded base64url}. The decoder alone
     * ignores the unused low bits of the last character, so several spellings would decode alike; only the one
     * we would have written is accepted, so a signed value has exactly one valid text form.
     */
    public static byte[] fromBase64Url(String text) {
        try {
            byte[] bytes = B64_DECODE.decode(text);
            return B64.encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
