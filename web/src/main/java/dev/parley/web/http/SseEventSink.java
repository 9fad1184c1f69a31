package dev.parley.web.http;

import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.sse.SseEventWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes ChatKit stream events to a Helidon response as {@code data: <compact JSON>\n\n}, the framing of
 * {@link SseEventWriter#frame} (rather than Helidon's {@code SseSink}, which omits the space after {@code data:}).
 * Unlike {@link SseEventWriter}, which hosts embedding Parley use and which flushes every event, this sink
 * coalesces, and must be closed.
 *
 * <p><b>Coalescing.</b> {@link #emit} serialises the event into a pending buffer and, unless a writer is already
 * at work, starts one: a virtual thread that writes everything pending with one socket write and one flush, and
 * ends when nothing is left. While the producer keeps producing (a model streaming deltas back to back), events
 * pile up and go out together; as soon as it waits (for the store, the model, a tool) the writer gets a carrier
 * and sends what exists. On an idle machine that is at once; on a busy one a turn's thirty events leave in a
 * handful of writes instead of thirty, which is most of what a streamed turn cost in system calls. Frames are
 * never split and never reordered.
 *
 * <p>The writer lives only while there is something to write, not for the whole stream: a stream whose model
 * pauses between pieces keeps no parked thread (and no frozen stack) for its writer, which at 10 000 open
 * streams is ~2 KiB each. A writer that runs to its end without blocking is also cheaper than waking a parked
 * one, which has to copy its frames back first.
 *
 * <p><b>Backpressure.</b> When more than {@link #PENDING_LIMIT} bytes are waiting (the client reads slower than
 * the producer produces), {@link #emit} blocks until the writer has taken them, so a slow client slows its own
 * turn instead of filling the heap.
 *
 * <p>When a write fails the client has gone: the sink closes, drops every later event and says so through
 * {@link #isOpen()}, which the respond pipeline checks to stop the turn and keep what the user already saw.
 * {@link #close()} waits until what is pending has been sent; the response is closed by its owner after.
 */
public final class SseEventSink implements EventSink, AutoCloseable {
    /** An SSE comment line: EventSource and ChatKit's parser skip it, and it costs three bytes. */
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes that may wait for the writer before {@link #emit} waits too; a turn's events are a few KiB. */
    static final int PENDING_LIMIT = 64 * 1024;
    private static final ThreadFactory WRITERS = Thread.ofVirtual().name("sse-writer").factory();

    private final OutputStream out;
    // Locks rather than synchronized: a virtual thread blocked on a slow client must not pin its carrier.
    /** Guards the buffers and the flags; never held across a socket write. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final Condition idle = lock.newCondition();
    /** Held by whoever writes to {@link #out}, so frames leave in the order they were taken. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(512);
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(512);
    private boolean closing;
    /** A writer is running (or about to); only one at a time, so batches leave in order. */
    private boolean writing;
    private volatile boolean open = true;

    public SseEventSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void emit(ThreadStreamEvent event) {
        lock.lock();
        try {
            while (open && pending.size() >= PENDING_LIMIT) drained.awaitUninterruptibly();
            if (!open || closing) return;
            int mark = pending.size();
            try {
                SseEventWriter.frame(event, pending);
            } catch (IOException | RuntimeException e) {
                // Writing to memory fails only when the event cannot be serialised: a bug, not a disconnect. The
                // half-written frame is taken back so the stream stays well formed.
                ByteArrayOutputStream whole = new ByteArrayOutputStream(Math.max(mark, 32));
                whole.write(pending.toByteArray(), 0, mark);
                pending = whole;
                throw new IllegalStateException("Cannot serialise a " + event.getClass().getSimpleName() + " event", e);
            }
            if (writing) return;
            writing = true;
        } finally {
            lock.unlock();
        }
        try {
            WRITERS.newThread(this::drain).start();
        } catch (RuntimeException | Error e) {
            // No writer will come (out of memory, say): close must not wait for one.
            lock.lock();
            try {
                writerEnded();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    @Override
    public boolean probe() {
        lock.lock();
        try {
            if (!open || closing) return open;
            pending.writeBytes(COMMENT);
        } finally {
            lock.unlock();
        }
        // A probe asks about the connection now, so it writes itself rather than waiting for the writer.
        writePending();
        return open;
    }

    /** {@return false once a write has failed, meaning the client disconnected} */
    @Override
    public boolean isOpen() {
        return open;
    }

    /** Waits for the writer to send whatever is pending; does not close the response. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            while (writing) idle.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
    }

    /** The writer: sends batches until nothing is pending (or the client has gone), then ends. */
    private void drain() {
        while (true) {
            lock.lock();
            try {
                if (!open || pending.size() == 0) {
                    writerEnded();
                    return;
                }
            } finally {
                lock.unlock();
            }
            writePending();
        }
    }

    /** No writer runs any more (the caller holds {@link #lock}): the next event starts one; close stops waiting. */
    private void writerEnded() {
        writing = false;
        idle.signalAll();
    }

    /** Takes everything pending and writes it with one write and one flush. */
    private void writePending() {
        writeLock.lock();
        try {
            ByteArrayOutputStream batch;
            lock.lock();
            try {
                if (pending.size() == 0 || !open) return;
                batch = pending;
                pending = spare;
                spare = batch;
                drained.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                batch.writeTo(out);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // Helidon reports a closed connection as an unchecked ServerConnectionException (not an
                // UncheckedIOException), so every failure of the socket write counts as the client leaving.
                lock.lock();
                try {
                    open = false;
                    drained.signalAll();
                } finally {
                    lock.unlock();
                }
            } finally {
                batch.reset();
            }
        } finally {
            writeLock.unlock();
        }
    }
}
