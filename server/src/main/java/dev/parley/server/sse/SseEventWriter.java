package dev.parley.server.sse;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes ChatKit stream events to any HTTP response body as server-sent events, {@code data: <compact JSON>\n\n},
 * flushing each one; the only SSE framing in Parley, used by its own server and by any host that embeds it.
 *
 * <pre>{@code
 * response.setContentType("text/event-stream");
 * if (result instanceof Result.Stream stream) stream.body().writeTo(new SseEventWriter(response.getOutputStream()));
 * }</pre>
 *
 * <p>The space after {@code data:} is written because ChatKit clients and the reference server use that exact
 * form. Each frame is built in memory and written with one call, so an event leaves as one chunk.
 *
 * <p>When a write fails the client has gone: the writer closes, drops every later event and says so through
 * {@link #isOpen()}, which the respond pipeline checks to stop the turn and keep what the user already saw. Any
 * exception of the write counts, checked or not, because HTTP stacks report a closed connection in their own
 * unchecked types. The writer never closes {@code out}; the HTTP stack that opened it does.
 */
public final class SseEventWriter implements EventSink {
    /** The content type of the response this writes. */
    public static final String CONTENT_TYPE = "text/event-stream";
    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\n\n".getBytes(StandardCharsets.US_ASCII);
    /** An SSE comment line: EventSource and ChatKit's parser skip it, and it costs three bytes. */
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(1024);
    // A lock rather than synchronized: a virtual thread blocked on a slow client must not pin its carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean open = true;

    /** @param out the response body; flushed after every event */
    public SseEventWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Writes one event and flushes it; does nothing once the client has gone.
     *
     * @throws IllegalStateException if the event cannot be serialised (a bug, not a disconnect)
     */
    @Override
    public void emit(ThreadStreamEvent event) {
        lock.lock();
        try {
            if (!open) return;
            frame.reset();
            frame.writeBytes(PREFIX);
            ChatKitJson.writeEvent(event, frame);
            frame.writeBytes(SUFFIX);
            send(frame.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialise a " + event.getClass().getSimpleName() + " event", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends one event's frame, {@code data: <compact JSON>\n\n}, to {@code out}, for a sink that gathers frames
     * into fewer writes (the Helidon server's coalescing {@code SseEventSink}).
     *
     * @throws IOException as thrown by {@code out}
     */
    public static void frame(ThreadStreamEvent event, OutputStream out) throws IOException {
        out.write(PREFIX);
        ChatKitJson.writeEvent(event, out);
        out.write(SUFFIX);
    }

    /** Writes an SSE comment, which clients skip, to learn whether the client is still there. */
    @Override
    public boolean probe() {
        lock.lock();
        try {
            if (open) send(COMMENT);
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

    private void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException | RuntimeException e) {
            open = false;
        }
    }
}
