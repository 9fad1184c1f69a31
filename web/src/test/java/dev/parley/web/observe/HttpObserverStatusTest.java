package dev.parley.web.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.InvalidRequestException;
import io.helidon.webserver.ServerConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The status a failed request is counted and logged under, and the access log's duration. */
class HttpObserverStatusTest {
    @Test
    void aClientThatLeftIsNotAServerError() {
        assertThat(HttpObserver.statusOf(new ServerConnectionException("closed", new IOException("Broken pipe"))))
                .isEqualTo(499);
        assertThat(HttpObserver.statusOf(new UncheckedIOException(new IOException("Connection reset")))).isEqualTo(499);
        assertThat(HttpObserver.statusOf(new InvalidRequestException("invalid_json", "bad"))).isEqualTo(400);
        assertThat(HttpObserver.statusOf(new IllegalStateException("a bug"))).isEqualTo(500);
    }

    @Test
    void durationsReadAsTheFormatterWroteThem() {
        for (long nanos : new long[] {0, 49_999, 50_000, 1_234_567, 999_999_999, 12_345_678_901L}) {
            assertThat(HttpObserver.millis(nanos)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6));
        }
    }
}
