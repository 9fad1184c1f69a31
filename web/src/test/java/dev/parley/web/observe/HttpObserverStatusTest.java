package dev.parley.web.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.InvalidRequestException;
import io.helidon.webserver.ServerConnectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The status a failed request is counted and logged under. */
class HttpObserverStatusTest {
    @Test
    void aClientThatLeftIsNotAServerError() {
        assertThat(HttpObserver.statusOf(new ServerConnectionException("closed", new IOException("Broken pipe"))))
                .isEqualTo(499);
        assertThat(HttpObserver.statusOf(new UncheckedIOException(new IOException("Connection reset")))).isEqualTo(499);
        assertThat(HttpObserver.statusOf(new InvalidRequestException("invalid_json", "bad"))).isEqualTo(400);
        assertThat(HttpObserver.statusOf(new IllegalStateException("a bug"))).isEqualTo(500);
    }
}
