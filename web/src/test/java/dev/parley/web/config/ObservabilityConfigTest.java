package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PARLEY_METRICS…, PARLEY_LOG_FORMAT and the OTEL_* variables: defaults, the specification's rules, clear refusals. */
class ObservabilityConfigTest {
    @Test
    void theDefaultsKeepMetricsAndTheAccessLogAndLeaveTracingOff() {
        ObservabilityConfig config = ObservabilityConfig.fromEnv(Map.of());
        assertThat(config).isEqualTo(ObservabilityConfig.defaults());
        assertThat(config.metrics()).isTrue();
        assertThat(config.metricsPort()).isEqualTo(-1);
        assertThat(config.jsonLogs()).isFalse();
        assertThat(config.accessLog()).isTrue();
        assertThat(config.tracing()).isNull();
    }

    @Test
    void everySettingIsRead() {
        ObservabilityConfig config = ObservabilityConfig.fromEnv(Map.of(
                "PARLEY_METRICS_PORT", "9464", "PARLEY_LOG_FORMAT", "JSON", "PARLEY_ACCESS_LOG", "false",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otel.example.com/v1/traces",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%3Dt, team=chat",
                "OTEL_SERVICE_NAME", "parley-eu", "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"));
        assertThat(config.metricsPort()).isEqualTo(9464);
        assertThat(config.jsonLogs()).isTrue();
        assertThat(config.accessLog()).isFalse();
        ObservabilityConfig.Tracing tracing = config.tracing();
        assertThat(tracing.endpoint()).isEqualTo(URI.create("https://otel.example.com/v1/traces"));
        assertThat(tracing.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "s3cr=t", "team", "chat"));
        assertThat(tracing.serviceName()).isEqualTo("parley-eu");
        assertThat(tracing.resource()).containsEntry("deployment.environment", "prod");
        assertThat(tracing.sampler()).isEqualTo("parentbased_traceidratio");
        assertThat(tracing.ratio()).isEqualTo(0.25);
        assertThat(tracing.captureContent()).isTrue();
    }

    @Test
    void badValuesAreAllReportedWithWhatToSetAndHeadersAreNeverShown() {
        assertThatThrownBy(() -> ObservabilityConfig.fromEnv(Map.of(
                "PARLEY_LOG_FORMAT", "xml",
                "PARLEY_METRICS_PORT", "70000",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key-without-a-value-sk-123",
                "OTEL_TRACES_SAMPLER", "sometimes",
                "OTEL_TRACES_SAMPLER_ARG", "1.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_LOG_FORMAT must be text or json, got \"xml\"")
                .hasMessageContaining("PARLEY_METRICS_PORT must be a port from 1 to 65535")
                .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://collector:4318")
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf")
                .hasMessageContaining("port 4318")
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS must be comma-separated key=value pairs")
                .hasMessageContaining("OTEL_TRACES_SAMPLER must be one of always_on")
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG must be a fraction from 0 to 1")
                .message().doesNotContain("sk-123");
    }

    @Test
    void tracingCanBeTurnedOffWithTheSpecificationsSwitches() {
        assertThat(ObservabilityConfig.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                "OTEL_TRACES_EXPORTER", "none")).tracing()).isNull();
        assertThat(ObservabilityConfig.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                "OTEL_SDK_DISABLED", "true")).tracing()).isNull();
        assertThat(ObservabilityConfig.fromEnv(Map.of("PARLEY_METRICS", "false")).metrics()).isFalse();
    }
}
