package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Speaks HTTP/1.1 over a plain socket, byte for byte as given, for requests the JDK client refuses to send:
 * broken chunked bodies, bodies shorter than their Content-Length, oversized or malformed heads, HTTP/1.0.
 *
 * <pre>{@code
 * RawHttp.Reply r = RawHttp.exchange(server.uri("/"), "POST /chatkit HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabcd", true);
 * assertThat(r.status()).isEqualTo(400);
 * }</pre>
 */
final class RawHttp {
    private RawHttp() {}

    /**
     * Sends {@code request} on a new connection, half-closes it if asked (the client has nothing more to say), and
     * {@return the first response}, read until the server closes or the response's Content-Length is complete
     */
    static Reply exchange(URI base, String request, boolean halfClose) {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1), halfClose, 15_000);
    }

    static Reply exchange(URI base, byte[] request, boolean halfClose, int timeoutMillis) {
        try (Socket socket = open(base, timeoutMillis)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) socket.shutdownOutput();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Socket open(URI base, int timeoutMillis) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * {@return one response from the stream}, or a reply with status -1 when the server closed (or reset) the
     * connection before sending a status line
     */
    static Reply read(InputStream in) throws IOException {
        Reply r = readOne(in);
        // An interim "100 Continue" precedes the real answer.
        while (r.status() >= 100 && r.status() < 200) r = readOne(in);
        return r;
    }

    private static Reply readOne(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
            }
        } catch (SocketException e) {
            // A reset: the server closed without answering (or without our reading the answer).
        }
        if (head.size() == 0) return new Reply(-1, Map.of(), "");
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        var body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (status < 200 || status == 204 || status == 304) return new Reply(status, headers, "");
        try {
            if (length != null) {
                body.write(in.readNBytes(Integer.parseInt(length)));
            } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                in.transferTo(body);
            } else {
                body.write(dechunk(in));
            }
        } catch (SocketTimeoutException | SocketException e) {
            // Keep what arrived.
        }
        return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        while (true) {
            var line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') if (b != '\r') line.append((char) b);
            int size = Integer.parseInt(line.toString().split(";")[0].strip(), 16);
            if (size == 0) return out.toByteArray();
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }

    /** A response as received; {@code status} is -1 when the server closed without answering. */
    record Reply(int status, Map<String, String> headers, String body) {
        /** {@return the body parsed as JSON} @throws AssertionError unless it is a JSON document of type application/json */
        JsonNode json() {
            String type = headers.getOrDefault("content-type", "");
            if (!type.startsWith("application/json")) throw new AssertionError("Not JSON (" + type + "): " + this);
            try {
                return TestServer.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Invalid JSON: " + this, e);
            }
        }

        /** {@return the error body's code} @throws AssertionError unless the body is Parley's JSON error shape */
        String errorCode() {
            JsonNode error = json().path("error");
            if (!error.path("code").isTextual() || !error.path("message").isTextual()) {
                throw new AssertionError("Not {\"error\":{\"code\":…,\"message\":…}}: " + this);
            }
            return error.path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
