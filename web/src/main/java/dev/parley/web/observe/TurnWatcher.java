package dev.parley.web.observe;

import dev.parley.server.EventSink;

/**
 * Watches the event streams of chat turns for metrics: how long each turn took, how long until its first piece
 * of reply text, how it ended, and how many are open now. {@link #NONE} hands the sink back untouched.
 */
public interface TurnWatcher {
    TurnWatcher NONE = (sink, type, startNanos) -> new Watched() {
        @Override
        public void emit(dev.parley.protocol.ThreadStreamEvent event) {
            sink.emit(event);
        }

        @Override
        public boolean isOpen() {
            return sink.isOpen();
        }

        @Override
        public boolean probe() {
            return sink.probe();
        }

        @Override
        public void close() {}
    };

    /**
     * {@return {@code sink}, watched until {@link Watched#close()}}
     *
     * @param type       the ChatKit request type
     * @param startNanos when the request arrived ({@link System#nanoTime()})
     */
    Watched watch(EventSink sink, String type, long startNanos);

    /** A watched stream: events pass through; closing it records how the turn ended. */
    interface Watched extends EventSink, AutoCloseable {
        @Override
        void close();
    }
}
