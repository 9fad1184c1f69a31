package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.server.StreamError;
import dev.parley.workflow.Node;
import dev.parley.workflow.tools.FileSearchTool;
import dev.parley.workflow.tools.ToolContext;
import dev.parley.workflow.tools.ToolResult;
import java.util.List;

/**
 * The nodes that run a tool without a model: {@code file_search} and {@code mcp}. Their failures end the turn with a
 * message naming the step, because no model is there to work around them.
 */
final class ToolNodes {
    private ToolNodes() {}

    /** {@return {@code {results: [{text, source, score}]}} for {@code query}, best first} */
    static ObjectNode fileSearch(Node.FileSearch node, Toolbox toolbox, String query, RunTrace.Span span) {
        KnowledgeBases knowledge = toolbox.knowledge();
        if (knowledge == null) {
            throw StreamError.custom("The step `" + node.id() + "` searches knowledge bases, and this server has none.", false);
        }
        List<KnowledgeBases.Hit> hits;
        try {
            hits = knowledge.search(node.knowledgeBases(), query, node.maxResults());
        } catch (IllegalArgumentException e) {
            // A base removed after the workflow was published.
            throw StreamError.custom("The step `" + node.id() + "` could not search: " + e.getMessage(), false);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("results", FileSearchTool.json(hits));
        span.input("query", query).output(out);
        return out;
    }

    /** @param parsed the tool's structured content, or {@code {"text": …}} when it gave only text */
    record McpOutput(String text, JsonNode parsed) {}

    static McpOutput mcp(Node.Mcp node, Toolbox toolbox, ObjectNode arguments, ToolContext context, RunTrace.Span span) {
        span.input("tool", node.tool()).input("arguments", Redaction.redact(arguments));
        McpConnector mcp = toolbox.mcp();
        if (mcp == null) {
            throw StreamError.custom("The step `" + node.id() + "` calls an MCP server, and MCP is off on this server.", false);
        }
        // The host list may have changed since the workflow was published.
        toolbox.mcpProblem(node.url()).ifPresent(why -> {
            throw StreamError.custom("The step `" + node.id() + "` may not reach its MCP server: " + why, false);
        });
        McpConnector.Called called = mcp.call(node, arguments, toolbox::environmentVariable, context);
        return switch (called.result()) {
            case ToolResult.Ok ok -> {
                JsonNode parsed = called.structured() != null ? called.structured()
                        : JsonNodeFactory.instance.objectNode().put("text", ok.content());
                span.output(parsed);
                yield new McpOutput(ok.content(), parsed);
            }
            case ToolResult.Failed f -> {
                span.json.put("tool_error", f.detailForTheTrace());
                throw StreamError.custom("The step `" + node.id() + "` could not use " + node.serverLabel() + ": "
                        + f.messageForTheModel(), true);
            }
        };
    }
}
