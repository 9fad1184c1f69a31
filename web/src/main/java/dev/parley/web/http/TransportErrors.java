package dev.parley.web.http;

import dev.parley.protocol.ChatKitJson;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers requests Helidon refuses before (or instead of) routing them, with Parley's JSON error body rather than
 * Helidon's empty one: a malformed request line or headers, headers over the size limit, a request line over its
 * limit (414), HTTP/1.0 (505), a {@code Content-Encoding} (Parley takes uncompressed bodies: 415), broken body
 * framing found by Helidon itself. Helidon closes the connection after each of these.
 *
 * <p>Helidon hands over no reason beyond the status and what it parsed of the request, so the messages name what
 * to check. Helidon reports some parse failures as internal errors (the client hung up inside the headers, a
 * control character in the method); those come before any request line is known and are answered as the 400s they
 * are. Any other 500 here is a failure inside Helidon or Parley, and Helidon logs it.
 */
public final class TransportErrors implements DirectHandler {
    private final int maxHeaderBytes;
    private final int maxRequestLineBytes;

    /** @param maxHeaderBytes and maxRequestLineBytes the listener's limits, quoted in the messages */
    public TransportErrors(int maxHeaderBytes, int maxRequestLineBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxRequestLineBytes = maxRequestLineBytes;
    }

    /** {@return this handler for every kind of event} */
    public DirectHandlers all() {
        var builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) builder.addHandler(type, this);
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
            ServerResponseHeaders responseHeaders, String message) {
        Status status = defaultStatus;
        String code;
        String text;
        boolean encoded = request.headers().contains(HeaderNames.CONTENT_ENCODING);
        if (eventType == EventType.INTERNAL_ERROR && request.path().isEmpty()) {
            // Helidon failed before it had a request line: its parser threw on the client's bytes (a request that
            // ended inside its head, a control character in the method). No Parley code runs there.
            status = Status.BAD_REQUEST_400;
        }
        switch (status.code()) {
            case 400 -> {
                if (encoded) {
                    status = Status.UNSUPPORTED_MEDIA_TYPE_415;
                    code = "unsupported_content_encoding";
                    text = "Parley takes uncompressed request bodies: send the body without a Content-Encoding "
                            + "header (got \"" + printable(request.headers().get(HeaderNames.CONTENT_ENCODING).get()) + "\")";
                } else if (request.path().isEmpty()) {
                    code = "invalid_request_line";
                    text = "The request is not valid HTTP/1.1: it ended early, or its request line is malformed; send "
                            + "\"METHOD /path HTTP/1.1\" ended by CRLF, then the headers and an empty line";
                } else if (request.headers().size() == 0) {
                    code = "invalid_headers";
                    text = "The request headers are malformed or larger than " + maxHeaderBytes + " bytes in all; send "
                            + "\"Name: value\" lines ended by CRLF, then an empty line";
                } else {
                    code = "malformed_request";
                    text = "The request is not valid HTTP/1.1; check the Host and Content-Length headers and, for a "
                            + "chunked body, its chunk sizes and final empty chunk";
                }
            }
            case 413 -> {
                code = "body_too_large";
                text = "The request body is larger than this server accepts";
            }
            case 414 -> {
                code = "uri_too_long";
                text = "The request line is longer than " + maxRequestLineBytes + " bytes; send long values in the "
                        + "request body instead of the URL";
            }
            case 505 -> {
                code = "http_version_not_supported";
                text = "Parley speaks HTTP/1.1; send the request as HTTP/1.1";
            }
            case 503 -> {
                code = "server_busy";
                text = "The server is handling as many requests as it allows; try again shortly";
            }
            case 500 -> {
                code = "internal_error";
                text = "The server failed to handle this request; the operator can find it in the log";
            }
            default -> {
                code = "request_refused";
                text = "The request was refused (" + status.code() + " " + status.reasonPhrase() + ")";
            }
        }
        ServerResponseHeaders headers = ServerResponseHeaders.create(responseHeaders);
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(false)
                .entity(ChatKitJson.writeWire(ErrorResponses.errorBody(code, text)))
                .build();
    }

    /** The header echoed back is the client's own text; keep it short and free of control characters. */
    private static String printable(String value) {
        String v = value.replaceAll("[^\\x20-\\x7e]", "?");
        return v.length() <= 40 ? v : v.substring(0, 40) + "…";
    }
}
