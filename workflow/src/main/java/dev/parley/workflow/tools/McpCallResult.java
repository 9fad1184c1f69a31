package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What an MCP tool call gave. An agent's model reads {@link #toToolResult()}; the {@code mcp} node takes
 * {@link Ok#text()} as its {@code output_text} and {@link Ok#structured()} as its {@code output_parsed}.
 */
public sealed interface McpCallResult {
    /** {@return the same outcome as a tool result for the model} */
    ToolResult toToolResult();

    /**
     * @param text       the tool's text content parts joined by newlines, other parts described in brackets
     *                   ({@code [image: image/png]}), at most {@link McpServers#MAX_RESULT_BYTES} of UTF-8 with a note
     *                   where it was cut; when the tool sent only structured content, that content as JSON text
     * @param structured the tool's {@code structuredContent}, or null when it sent none or it was larger than
     *                   {@link McpServers#MAX_RESULT_BYTES} as JSON (then {@code text} says so)
     */
    record Ok(String text, JsonNode structured) implements McpCallResult {
        public Ok {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public ToolResult toToolResult() {
            return new ToolResult.Ok(text);
        }
    }

    /**
     * The call did not give a result: the server was unreachable or slow, the arguments were invalid (nothing
     * was sent), or the tool itself reported an error ({@code isError}), in which case the message carries the
     * tool's own words so the model can correct its arguments.
     *
     * @param messageForTheModel what happened and what to do now; never URLs or internals
     * @param detailForTheTrace  what an operator needs: server label and URL, status, the server's words
     */
    record Failed(String messageForTheModel, String detailForTheTrace) implements McpCallResult {
        public Failed {
            Objects.requireNonNull(messageForTheModel, "messageForTheModel");
            Objects.requireNonNull(detailForTheTrace, "detailForTheTrace");
        }

        @Override
        public ToolResult toToolResult() {
            return new ToolResult.Failed(messageForTheModel, detailForTheTrace);
        }
    }
}
