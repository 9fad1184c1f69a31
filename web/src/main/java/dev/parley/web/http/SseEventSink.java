package dev.parley.web.http;

import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.sse.SseEventWriter;
import java.io.OutputStream;

/**
 * Writes ChatKit stream events to a Helidon response as {@code data: <compact JSON>\n\n}, flushing each one. The
 * framing is {@link SseEventWriter}'s, shared with hosts that embed Parley; it is written there rather than with
 * Helidon's {@code SseSink}, which omits the space after {@code data:}. Helidon reports a closed connection as an
 * unchecked {@code ServerConnectionException}, which the writer counts as the client leaving like any other
 * failed write.
 */
public final class SseEventSink implements EventSink {
    private final SseEventWriter writer;

    public SseEventSink(OutputStream out) {
        this.writer = new SseEventWriter(out);
    }

    @Override
    public void emit(ThreadStreamEvent event) {
        writer.emit(event);
    }

    @Override
    public boolean probe() {
        return writer.probe();
    }

    /** {@return false once a write has failed, meaning the client disconnected} */
    @Override
    public boolean isOpen() {
        return writer.isOpen();
    }
}
