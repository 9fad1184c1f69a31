package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an agent answers: plain text, or JSON matching {@code schema} (then {@code output_parsed} is the object).
 *
 * @param name schema name sent to the model; may be null
 */
public record OutputFormat(Kind kind, String name, JsonNode schema) {
    public static final OutputFormat TEXT = new OutputFormat(Kind.TEXT, null, null);

    /** The {@code output_format} values. */
    public enum Kind { TEXT, JSON_SCHEMA }

    public boolean structured() {
        return kind == Kind.JSON_SCHEMA;
    }
}
