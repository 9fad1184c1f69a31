package dev.parley.server;

import dev.parley.protocol.ThreadStreamEvent;

/**
 * A failure inside a stream that the user should hear about, thrown by a {@link Responder}. It becomes one
 * {@code error} event: with {@link #custom} the message is shown to the user; otherwise the client shows
 * its own text for the code.
 */
public class StreamError extends RuntimeException {
    private final String code;
    private final boolean allowRetry;
    private final String userMessage;

    private StreamError(String code, String userMessage, boolean allowRetry, Throwable cause) {
        super(userMessage == null ? code : userMessage, cause);
        this.code = code;
        this.allowRetry = allowRetry;
        this.userMessage = userMessage;
    }

    /** {@return an error with a code the client knows, such as {@code stream.error}} */
    public static StreamError of(String code, boolean allowRetry) {
        return new StreamError(code, null, allowRetry, null);
    }

    /** {@return an error whose message the user reads} */
    public static StreamError custom(String userMessage, boolean allowRetry) {
        return new StreamError(ThreadStreamEvent.Error.CUSTOM, userMessage, allowRetry, null);
    }

    /** {@return the same error, keeping the cause for the operator's log} */
    public StreamError withCause(Throwable cause) {
        return new StreamError(code, userMessage, allowRetry, cause);
    }

    public ThreadStreamEvent.Error toEvent() {
        return new ThreadStreamEvent.Error(code, userMessage, allowRetry);
    }
}
