package dev.parley.embed;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.InvalidRequestException;
import dev.parley.server.ChatKitException;
import dev.parley.store.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A refused request as an HTTP answer: the status and the body {@code {"error":{"code":…,"message":…}}} that
 * Parley's own server sends, so clients see the same errors whichever server hosts Parley.
 *
 * <pre>{@code
 * try { … parley.process(body, ctx) … }
 * catch (RuntimeException e) {
 *     ErrorResponse error = ErrorResponse.of(e).orElseGet(() -> ErrorResponse.internal(logWithReference(e)));
 *     send(error.status(), "application/json", error.json());
 * }
 * }</pre>
 *
 * @param status  the HTTP status, 4xx for the client's mistakes
 * @param code    a stable machine-readable code such as {@code invalid_json} or {@code not_found}
 * @param message what was wrong and how to fix it, for the developer reading it
 */
public record ErrorResponse(int status, String code, String message) {

    /**
     * {@return the answer for an exception {@link Parley#process} throws for the client's request}; empty for
     * anything else, which is the host's failure to log and answer with {@link #internal}
     */
    public static Optional<ErrorResponse> of(RuntimeException e) {
        return switch (e) {
            case InvalidRequestException r -> Optional.of(new ErrorResponse(400, r.code(), r.getMessage()));
            case NotFoundException n -> Optional.of(new ErrorResponse(404, "not_found", n.getMessage()));
            case ChatKitException c -> Optional.of(new ErrorResponse(c.status(), c.code(), c.getMessage()));
            default -> Optional.empty();
        };
    }

    /** {@return a 500 that tells the client only where the operator can find the failure} */
    public static ErrorResponse internal(String reference) {
        return new ErrorResponse(500, "internal_error",
                "The server failed to handle this request; the operator can find it in the log under ref " + reference);
    }

    /** {@return the JSON body, UTF-8} */
    public byte[] json() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return ChatKitJson.writeWire(Map.of("error", error));
    }
}
