package dev.parley.model.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiSettingsTest {
    @Test
    void defaultsFillTheGapsAndTheRequestsModelWins() {
        var s = new OpenAiSettings(" sk-abc ", null, "gpt-5-nano");

        assertThat(s.apiKey()).isEqualTo("sk-abc");
        assertThat(s.effectiveBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxRetries()).isEqualTo(2);
        assertThat(s.modelFor(null)).isEqualTo("gpt-5-nano");
        assertThat(s.modelFor(" ")).isEqualTo("gpt-5-nano");
        assertThat(s.modelFor("gpt-5")).isEqualTo("gpt-5");
    }

    @Test
    void aTrailingSlashIsDroppedSoPathsDoNotDouble() {
        assertThat(new OpenAiSettings(null, "http://localhost:11434/v1/", "llama3.2").baseUrl())
                .isEqualTo("http://localhost:11434/v1");
    }

    @Test
    void badValuesNameTheVariableToFix() {
        assertThatThrownBy(() -> new OpenAiSettings("sk-abc", "localhost:11434", "m"))
                .hasMessageContaining("OPENAI_BASE_URL").hasMessageContaining("localhost:11434");
        assertThatThrownBy(() -> new OpenAiSettings("sk-abc", "ftp://example.com/v1", "m"))
                .hasMessageContaining("OPENAI_BASE_URL");
        assertThatThrownBy(() -> new OpenAiSettings("sk-abc", null, " "))
                .hasMessageContaining("PARLEY_MODEL");
        assertThatThrownBy(() -> new OpenAiSettings("sk ab\nc", null, "m"))
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> new OpenAiSettings("sk-abc", null, "m", Duration.ZERO, 2))
                .hasMessageContaining("PARLEY_MODEL_TIMEOUT");
        assertThatThrownBy(() -> new OpenAiSettings("sk-abc", null, "m", Duration.ofSeconds(5), -1))
                .hasMessageContaining("PARLEY_MODEL_MAX_RETRIES");
    }

    @Test
    void theOpenAiProviderNeedsAKey() {
        assertThatThrownBy(() -> new OpenAiProvider(new OpenAiSettings("", null, "gpt-5-nano")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void theKeyStaysOutOfToString() {
        assertThat(new OpenAiSettings("sk-secret-value", null, "gpt-5-nano").toString())
                .doesNotContain("sk-secret-value").contains("***").contains("gpt-5-nano");
    }
}
