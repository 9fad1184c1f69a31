package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PARLEY_WEBHOOK_HOSTS and PARLEY_WEBHOOK_SECRET: read, checked, and the secret never shown. */
class AssistantConfigWebhookTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void unsetMeansNoWebhookMayBeCalled() {
        AssistantConfig config = AssistantConfig.fromEnv(Map.of());

        assertThat(config.webhookHosts()).isEmpty();
        assertThat(config.webhookSecret()).isNull();
        assertThat(AssistantConfig.defaults().webhookHosts()).isEmpty();
    }

    @Test
    void hostsAreACommaSeparatedListAndTheSecretIsKeptOutOfToString() {
        AssistantConfig config = AssistantConfig.fromEnv(Map.of(
                "PARLEY_WEBHOOK_HOSTS", " api.example.com, *.tools.example.com ,,http://localhost:8080 ",
                "PARLEY_WEBHOOK_SECRET", SECRET));

        assertThat(config.webhookHosts()).containsExactly("api.example.com", "*.tools.example.com", "http://localhost:8080");
        assertThat(config.webhookSecret()).isEqualTo(SECRET);
        assertThat(config.toString()).contains("webhookSecret=(set)").doesNotContain(SECRET);
        assertThat(config.withAdminToken(null).webhookHosts()).isEqualTo(config.webhookHosts());
    }

    @Test
    void badEntriesAShortSecretAndAMissingSecretAreEachReportedWithTheFix() {
        assertThatThrownBy(() -> AssistantConfig.fromEnv(Map.of(
                "PARLEY_WEBHOOK_HOSTS", "api.example.com/tools, *.com",
                "PARLEY_WEBHOOK_SECRET", "short-secret-value")))
                .hasMessageContaining("PARLEY_WEBHOOK_HOSTS entry \"api.example.com/tools\": list only the host")
                .hasMessageContaining("PARLEY_WEBHOOK_HOSTS entry \"*.com\": a wildcard needs at least two labels")
                .hasMessageContaining("PARLEY_WEBHOOK_SECRET must be at least 32 characters (try: openssl rand -hex 32)")
                .hasMessageNotContaining("short-secret-value");
        assertThatThrownBy(() -> AssistantConfig.fromEnv(Map.of("PARLEY_WEBHOOK_HOSTS", "api.example.com")))
                .hasMessageContaining("PARLEY_WEBHOOK_HOSTS is set, so PARLEY_WEBHOOK_SECRET is needed");
        assertThatThrownBy(() -> new AssistantConfig("wf_x", null, null, AssistantConfig.Provider.EMBEDDED, null, null,
                null, java.time.Duration.ofSeconds(60), 2, null, java.time.Duration.ZERO, java.time.Duration.ZERO,
                List.of("api.example.com"), null, List.of(), java.util.Map.of()))
                .hasMessageContaining("PARLEY_WEBHOOK_SECRET is needed");
    }
}
