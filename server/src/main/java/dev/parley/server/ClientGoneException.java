package dev.parley.server;

/** The client closed the stream; thrown from {@link EventSink#emit} so the producer stops. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("The client disconnected", cause, false, false);
    }
}
