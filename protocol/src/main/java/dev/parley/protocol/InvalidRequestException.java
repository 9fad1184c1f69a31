package dev.parley.protocol;

/**
 * A request body that cannot be understood: malformed JSON, an unknown {@code type}, or a missing or
 * ill-typed parameter. The message says what to fix and is safe to show to the client.
 */
public final class InvalidRequestException extends RuntimeException {
    private final String code;

    public InvalidRequestException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** {@return a short machine-readable reason, such as {@code invalid_json} or {@code unknown_type}} */
    public String code() {
        return code;
    }
}
