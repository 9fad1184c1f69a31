package dev.parley.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one hand-written JSON frame ({@link DeltaFrames}, {@link AssistantFrames}) as they are put together.
 * Strings are escaped exactly as Jackson's UTF-8 generator escapes them with this protocol's settings: the
 * two-character escapes, {@code \\u00XX} in upper case for other control characters and for both halves of a
 * surrogate pair, everything else as UTF-8. Sized by the caller's estimate, grown if that was short.
 */
final class JsonFrame {
    private static final byte[] HEX = ascii("0123456789ABCDEF");

    private byte[] buf;
    private int at;
    /** Whether a string held surrogates: the wire escapes them, stored text (a character writer's) does not. */
    private boolean escapedSurrogates;

    JsonFrame(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    JsonFrame raw(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, at, bytes.length);
        at += bytes.length;
        return this;
    }

    /**
     * Writes the string's characters escaped, without quotes. Every surrogate is escaped on its own, paired or not,
     * as Jackson's byte generator does, so half a pair needs no other path.
     */
    JsonFrame string(String s) {
        int n = s.length();
        room(6 * n);
        byte[] b = buf;
        int p = at;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') b[p++] = '\\';
                b[p++] = (byte) c;
            } else if (c < 0x20) {
                b[p++] = '\\';
                switch (c) {
                    case '\n' -> b[p++] = 'n';
                    case '\r' -> b[p++] = 'r';
                    case '\t' -> b[p++] = 't';
                    case '\b' -> b[p++] = 'b';
                    case '\f' -> b[p++] = 'f';
                    default -> {
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX[c >> 4];
                        b[p++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Jackson 2 writes characters beyond the BMP as their escaped surrogate pair, not as UTF-8.
                escapedSurrogates = true;
                b[p++] = '\\';
                b[p++] = 'u';
                b[p++] = HEX[c >> 12];
                b[p++] = HEX[(c >> 8) & 0xF];
                b[p++] = HEX[(c >> 4) & 0xF];
                b[p++] = HEX[c & 0xF];
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        at = p;
        return this;
    }

    JsonFrame number(int n) {
        return raw(ascii(Integer.toString(n)));
    }

    JsonFrame quote() {
        return put('"');
    }

    JsonFrame comma() {
        return put(',');
    }

    JsonFrame close() {
        return put('}');
    }

    JsonFrame put(char c) {
        room(1);
        buf[at++] = (byte) c;
        return this;
    }

    boolean escapedSurrogates() {
        return escapedSurrogates;
    }

    String text() {
        return new String(buf, 0, at, StandardCharsets.UTF_8);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, at);
    }

    private void room(int more) {
        if (at + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + more));
    }
}
