package dev.parley.model.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;
import java.time.Duration;

/** Builds the SDK client both providers use. */
final class Clients {
    // Bounds a whole call, a long stream included; the settings' timeout bounds each silence within it.
    private static final Duration WHOLE_CALL = Duration.ofMinutes(15);
    // Local servers ignore the key, but the SDK will not build a client without one.
    private static final String NO_KEY = "not-needed";

    private Clients() {}

    static OpenAIClient open(OpenAiSettings settings) {
        Duration silence = settings.timeout();
        return OpenAIOkHttpClient.builder()
                .baseUrl(settings.effectiveBaseUrl())
                .apiKey(settings.apiKey() == null ? NO_KEY : settings.apiKey())
                // The SDK's own retry already honours Retry-After / Retry-After-Ms and backs off with jitter.
                .maxRetries(settings.maxRetries())
                .timeout(Timeout.builder()
                        .connect(silence)
                        .read(silence)
                        .write(silence)
                        .request(silence.compareTo(WHOLE_CALL) > 0 ? silence : WHOLE_CALL)
                        .build())
                .build();
    }
}
