package dev.parley.web;

import dev.parley.model.ModelException;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.OpenAiTranscriber;
import dev.parley.server.ChatKitException;
import dev.parley.server.Transcriber;
import dev.parley.web.config.AssistantConfig;

/**
 * What answers {@code input.transcribe}: the OpenAI (or OpenAI-compatible) server the model provider talks to, or
 * nobody. Without one the dispatcher answers 501 {@code transcription_disabled}, which says what to set.
 */
final class Transcribers {
    private Transcribers() {}

    /** {@return a transcriber for the configured provider, or null when it has no speech-to-text} */
    static Transcriber of(AssistantConfig config) {
        return switch (config.provider()) {
            case OPENAI, OPENAI_COMPATIBLE -> through(new OpenAiTranscriber(new OpenAiSettings(config.apiKey(),
                    config.baseUrl(), config.model() != null ? config.model() : AssistantConfig.DEFAULT_OPENAI_MODEL,
                    config.modelTimeout(), config.modelMaxRetries()), null));
            case EMBEDDED, ECHO -> null;
        };
    }

    /** Adapts the provider's transcriber; its failures become a 502 whose message the widget can show. */
    static Transcriber through(OpenAiTranscriber transcriber) {
        return (audio, mimeType, mediaType, context) -> {
            try {
                return transcriber.transcribe(audio, mediaType);
            } catch (ModelException e) {
                System.getLogger(Transcribers.class.getName()).log(System.Logger.Level.WARNING, e.getMessage());
                throw new ChatKitException(502, "transcription_failed", e.userMessage());
            }
        };
    }
}
