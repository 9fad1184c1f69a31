package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an agent answers: plain text, or JSON matching {@code schema} (then {@code output_parsed} is the object),
 * optionally shown to the user as a widget filled from that JSON.
 *
 * @param name   schema name sent to the model; may be null
 * @param widget a ChatKit widget tree whose {@code {{ path }}} strings are bound to the structured output (Agent
 *               Builder's "widget" output format); null when the agent answers without one
 */
public record OutputFormat(Kind kind, String name, JsonNode schema, JsonNode widget) {
    public static final OutputFormat TEXT = new OutputFormat(Kind.TEXT, null, null, null);

    /** The {@code output_format} values. */
    public enum Kind { TEXT, JSON_SCHEMA }

    /** A format without a widget. */
    public OutputFormat(Kind kind, String name, JsonNode schema) {
        this(kind, name, schema, null);
    }

    public boolean structured() {
        return kind == Kind.JSON_SCHEMA;
    }
}
