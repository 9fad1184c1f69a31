package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.AgentTool;
import dev.parley.workflow.Node;
import dev.parley.workflow.tools.ToolContext;
import dev.parley.workflow.tools.ToolResult;
import dev.parley.workflow.tools.Tool;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** How agents and {@code mcp} nodes reach MCP servers; headers name environment variables, resolved here. */
public interface McpConnector extends AutoCloseable {
    /** What listing a server's tools gave. */
    sealed interface Listing {
        /** The server's tools, already narrowed to the agent's {@code allowed_tools}. */
        record Available(List<Tool> tools) implements Listing {}

        /** @param detail for the trace: why the server could not be listed */
        record Unavailable(String detail) implements Listing {}
    }

    /** A direct call's result: the text for {@code output_text} and the structured content, if the tool gave one. */
    record Called(ToolResult result, JsonNode structured) {}

    Listing tools(AgentTool.Mcp server, Function<String, Optional<String>> environment);

    Called call(Node.Mcp node, JsonNode arguments, Function<String, Optional<String>> environment, ToolContext context);

    @Override
    void close();
}
