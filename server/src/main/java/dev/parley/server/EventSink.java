package dev.parley.server;

import dev.parley.protocol.ThreadStreamEvent;

/**
 * Where a streamed response's events go. A client that disconnects is a state of the sink, not an exception:
 * {@link #emit} then drops events quietly and {@link #isOpen()} turns false, which the respond pipeline and a
 * long-running responder check to stop working for nobody.
 */
@FunctionalInterface
public interface EventSink {
    /** Sends one event; after the client has gone, drops it. Never throws because the client left. */
    void emit(ThreadStreamEvent event);

    /** {@return whether anyone is still listening} (a sink that cannot tell says yes) */
    default boolean isOpen() {
        return true;
    }

    /**
     * Finds out whether anyone is still listening while there is nothing to send (a tool call or a model that
     * takes its time), by writing something the client ignores; a closed connection shows only on a write.
     * {@return whether anyone is still listening}
     */
    default boolean probe() {
        return isOpen();
    }
}
