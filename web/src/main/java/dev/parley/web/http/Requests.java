package dev.parley.web.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** What handlers read from a request: credentials, cookies, locale, base URL and size-limited bodies. */
public final class Requests {
    /** A Host header value we are willing to put into links: a DNS name or IP literal, optional port. */
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}])(?::\\d{1,5})?");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,4}");

    private Requests() {}

    /** {@return the token of an {@code Authorization: Bearer} header, if there is one} */
    public static Optional<String> bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .map(String::strip)
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).strip())
                .filter(v -> !v.isEmpty());
    }

    /**
     * {@return the value of the named cookie, if sent}. Parsed here rather than by the server so that a
     * malformed Cookie header from some other application on the same domain cannot fail our request.
     */
    public static Optional<String> cookie(ServerRequest req, String name) {
        for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    String value = pair.substring(eq + 1).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** {@return the client's preferred language tag from {@code Accept-Language}, or null} */
    public static String locale(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.ACCEPT_LANGUAGE);
        if (header.isEmpty()) return null;
        String first = header.get().split(",", 2)[0].split(";", 2)[0].strip();
        return LANGUAGE_TAG.matcher(first).matches() ? first : null;
    }

    /**
     * {@return the base URL the client reached us at, without a trailing slash}: the configured public URL, or
     * the scheme from {@code X-Forwarded-Proto} (else the connection's) and the {@code Host} header. A Host
     * value that is not a plain host name or address is ignored, so it cannot inject text into links.
     */
    public static String baseUrl(ServerRequest req, URI publicUrl) {
        if (publicUrl != null) return publicUrl.toString();
        String scheme = first(req, HeaderNames.X_FORWARDED_PROTO)
                .map(s -> s.split(",", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(s -> s.equals("http") || s.equals("https"))
                .orElse(req.isSecure() ? "https" : "http");
        String host = first(req, HeaderNames.HOST)
                .map(String::strip)
                .filter(Requests::plainHost)
                .orElseGet(() -> hostLiteral(req.localPeer().host()) + ":" + req.localPeer().port());
        return scheme + "://" + host;
    }

    /** The last Host value found plain: a server is reached under one or two names, and this runs per request. */
    private static volatile String lastPlainHost;

    private static boolean plainHost(String host) {
        if (host.equals(lastPlainHost)) return true;
        if (!HOST.matcher(host).matches()) return false;
        lastPlainHost = host;
        return true;
    }

    /** {@return the media type without parameters, in lower case, or null when none was sent} */
    public static String mediaType(ServerRequest req) {
        return first(req, HeaderNames.CONTENT_TYPE)
                .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty())
                .orElse(null);
    }

    /** {@return the declared body length, if the client sent one} */
    public static OptionalLong contentLength(ServerRequest req) {
        try {
            return req.headers().contentLength();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Reads the whole body, refusing it as soon as it is known to exceed the limit: from {@code Content-Length}
     * before reading anything, or after {@code limit + 1} bytes of a body sent without one.
     *
     * @throws HttpError 413 with the given code and message when the body is larger than {@code limit}; 400
     *     {@code incomplete_body} as {@link #body} describes
     */
    public static byte[] readBody(ServerRequest req, long limit, String tooLargeCode, String tooLargeMessage) {
        long declared = contentLength(req).orElse(-1);
        if (declared > limit) throw HttpError.tooLarge(tooLargeCode, tooLargeMessage);
        if (!req.content().hasEntity()) return new byte[0];
        // Sized to the declared length: a chat request is a few hundred bytes, and two 8 KiB buffers per request
        // were the largest allocation of a streamed turn.
        int size = (int) Math.min(8192, declared >= 0 ? declared + 1 : Math.min(limit, 8192));
        var out = new ByteArrayOutputStream(size);
        byte[] buf = new byte[Math.max(size, 64)];
        try (InputStream in = body(req)) {
            long total = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > limit) throw HttpError.tooLarge(tooLargeCode, tooLargeMessage);
                out.write(buf, 0, n);
            }
        } catch (ClientReadFailure e) {
            throw e.refusal();
        } catch (IOException e) {
            // Closing a fully read body touches no socket; anything else here is ours.
            throw new UncheckedIOException("Closing the request body failed", e);
        }
        return out.toByteArray();
    }

    /**
     * {@return the request body as a stream whose read failures are the client's}: a broken chunked encoding or a
     * connection closed before {@code Content-Length} bytes arrived throws a {@link ClientReadFailure}, which callers
     * turn into a 400 with {@link ClientReadFailure#refusal()} rather than a 500. A body sent slower than the
     * {@link ConnectionGuard} allows has been answered with 408 by the guard, which then ends the request with
     * Helidon's {@link CloseConnectionException}; that passes through unchanged.
     */
    public static InputStream body(ServerRequest req) {
        return new ClientInput(req.content().inputStream());
    }

    /** {@return the integer query parameter {@code name}, or {@code fallback} when absent} @throws HttpError 400 */
    public static int intParam(ServerRequest req, String name, int fallback, int min, int max) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) return fallback;
        String text = raw.get().strip();
        long value;
        try {
            value = text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("invalid_" + name, name + " must be a whole number from " + min + " to " + max
                    + ", got \"" + shorten(text) + "\"");
        }
        if (value < min || value > max) {
            throw HttpError.badRequest("invalid_" + name, name + " must be from " + min + " to " + max + ", got " + shorten(text));
        }
        return (int) value;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /**
     * Reading the request body failed because of the client; {@link #refusal()} is what to answer (if the
     * connection still takes an answer). An IOException so it passes through code that reads streams.
     */
    public static final class ClientReadFailure extends IOException {
        private final HttpError refusal;

        ClientReadFailure(HttpError refusal, Throwable cause) {
            super(refusal.getMessage(), cause);
            this.refusal = refusal;
        }

        /** {@return the 4xx to answer; the connection is closed after it, as its framing can no longer be trusted} */
        public HttpError refusal() {
            return refusal;
        }
    }

    /** The body stream with read failures marked as the client's. */
    private static final class ClientInput extends FilterInputStream {
        private static final Map<String, String> CLOSE = Map.of("Connection", "close");

        ClientInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (CloseConnectionException e) {
                throw e; // The connection guard has answered already.
            } catch (IOException | RuntimeException e) {
                throw new ClientReadFailure(new HttpError(400, "incomplete_body", "The request body ended before "
                        + "its declared length or its chunked encoding is malformed; send the whole body, framed by "
                        + "Content-Length or valid chunks", CLOSE), e);
            }
        }
    }

    private static Optional<String> first(ServerRequest req, HeaderName name) {
        return req.headers().first(name);
    }

    private static String hostLiteral(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
