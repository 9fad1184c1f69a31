package dev.parley.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ThreadStreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SseEventSinkTest {
    private static final String PROGRESS = "data: {\"type\":\"progress_update\",\"text\":\"%s\"}\n\n";

    @Test
    void framesGoOutWholeAndInOrder() {
        var out = new RecordingStream();
        try (var sink = new SseEventSink(out)) {
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "Searching"));
            sink.emit(new ThreadStreamEvent.StreamOptionsEvent(new ThreadStreamEvent.StreamOptions(true)));
        }
        assertThat(out.text()).isEqualTo(PROGRESS.formatted("Searching")
                + "data: {\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":true}}\n\n");
        assertThat(out.flushes).as("every write is flushed").isEqualTo(out.writes);
    }

    @Test
    void anEventIsSentWhileTheProducerWaitsWithoutClosingTheStream() throws Exception {
        var out = new RecordingStream();
        try (var sink = new SseEventSink(out)) {
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "first"));
            // The producer now waits (for a model, say): the event must reach the socket meanwhile.
            assertThat(out.flushed.await(5, TimeUnit.SECONDS)).as("flushed before the stream ends").isTrue();
            assertThat(out.text()).isEqualTo(PROGRESS.formatted("first"));
        }
    }

    @Test
    void noWriterOutlivesWhatItHadToSend() throws Exception {
        var out = new RecordingStream();
        Thread first;
        try (var sink = new SseEventSink(out)) {
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "first"));
            assertThat(out.flushed.await(5, TimeUnit.SECONDS)).isTrue();
            first = out.writers.get(0);
            // A model pausing between pieces: the stream stays open with no thread kept for it.
            first.join(5_000);
            assertThat(first.isAlive()).as("the writer ends once nothing is pending").isFalse();
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "second"));
        }
        assertThat(out.text()).isEqualTo(PROGRESS.formatted("first") + PROGRESS.formatted("second"));
        assertThat(out.writers).hasSize(2);
        assertThat(out.writers.get(1)).isNotSameAs(first);
    }

    @Test
    void eventsProducedWhileAWriteIsUnderwayShareTheNextWrite() throws Exception {
        var out = new RecordingStream();
        out.hold = new CountDownLatch(1);
        try (var sink = new SseEventSink(out)) {
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "0"));
            assertThat(out.writing.await(5, TimeUnit.SECONDS)).isTrue();
            // The writer is busy with event 0 (a slow socket); 1–20 are produced back to back meanwhile.
            for (int i = 1; i <= 20; i++) sink.emit(new ThreadStreamEvent.ProgressUpdate(null, Integer.toString(i)));
            out.hold.countDown();
        }
        var expected = new StringBuilder();
        for (int i = 0; i <= 20; i++) expected.append(PROGRESS.formatted(i));
        assertThat(out.text()).isEqualTo(expected.toString());
        assertThat(out.writes).as("event 0, then 1–20 in one write").isEqualTo(2);
        assertThat(out.flushes).isEqualTo(2);
    }

    @Test
    void aClientThatDoesNotReadHoldsTheProducerBack() throws Exception {
        var out = new RecordingStream();
        out.hold = new CountDownLatch(1);
        try (var sink = new SseEventSink(out)) {
            var producerDone = new CountDownLatch(1);
            var produced = new java.util.concurrent.atomic.AtomicInteger();
            String big = "x".repeat(1000);
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    sink.emit(new ThreadStreamEvent.ProgressUpdate(null, big));
                    produced.incrementAndGet();
                }
                producerDone.countDown();
            });
            assertThat(producerDone.await(500, TimeUnit.MILLISECONDS)).as("blocked by the stuck socket").isFalse();
            // Held in memory: the batch stuck in the write and at most the limit waiting behind it.
            assertThat(produced.get()).isLessThan(2 * (SseEventSink.PENDING_LIMIT / 1000) + 2).isLessThan(500);
            out.hold.countDown();
            assertThat(producerDone.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(out.text()).hasSize(500 * PROGRESS.formatted("x".repeat(1000)).length());
    }

    @Test
    void aFailedWriteMeansTheClientHasGoneForGood() throws Exception {
        var out = new RecordingStream();
        out.failWith = new IOException("Broken pipe");
        try (var sink = new SseEventSink(out)) {
            assertThat(sink.isOpen()).isTrue();
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "x"));
            assertThat(sink.probe()).isFalse();
            assertThat(sink.isOpen()).isFalse();
            out.failWith = null;
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "y"));
            assertThat(sink.probe()).as("a later write that would succeed does not reopen it").isFalse();
        }
        assertThat(out.bytes.size()).isZero();
    }

    @Test
    void uncheckedWriteFailuresCountAsDisconnectsToo() {
        // Helidon reports a closed socket with its own unchecked exception type.
        var out = new RecordingStream();
        out.failUnchecked = new UncheckedIOException(new IOException("Connection reset"));
        try (var sink = new SseEventSink(out)) {
            sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "x"));
            assertThat(sink.probe()).isFalse();
        }
    }

    @Test
    void aProbeWritesAtOnceAndTellsWhetherTheClientIsThere() {
        var out = new RecordingStream();
        try (var sink = new SseEventSink(out)) {
            assertThat(sink.probe()).isTrue();
            assertThat(out.text()).isEqualTo(":\n\n");
        }
    }

    private static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch flushed = new CountDownLatch(1);
        final List<Thread> writers = new CopyOnWriteArrayList<>();
        volatile int writes;
        volatile int flushes;
        volatile CountDownLatch hold;
        volatile IOException failWith;
        volatile RuntimeException failUnchecked;
        private final AtomicBoolean held = new AtomicBoolean();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (failWith != null) throw failWith;
            if (failUnchecked != null) throw failUnchecked;
            writing.countDown();
            if (hold != null && held.compareAndSet(false, true)) {
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            writes++;
            writers.add(Thread.currentThread());
            bytes.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            flushes++;
            flushed.countDown();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
