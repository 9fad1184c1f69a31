package dev.parley.web.observe;

import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;

/** A turn's stream as {@link Metrics} sees it: events pass through, the first text delta and any error are noted. */
final class WatchedStream implements TurnWatcher.Watched {
    private final EventSink sink;
    private final Metrics metrics;
    private final String type;
    private final long startNanos;
    private boolean sawText;
    private boolean failed;

    WatchedStream(EventSink sink, Metrics metrics, String type, long startNanos) {
        this.sink = sink;
        this.metrics = metrics;
        this.type = type;
        this.startNanos = startNanos;
        metrics.openStreams.inc();
    }

    @Override
    public void emit(ThreadStreamEvent event) {
        if (!sawText && event instanceof ThreadStreamEvent.ItemUpdated u && u.update() instanceof ThreadItemUpdate.TextDelta) {
            sawText = true;
            metrics.firstDelta.observe(Metrics.seconds(System.nanoTime() - startNanos));
        } else if (event instanceof ThreadStreamEvent.Error) {
            failed = true;
        }
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
    public void close() {
        metrics.openStreams.dec();
        String outcome = failed ? "error" : sink.isOpen() ? "ok" : "cancelled";
        if (outcome.equals("ok")) metrics.turnsOk.get(type).inc();
        else metrics.turns.labelValues(type, outcome).inc();
        metrics.turnDurationBy.get(type).observe(Metrics.seconds(System.nanoTime() - startNanos));
    }
}
