package dev.parley.web;

import java.util.Map;

/**
 * A refusal at the HTTP edge, answered as {@code {"error":{"code":…,"message":…}}} with its status. The
 * message is shown to the client, so it says what to fix and never carries internals.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    HttpError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    HttpError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    static HttpError badRequest(String code, String message) {
        return new HttpError(400, code, message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message);
    }

    static HttpError tooLarge(String code, String message) {
        return new HttpError(413, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** {@return extra response headers, such as {@code WWW-Authenticate} or {@code Allow}} */
    Map<String, String> headers() {
        return headers;
    }
}
