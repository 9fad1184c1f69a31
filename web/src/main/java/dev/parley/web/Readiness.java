package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.store.Storage;
import dev.parley.web.admin.ReadinessService;
import dev.parley.web.config.AssistantConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code /readyz} checks on this server: the database, the model provider's configuration, the workflow. */
final class Readiness {
    /** Asked for when no workflow is configured: any answer, found or not, shows the database answers. */
    private static final String PROBE_WORKFLOW = "wf_readyz_probe";

    private Readiness() {}

    /**
     * {@return the checks}; with no {@code assistant} (a server started with a fixed responder) only the database
     */
    static List<ReadinessService.Check> checks(Storage storage, AssistantConfig assistant, ModelProvider model,
            String defaultModel, KnowledgeBases knowledge) {
        List<ReadinessService.Check> checks = new ArrayList<>();
        String workflowId = assistant == null ? PROBE_WORKFLOW : assistant.workflowId();
        checks.add(new ReadinessService.Check("database", () -> {
            storage.workflows().latest(workflowId);
            return Optional.empty();
        }, Map.of("store", storage.description().startsWith("SQLite") ? "sqlite" : "postgresql")));
        if (assistant == null) return checks;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("provider", model.name());
        facts.put("model", defaultModel);
        checks.add(new ReadinessService.Check("model", () -> modelProblem(assistant, model, knowledge), facts));
        checks.add(new ReadinessService.Check("workflow", () -> storage.workflows().latest(workflowId).isPresent()
                ? Optional.empty()
                : Optional.of("no version of workflow " + workflowId + " is published; publish one or set "
                        + AssistantConfig.WORKFLOW), Map.of("id", workflowId)));
        return checks;
    }

    /** {@return the model requests that name none go to, for metrics labels and spans} */
    static String defaultModel(AssistantConfig assistant, ModelProvider model) {
        if (assistant.model() != null) return assistant.model();
        return model.name().equals("openai") ? AssistantConfig.DEFAULT_OPENAI_MODEL : model.name();
    }

    /**
     * {@return what keeps the provider from answering, from its configuration alone}: probing the provider itself
     * on every readiness check would spend the operator's quota (OpenAI) or a model's time (a local server)
     */
    static Optional<String> modelProblem(AssistantConfig assistant, ModelProvider model, KnowledgeBases knowledge) {
        return switch (model.name()) {
            case "openai" -> assistant.apiKey() == null && assistant.baseUrl() == null
                    ? Optional.of(AssistantConfig.OPENAI_API_KEY + " is not set, and OpenAI refuses requests without it")
                    : Optional.empty();
            case "openai-compatible" -> assistant.baseUrl() == null
                    ? Optional.of(AssistantConfig.OPENAI_BASE_URL + " is not set: the provider has no server to call")
                    : assistant.model() == null
                            ? Optional.of(AssistantConfig.MODEL + " is not set: the server needs a model name")
                            : Optional.empty();
            case "embedded" -> knowledge == null || knowledge.ids().isEmpty()
                    ? Optional.of("the embedded provider has no knowledge base to answer from; set "
                            + AssistantConfig.KNOWLEDGE_DIR)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }
}
