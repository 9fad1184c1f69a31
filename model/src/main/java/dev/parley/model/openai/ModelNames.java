package dev.parley.model.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which model a local server is asked for when a workflow node names one. Workflows are written for OpenAI (the
 * seed's nodes name {@code gpt-5-nano}); an Ollama, vLLM or llama.cpp server answers a name it does not serve with
 * 404, so every turn would fail. On the openai-compatible provider a node's model is therefore sent only when the
 * server serves it; otherwise an explicit mapping ({@code PARLEY_MODEL_MAP}) or the default ({@code PARLEY_MODEL})
 * is sent instead.
 *
 * <pre>{@code
 * var names = ModelNames.parse("llama3.2", "gpt-5=qwen2.5:14b");
 * names.resolve("gpt-5-nano", Set.of("llama3.2", "qwen2.5:14b")); // llama3.2
 * names.resolve("gpt-5", Set.of("llama3.2", "qwen2.5:14b"));      // qwen2.5:14b
 * }</pre>
 *
 * @param defaultModel the model for nodes that name none and for names the server does not serve
 * @param mapping      workflow model name → served model name
 */
public record ModelNames(String defaultModel, Map<String, String> mapping) {
    public static final String MAP_SETTING = "PARLEY_MODEL_MAP";

    public ModelNames {
        if (defaultModel == null || defaultModel.isBlank()) throw new IllegalArgumentException("defaultModel is required");
        mapping = Map.copyOf(mapping);
    }

    /**
     * {@return the names of {@code PARLEY_MODEL_MAP}: comma-separated {@code workflow-name=served-name} pairs}
     *
     * @throws IllegalArgumentException naming the entry that is not such a pair
     */
    public static ModelNames parse(String defaultModel, String map) {
        Map<String, String> mapping = new LinkedHashMap<>();
        if (map != null) {
            for (String entry : map.split(",")) {
                if (entry.isBlank()) continue;
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1 || entry.substring(eq + 1).contains("=")) {
                    throw new IllegalArgumentException(MAP_SETTING + " must be workflow-model=served-model pairs "
                            + "separated by commas, such as gpt-5-nano=llama3.2,gpt-5=qwen2.5:14b; got '" + entry.strip() + "'");
                }
                mapping.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
        }
        return new ModelNames(defaultModel, mapping);
    }

    /**
     * {@return the model to ask the server for}
     *
     * @param requested the node's model, or null when it names none
     * @param served    what the server lists at {@code /v1/models}, or null when that is unknown; then every name
     *                  that is neither mapped nor the default is taken as not served, since a workflow written for
     *                  OpenAI names models a local server rarely has
     */
    public String resolve(String requested, Set<String> served) {
        if (requested == null || requested.isBlank()) return defaultModel;
        String name = requested.strip();
        String mapped = mapping.get(name);
        if (mapped != null) return mapped;
        if (served != null && served.contains(name)) return name;
        return defaultModel;
    }

    /**
     * {@return what to tell the operator at start-up about the server's list, or null when all is well}
     *
     * @param served what the server lists at {@code /v1/models}
     */
    public String problemWith(List<String> served) {
        if (served.isEmpty()) {
            return "it lists no models at all; load one (for Ollama: ollama pull " + defaultModel + ")";
        }
        StringBuilder missing = new StringBuilder();
        if (!served.contains(defaultModel)) missing.append("PARLEY_MODEL '").append(defaultModel).append("'");
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            if (served.contains(e.getValue())) continue;
            if (!missing.isEmpty()) missing.append(", ");
            missing.append(MAP_SETTING).append("'s '").append(e.getValue()).append("' (for ").append(e.getKey()).append(")");
        }
        if (missing.isEmpty()) return null;
        return "it does not serve " + missing + "; it serves " + String.join(", ", served)
                + ". Set PARLEY_MODEL (and " + MAP_SETTING + ") to models it serves, or load the model on the server";
    }
}
