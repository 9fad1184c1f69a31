package dev.parley.server;

import dev.parley.protocol.ThreadStreamEvent;

/** Where a streamed response's events go. */
@FunctionalInterface
public interface EventSink {
    /**
     * Sends one event.
     *
     * @throws ClientGoneException if the client has disconnected; the turn should stop
     */
    void emit(ThreadStreamEvent event);
}
