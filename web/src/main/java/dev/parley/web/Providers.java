package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.openai.CompatibleProvider;
import dev.parley.model.openai.ModelNames;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.web.config.AssistantConfig;
import java.nio.file.Path;

/** Builds the model provider the configuration names; the one place that knows every implementation. */
final class Providers {
    /** Where the knowledge bases keep their embeddings (a sub-folder per base), under the data directory. */
    static final String CACHE_DIR = "embeddings";
    private static final System.Logger LOG = System.getLogger(Providers.class.getName());

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
            case OPENAI_COMPATIBLE -> compatible(config);
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

    /**
     * A local model server: workflow model names it does not serve go to {@code PARLEY_MODEL} (or where
     * {@code PARLEY_MODEL_MAP} says), so the seed's {@code gpt-5-nano} nodes run on it unchanged. Its model list is
     * checked now, and what does not fit is logged with the fix.
     */
    private static ModelProvider compatible(AssistantConfig config) {
        OpenAiSettings settings = settings(config, null);
        var provider = new CompatibleProvider(settings, ModelNames.parse(settings.defaultModel(), config.modelMap()));
        CompatibleProvider.ModelCheck check = provider.checkModels();
        LOG.log(check.ok() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, check.message());
        return provider;
    }

    private static OpenAiSettings settings(AssistantConfig config, String fallbackModel) {
        String model = config.model() != null ? config.model() : fallbackModel;
        return new OpenAiSettings(config.apiKey(), config.baseUrl(), model, config.modelTimeout(), config.modelMaxRetries());
    }
}
