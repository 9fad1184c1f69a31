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

    /** {@return whether the text holds half a surrogate pair, which Jackson's rules, not these, must write} */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    JsonFrame raw(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, at, bytes.length);
        at += bytes.length;
        return this;
    }

    /** Writes the string's characters escaped, without quotes. */
    JsonFrame string(String s) {
        room(6 * s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') buf[at++] = '\\';
                buf[at++] = (byte) c;
            } else if (c < 0x20) {
                buf[at++] = '\\';
                switch (c) {
                    case '\n' -> buf[at++] = 'n';
                    case '\r' -> buf[at++] = 'r';
                    case '\t' -> buf[at++] = 't';
                    case '\b' -> buf[at++] = 'b';
                    case '\f' -> buf[at++] = 'f';
                    default -> {
                        buf[at++] = 'u';
                        buf[at++] = '0';
                        buf[at++] = '0';
                        buf[at++] = HEX[c >> 4];
                        buf[at++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                buf[at++] = (byte) (0xC0 | (c >> 6));
                buf[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // Jackson 2 writes characters beyond the BMP as their escaped surrogate pair, not as UTF-8.
                escapedSurrogates = true;
                buf[at++] = '\\';
                buf[at++] = 'u';
                buf[at++] = HEX[c >> 12];
                buf[at++] = HEX[(c >> 8) & 0xF];
                buf[at++] = HEX[(c >> 4) & 0xF];
                buf[at++] = HEX[c & 0xF];
            } else {
                buf[at++] = (byte) (0xE0 | (c >> 12));
                buf[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
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
