package dev.parley.workflow.engine;

import dev.parley.workflow.tools.FileSearchTool;
import dev.parley.workflow.tools.McpTool;
import dev.parley.workflow.tools.Tool;
import dev.parley.workflow.tools.WebhookTool;

/** Names the kind of a server-side tool for metrics and spans: a small fixed set, never the tool's own name. */
final class ToolKinds {
    static final String WEBHOOK = "webhook";
    static final String FILE_SEARCH = "file_search";
    static final String MCP = "mcp";
    /** A function tool this server cannot reach (no webhook host allowed): its calls fail, and are counted so. */
    static final String FUNCTION = "function";

    private ToolKinds() {}

    static String of(Tool tool) {
        return switch (tool) {
            case WebhookTool w -> WEBHOOK;
            case FileSearchTool f -> FILE_SEARCH;
            case McpTool m -> MCP;
            default -> FUNCTION;
        };
    }
}
