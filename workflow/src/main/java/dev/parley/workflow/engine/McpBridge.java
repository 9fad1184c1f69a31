package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.AgentTool;
import dev.parley.workflow.Node;
import dev.parley.workflow.tools.McpCallResult;
import dev.parley.workflow.tools.McpServers;
import dev.parley.workflow.tools.ToolContext;
import dev.parley.workflow.tools.ToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reaches MCP servers through {@link McpServers}: resolves each header's environment variable, and turns what the
 * SDK side gives into what agents and {@code mcp} nodes use. A variable unset since publishing makes the server
 * unavailable for the turn, never a header sent empty.
 */
public final class McpBridge implements McpConnector {
    private final McpServers servers;

    public McpBridge(McpServers servers) {
        this.servers = Objects.requireNonNull(servers, "servers");
    }

    @Override
    public Listing tools(AgentTool.Mcp server, Function<String, Optional<String>> environment) {
        Map<String, String> headers = new LinkedHashMap<>();
        String missing = resolve(server.headers(), environment, headers);
        if (missing != null) return new Listing.Unavailable("environment variable " + missing + " is not set");
        return switch (servers.tools(new McpServers.Server(server.serverLabel(), server.url(), headers), server.allowedTools())) {
            case McpServers.Listing.Available a -> new Listing.Available(a.tools());
            case McpServers.Listing.Unavailable u -> new Listing.Unavailable(u.detail());
        };
    }

    @Override
    public Called call(Node.Mcp node, JsonNode arguments, Function<String, Optional<String>> environment,
            ToolContext context) {
        Map<String, String> headers = new LinkedHashMap<>();
        String missing = resolve(node.headers(), environment, headers);
        if (missing != null) {
            return new Called(new ToolResult.Failed("its credentials are not configured on this server.",
                    "environment variable " + missing + " is not set"), null);
        }
        McpCallResult result = servers.call(new McpServers.Server(node.serverLabel(), node.url(), headers), node.tool(),
                arguments, context, null);
        return new Called(result.toToolResult(), result instanceof McpCallResult.Ok ok ? ok.structured() : null);
    }

    /** Fills {@code into} with header values; {@return the first variable that is not set, or null} */
    private static String resolve(Map<String, JsonNode> headers, Function<String, Optional<String>> environment,
            Map<String, String> into) {
        for (var e : headers.entrySet()) {
            String variable = e.getValue().path("env").asText();
            Optional<String> value = environment.apply(variable);
            if (value.isEmpty()) return variable;
            into.put(e.getKey(), value.get());
        }
        return null;
    }

    @Override
    public void close() {
        servers.close();
    }
}
