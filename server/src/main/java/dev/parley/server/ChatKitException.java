package dev.parley.server;

/**
 * A request the server refuses before any event is streamed, with the HTTP status and a message that says
 * what to fix. Missing records are {@link dev.parley.store.NotFoundException}; malformed bodies are
 * {@link dev.parley.protocol.InvalidRequestException}.
 */
public final class ChatKitException extends RuntimeException {
    private final int status;
    private final String code;

    public ChatKitException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ChatKitException badRequest(String code, String message) {
        return new ChatKitException(400, code, message);
    }

    public static ChatKitException notImplemented(String code, String message) {
        return new ChatKitException(501, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
