package dev.parley.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A request for a JSON value that satisfies a schema.
 *
 * @param schemaName a short identifier for the schema (providers that need one send it)
 * @param schema     a JSON Schema (draft 2020-12) the value must satisfy
 * @param categories when the request is a classification (a classifier node), its choices with their
 *                   descriptions and examples; the schema's {@code category} enum lists the same names. Empty
 *                   for any other structured output.
 */
public record StructuredRequest(
        String model,
        String instructions,
        List<ChatMessage> history,
        String input,
        ModelSettings settings,
        String schemaName,
        JsonNode schema,
        List<Category> categories) {
    public StructuredRequest {
        history = history == null ? List.of() : List.copyOf(history);
        settings = settings == null ? ModelSettings.DEFAULTS : settings;
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    public StructuredRequest(String model, String instructions, List<ChatMessage> history, String input,
            ModelSettings settings, String schemaName, JsonNode schema) {
        this(model, instructions, history, input, settings, schemaName, schema, List.of());
    }
}
