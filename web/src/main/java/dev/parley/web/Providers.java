package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.openai.CompatibleProvider;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.web.config.AssistantConfig;
import java.nio.file.Path;

/** Builds the model provider the configuration names; the one place that knows every implementation. */
final class Providers {
    /** Where the embedded provider caches its knowledge-base embeddings, under the data directory. */
    static final String CACHE_DIR = "embeddings";

    private Providers() {}

    /**
     * {@return the provider for {@code config}}
     *
     * @throws IllegalArgumentException when the settings are incomplete (the message names the variable)
     */
    static ModelProvider open(AssistantConfig config, Path dataDir) {
        return switch (config.provider()) {
            case EMBEDDED -> EmbeddedProvider.open(config.knowledgeDir(), dataDir.resolve(CACHE_DIR));
            case OPENAI -> new OpenAiProvider(settings(config, AssistantConfig.DEFAULT_OPENAI_MODEL));
            case OPENAI_COMPATIBLE -> new CompatibleProvider(settings(config, null));
            case ECHO -> new EchoProvider(config.echoPace());
        };
    }

    private static OpenAiSettings settings(AssistantConfig config, String fallbackModel) {
        String model = config.model() != null ? config.model() : fallbackModel;
        return new OpenAiSettings(config.apiKey(), config.baseUrl(), model, config.modelTimeout(), config.modelMaxRetries());
    }
}
