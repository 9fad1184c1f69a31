package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.openai.CompatibleProvider;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.web.config.AssistantConfig;
import java.nio.file.Path;

/** Builds the model provider the configuration names; the one place that knows every implementation. */
final class Providers {
    /** Where the knowledge bases keep their embeddings (a sub-folder per base), under the data directory. */
    static final String CACHE_DIR = "embeddings";

    private Providers() {}

    /**
     * {@return the provider for {@code config}}
     *
     * @throws IllegalArgumentException when the settings are incomplete (the message names the variable)
     */
    static ModelProvider open(AssistantConfig config, Path dataDir) {
        return open(config, dataDir, knowledge(config, dataDir));
    }

    /**
     * {@return the provider for {@code config}; the embedded one answers from {@code knowledge}}
     *
     * @throws IllegalArgumentException when the settings are incomplete (the message names the variable)
     */
    static ModelProvider open(AssistantConfig config, Path dataDir, KnowledgeBases knowledge) {
        return switch (config.provider()) {
            case EMBEDDED -> EmbeddedProvider.open(knowledge != null ? knowledge : knowledge(config, dataDir));
            case OPENAI -> new OpenAiProvider(settings(config, AssistantConfig.DEFAULT_OPENAI_MODEL));
            case OPENAI_COMPATIBLE -> new CompatibleProvider(settings(config, null));
            case ECHO -> new EchoProvider(config.echoPace());
        };
    }

    /**
     * {@return the knowledge bases of {@code PARLEY_KNOWLEDGE_DIR} (the bundled sample when unset), indexed now;
     * null when another provider runs and no folder is set, so that such a server never loads the embedding model}
     *
     * @throws java.io.UncheckedIOException when the folder cannot be read (the message names it)
     */
    static KnowledgeBases knowledge(AssistantConfig config, Path dataDir) {
        if (config.provider() != AssistantConfig.Provider.EMBEDDED && config.knowledgeDir() == null) return null;
        return KnowledgeBases.open(config.knowledgeDir(), dataDir.resolve(CACHE_DIR));
    }

    private static OpenAiSettings settings(AssistantConfig config, String fallbackModel) {
        String model = config.model() != null ? config.model() : fallbackModel;
        return new OpenAiSettings(config.apiKey(), config.baseUrl(), model, config.modelTimeout(), config.modelMaxRetries());
    }
}
