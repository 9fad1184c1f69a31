package dev.parley.web.http;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes ChatKit stream events to an HTTP response as {@code data: <compact JSON>\n\n}, flushing each one.
 *
 * <p>The framing is written here rather than with Helidon's {@code SseSink}, which omits the space after
 * {@code data:}; ChatKit clients and the reference server use the exact form above. Each frame is built in
 * memory and written with one call, so an event goes out as one chunk (and, with TCP_NODELAY on the listener,
 * without waiting for the previous packet's acknowledgement).
 *
 * <p>When a write fails the client has gone: the sink closes, drops every later event and says so through
 * {@link #isOpen()}, which the respond pipeline checks to stop the turn and keep what the user already saw.
 */
public final class SseEventSink implements EventSink {
    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(1024);
    // A lock rather than synchronized: a virtual thread blocked on a slow client must not pin its carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean open = true;

    public SseEventSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void emit(ThreadStreamEvent event) {
        lock.lock();
        try {
            if (!open) return;
            frame.reset();
            frame.writeBytes(PREFIX);
            ChatKitJson.writeEvent(event, frame);
            frame.writeBytes(SUFFIX);
            try {
                frame.writeTo(out);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // Helidon reports a closed connection as an unchecked ServerConnectionException (not an
                // UncheckedIOException), so every failure of the socket write counts as the client leaving.
                open = false;
            }
        } catch (IOException e) {
            // Writing to memory fails only when the event cannot be serialised: a bug, not a disconnect.
            throw new IllegalStateException("Cannot serialise a " + event.getClass().getSimpleName() + " event", e);
        } finally {
            lock.unlock();
        }
    }

    /** An SSE comment line: EventSource and ChatKit's parser skip it, and it costs three bytes. */
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean probe() {
        lock.lock();
        try {
            if (!open) return false;
            try {
                out.write(COMMENT);
                out.flush();
            } catch (IOException | RuntimeException e) {
                open = false;
            }
            return open;
        } finally {
            lock.unlock();
        }
    }

    /** {@return false once a write has failed, meaning the client disconnected} */
    @Override
    public boolean isOpen() {
        return open;
    }
}
