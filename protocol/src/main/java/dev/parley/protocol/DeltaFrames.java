package dev.parley.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a text-delta event straight to bytes. A streamed turn is mostly deltas (one per word or token), and even
 * a bare generator per delta cost a tenth of a turn's CPU. The bytes are exactly those of Jackson's data binding
 * with this protocol's settings (same field order, same escaping: the two-character escapes, {@code \\u00XX} in
 * upper case for other control characters and for both halves of a surrogate pair, everything else as UTF-8);
 * {@code ChatKitJsonTest} compares the two.
 */
final class DeltaFrames {
    private static final byte[] HEAD = ascii("{\"type\":\"thread.item.updated\",\"item_id\":\"");
    private static final byte[] MIDDLE = ascii("\",\"update\":{\"type\":\"assistant_message.content_part.text_delta\","
            + "\"content_index\":");
    private static final byte[] DELTA = ascii(",\"delta\":\"");
    private static final byte[] TAIL = ascii("\"}}");
    private static final byte[] HEX = ascii("0123456789ABCDEF");

    private DeltaFrames() {}

    /** {@return false, writing nothing, when the text holds a lone surrogate (left to Jackson's rules)} */
    static boolean write(String itemId, int index, String delta, OutputStream out) throws IOException {
        if (hasLoneSurrogate(itemId) || hasLoneSurrogate(delta)) return false;
        byte[] buf = new byte[HEAD.length + MIDDLE.length + DELTA.length + TAIL.length + 11
                + 6 * (itemId.length() + delta.length())];
        int at = put(HEAD, buf, 0);
        at = string(itemId, buf, at);
        at = put(MIDDLE, buf, at);
        at = put(ascii(Integer.toString(index)), buf, at);
        at = put(DELTA, buf, at);
        at = string(delta, buf, at);
        at = put(TAIL, buf, at);
        out.write(buf, 0, at);
        return true;
    }

    static int string(String s, byte[] buf, int at) {
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
        return at;
    }

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

    private static int put(byte[] bytes, byte[] buf, int at) {
        System.arraycopy(bytes, 0, buf, at, bytes.length);
        return at + bytes.length;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
