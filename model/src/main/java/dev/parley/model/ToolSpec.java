package dev.parley.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A function tool offered to the model: the model may answer with a {@link ToolCall} instead of text.
 *
 * @param name        what the model calls it by; providers send it as is, so keep it to letters, digits, _ and -
 * @param description when to use it, for the model
 * @param parameters  a JSON Schema object for the arguments (an empty object schema when it takes none)
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        description = description == null ? "" : description;
    }
}
