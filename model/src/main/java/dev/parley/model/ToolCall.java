package dev.parley.model;

import java.util.Objects;

/**
 * One call the model asked for.
 *
 * @param id        the provider's id for the call, which ties its output to it in the next request
 * @param arguments the JSON text the model wrote, unparsed: models can write invalid JSON or break the schema,
 *                  and only the caller knows how to answer that
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? "" : arguments;
    }
}
