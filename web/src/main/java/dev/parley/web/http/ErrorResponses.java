package dev.parley.web.http;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.InvalidRequestException;
import dev.parley.server.ChatKitException;
import dev.parley.store.NotFoundException;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns every exception a handler throws into a JSON error with the right status, in one place:
 *
 * <ul>
 *   <li>{@link HttpError}: its own status, code and headers (a refused client secret is one: 401 with
 *       {@code WWW-Authenticate: Bearer});
 *   <li>{@link InvalidRequestException}: 400 with its code ({@code invalid_json}, {@code unknown_type}, …);
 *   <li>{@link NotFoundException}: 404 {@code not_found};
 *   <li>{@link ChatKitException}: its status and code;
 *   <li>anything else: 500 {@code internal_error} with a generic message and a reference; the stack trace goes
 *       to the server log under that reference, never to the client.
 * </ul>
 *
 * <p>A refused request whose body was not read closes its connection, unless the body is at most a MiB: otherwise
 * the server would have to read (and throw away) an arbitrarily large upload just to keep the connection alive.
 * Smaller ones are read and thrown away (within the body timeout of {@link ConnectionGuard}), because closing a
 * connection with unread input resets it, and the reset can reach the client before it reads the refusal (the
 * fuzz test saw this with a 200 KB body refused by the 16 KiB session route).
 */
public final class ErrorResponses implements ErrorHandler<Exception> {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());
    /** Unread bodies up to this size are drained, so the refusal reaches the client and the connection is reused. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    @Override
    public void handle(ServerRequest req, ServerResponse res, Exception e) {
        switch (e) {
            case HttpError h -> {
                h.headers().forEach(res::header);
                send(req, res, h.status(), h.code(), h.getMessage());
            }
            case InvalidRequestException r -> send(req, res, 400, r.code(), r.getMessage());
            case NotFoundException n -> send(req, res, 404, "not_found", n.getMessage());
            case ChatKitException c -> send(req, res, c.status(), c.code(), c.getMessage());
            default -> {
                String ref = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                LOG.log(System.Logger.Level.ERROR, "Request " + req.prologue().method().text() + " "
                        + req.path().path() + " failed (ref " + ref + ")", e);
                send(req, res, 500, "internal_error",
                        "The server failed to handle this request; the operator can find it in the log under ref " + ref);
            }
        }
    }

    /** Sends {@code {"error":{"code":…,"message":…}}}. */
    static void send(ServerRequest req, ServerResponse res, int status, String code, String message) {
        if (!req.content().consumed() && req.headers().contentLength().orElse(Long.MAX_VALUE) > DRAIN_LIMIT) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        json(res, status, errorBody(code, message));
    }

    /**
     * {@return the error body {@code {"error":{"code":…,"message":…}}}}; also what {@link TransportErrors} sends
     * for requests refused before routing, so every refusal has the same shape
     */
    static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return Map.of("error", error);
    }

    /**
     * {@return a whole HTTP/1.1 error response with the JSON error body, ending the connection}, for the few places
     * that must answer on a connection Helidon is not answering on (a request head that arrived too late)
     */
    static byte[] rawResponse(Status status, String code, String message) {
        byte[] body = ChatKitJson.writeWire(errorBody(code, message));
        String head = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head8, head8.length + body.length);
        System.arraycopy(body, 0, out, head8.length, body.length);
        return out;
    }

    /** Sends a JSON body in the client's view (server-only fields left out). */
    public static void json(ServerResponse res, int status, Object body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(ChatKitJson.writeWire(body));
    }
}
