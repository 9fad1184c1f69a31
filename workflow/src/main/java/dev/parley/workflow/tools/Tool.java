package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function a model can call: its name, what it is for and the JSON Schema of its arguments are sent to the
 * model, and {@link #call} runs it when the model asks.
 */
public interface Tool {
    /** {@return the name the model calls it by: letters, digits, {@code _} and {@code -}, at most 64} */
    String name();

    /** {@return what the tool does and when to use it, written for the model} */
    String description();

    /** {@return the JSON Schema (2020-12) of the arguments object} */
    JsonNode parameters();

    /**
     * Runs the tool. Implementations never throw: a tool that fails, is slow or gets invalid arguments answers
     * with {@link ToolResult.Failed}, which the model reads like any other result and can recover from.
     *
     * @param arguments the arguments the model produced, not yet validated
     * @param context   who and what the call is for, so the tool's owner can correlate calls with runs
     */
    ToolResult call(JsonNode arguments, ToolContext context);
}
