package dev.parley.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ThreadStreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventSinkTest {
    @Test
    void eachEventIsOneFlushedFrame() {
        var out = new RecordingStream();
        var sink = new SseEventSink(out);
        sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "Searching"));
        sink.emit(new ThreadStreamEvent.StreamOptionsEvent(new ThreadStreamEvent.StreamOptions(true)));
        assertThat(out.bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "data: {\"type\":\"progress_update\",\"text\":\"Searching\"}\n\n"
                        + "data: {\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":true}}\n\n");
        // One write and one flush per event: a frame never waits in a buffer and never goes out in pieces.
        assertThat(out.writes).isEqualTo(2);
        assertThat(out.flushes).isEqualTo(2);
    }

    @Test
    void aFailedWriteMeansTheClientHasGoneForGood() {
        var out = new RecordingStream();
        var sink = new SseEventSink(out);
        out.failWith = new IOException("Broken pipe");
        assertThat(sink.isOpen()).isTrue();
        sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "x"));
        assertThat(sink.isOpen()).isFalse();
        out.failWith = null;
        sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "y"));
        assertThat(sink.isOpen()).as("a later write that would succeed does not reopen it").isFalse();
        assertThat(out.bytes.size()).isZero();
    }

    @Test
    void uncheckedWriteFailuresCountAsDisconnectsToo() {
        // Helidon reports a closed socket with its own unchecked exception type.
        var out = new RecordingStream();
        out.failUnchecked = new UncheckedIOException(new IOException("Connection reset"));
        var sink = new SseEventSink(out);
        sink.emit(new ThreadStreamEvent.ProgressUpdate(null, "x"));
        assertThat(sink.isOpen()).isFalse();
    }

    private static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;
        int flushes;
        IOException failWith;
        RuntimeException failUnchecked;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failWith != null) throw failWith;
            if (failUnchecked != null) throw failUnchecked;
            writes++;
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }
}
