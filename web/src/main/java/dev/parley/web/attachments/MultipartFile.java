package dev.parley.web.attachments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds one file field in a {@code multipart/form-data} body and streams its bytes, without buffering the
 * file. Helidon 4.5 publishes no multipart module, and the upload route needs only this much of the format.
 *
 * <p>Everything before the wanted part (preamble, other fields) is skipped, but only up to a small limit, and
 * each part's headers are limited too, so a malformed or hostile body cannot make the server read without end.
 * A body that ends before the part's closing boundary fails the read with {@link MalformedException} rather
 * than passing as a shorter file.
 */
public final class MultipartFile {
    private static final int BUFFER = 32 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final long MAX_SKIPPED_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    /** One file part: its stream ends where the part ends. */
    record Part(String fileName, String contentType, InputStream body) {}

    /** The body is not the multipart the headers announced. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private long skipped;

    private MultipartFile(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // Every delimiter, the first one included, is then "CRLF--boundary": the first needs no special case.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /**
     * {@return the boundary parameter of a multipart content type, if valid}
     *
     * @param contentType the full {@code Content-Type} header value
     */
    static Optional<String> boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = unquote(p.substring(9).strip());
                if (!b.isEmpty() && b.length() <= 70 && b.chars().allMatch(c -> c > 32 && c < 127 || c == ' ')) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@return the part named {@code field}, or empty if the body has none}. The part's stream reads from
     * {@code in}; read it to its end before reading anything else from {@code in}.
     *
     * @throws MalformedException if the body is not well-formed multipart up to that part
     */
    static Optional<Part> find(InputStream in, String boundary, String field) throws IOException {
        return new MultipartFile(in, boundary).find(field);
    }

    private Optional<Part> find(String field) throws IOException {
        while (true) {
            skipToDelimiter();
            if (!fill(2)) throw new MalformedException("The multipart body ends without a closing boundary");
            if (buf[pos] == '-' && buf[pos + 1] == '-') return Optional.empty();
            skipLinearWhitespace();
            if (!startsWith(CRLF)) throw new MalformedException("A multipart boundary is not followed by a line break");
            pos += 2;
            String headers = readHeaders();
            String disposition = header(headers, "content-disposition");
            if (disposition != null && field.equals(param(disposition, "name"))) {
                String type = header(headers, "content-type");
                return Optional.of(new Part(param(disposition, "filename"), type, new PartStream()));
            }
        }
    }

    /** Skips a preamble or an unwanted part, up to the next delimiter (which is consumed). */
    private void skipToDelimiter() throws IOException {
        while (true) {
            fill(delimiter.length);
            int at = indexOf(delimiter, pos, lim);
            if (at >= 0) {
                skipped += at - pos;
                pos = at + delimiter.length;
                return;
            }
            if (eof) throw new MalformedException("The multipart body has no boundary \"" + boundaryText() + "\"");
            int keep = delimiter.length - 1;
            skipped += (lim - pos) - keep;
            pos = lim - keep;
            if (skipped > MAX_SKIPPED_BYTES) {
                throw new MalformedException("The multipart body has more than " + MAX_SKIPPED_BYTES
                        + " bytes before the file field");
            }
        }
    }

    private void skipLinearWhitespace() throws IOException {
        while (fill(1) && (buf[pos] == ' ' || buf[pos] == '\t')) pos++;
    }

    private String readHeaders() throws IOException {
        if (fill(2) && startsWith(CRLF)) {
            pos += 2;
            return "";
        }
        while (true) {
            int end = indexOf(HEADERS_END, pos, lim);
            if (end >= 0) {
                String headers = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                pos = end + HEADERS_END.length;
                return headers;
            }
            if (lim - pos >= MAX_HEADER_BYTES) throw new MalformedException("A multipart part has over 16 KiB of headers");
            if (!fill(lim - pos + 1)) throw new MalformedException("The multipart body ends inside a part's headers");
        }
    }

    /** Streams one part's bytes, stopping before the delimiter that ends it. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (len == 0) return 0;
            fill(delimiter.length);
            int at = indexOf(delimiter, pos, lim);
            if (at == pos) {
                done = true;
                pos += delimiter.length;
                return -1;
            }
            int available;
            if (at > pos) {
                available = at - pos;
            } else if (eof) {
                throw new MalformedException("The upload ended before the multipart closing boundary");
            } else {
                // The buffer's tail could be the start of a delimiter; hold it back until more arrives.
                available = lim - pos - (delimiter.length - 1);
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** {@return whether at least {@code need} unread bytes are buffered}; reads more (compacting) as needed. */
    private boolean fill(int need) throws IOException {
        if (lim - pos >= need) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < need && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n == -1) {
                eof = true;
            } else {
                lim += n;
            }
        }
        return lim - pos >= need;
    }

    private boolean startsWith(byte[] prefix) {
        if (lim - pos < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (buf[pos + i] != prefix[i]) return false;
        }
        return true;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private String boundaryText() {
        return new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
    }

    /** {@return the value of a header in a part's header block, or null} */
    private static String header(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** {@return a parameter of a header value such as {@code form-data; name="file"}, or null} */
    private static String param(String value, String name) {
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return unquote(part.substring(eq + 1).strip());
            }
        }
        return null;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }
}
