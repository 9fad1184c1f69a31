package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection limits: defaults, reading from the environment, and refusals naming the variable. */
class ConnectionLimitsTest {
    @Test
    void defaultsAreGenerousForRealClients() {
        ConnectionLimits d = ParleyConfig.fromEnv(Map.of()).connections();
        assertThat(d).isEqualTo(ConnectionLimits.defaults());
        assertThat(d.headerTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(d.bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.maxPerAddress()).isEqualTo(256);
    }

    @Test
    void theVariablesSetThem() {
        ConnectionLimits c = ParleyConfig.fromEnv(Map.of(ConnectionLimits.HEADER_TIMEOUT, "5",
                ConnectionLimits.BODY_TIMEOUT, "60", ConnectionLimits.IDLE_TIMEOUT, "120",
                ConnectionLimits.MAX_CONNECTIONS_PER_ADDRESS, "0")).connections();
        assertThat(c).isEqualTo(new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(120), 0));
    }

    @Test
    void badValuesAreAllNamed() {
        assertThatThrownBy(() -> ParleyConfig.fromEnv(Map.of(ConnectionLimits.HEADER_TIMEOUT, "0",
                ConnectionLimits.BODY_TIMEOUT, "soon", ConnectionLimits.MAX_CONNECTIONS_PER_ADDRESS, "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_HEADER_TIMEOUT must be a number of seconds from 1 to 3600, got \"0\"")
                .hasMessageContaining("PARLEY_BODY_TIMEOUT must be")
                .hasMessageContaining("PARLEY_MAX_CONNECTIONS_PER_ADDRESS must be");
    }

    @Test
    void codeMayUseShorterTimeoutsThanTheEnvironmentButNotZero() {
        assertThat(ConnectionLimits.defaults().withHeaderTimeout(Duration.ofMillis(100)).headerTimeout()).hasMillis(100);
        assertThatThrownBy(() -> ConnectionLimits.defaults().withIdleTimeout(Duration.ZERO))
                .hasMessageContaining("PARLEY_IDLE_TIMEOUT");
    }
}
