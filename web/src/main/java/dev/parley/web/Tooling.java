package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.web.config.AssistantConfig;
import dev.parley.workflow.engine.McpBridge;
import dev.parley.workflow.engine.Toolbox;
import dev.parley.workflow.tools.McpHosts;
import dev.parley.workflow.tools.McpServers;
import dev.parley.workflow.tools.WebhookPolicy;
import dev.parley.workflow.tools.Webhooks;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The agents' tools as the configuration sets them up: the webhook executor, MCP connections and the
 * {@link Toolbox} over them. The server and the import command build it the same way, so a workflow that publishes
 * from the command line publishes on the server too. Closing it closes the connections.
 */
final class Tooling implements AutoCloseable {
    private final Webhooks webhooks;
    private final McpBridge mcp;
    private final Toolbox toolbox;

    Tooling(AssistantConfig assistant, ModelProvider model, KnowledgeBases knowledge) {
        webhooks = assistant.webhookHosts().isEmpty() ? null : new Webhooks(WebhookPolicy.of(
                assistant.webhookHosts(), assistant.webhookSecret().getBytes(StandardCharsets.UTF_8)));
        // Connections are made on first use; with no host allowed there is nothing to connect to.
        mcp = assistant.mcpHosts().isEmpty() ? null : new McpBridge(new McpServers());
        toolbox = new Toolbox(model, webhooks, knowledge, mcp, McpHosts.of(assistant.mcpHosts()),
                name -> variable(assistant, name));
    }

    Toolbox toolbox() {
        return toolbox;
    }

    /**
     * {@return the environment variable an MCP header names}, except Parley's own settings and its OpenAI key: a
     * workflow's author could otherwise send them to a server of their choosing.
     */
    static Optional<String> variable(AssistantConfig assistant, String name) {
        if (name.startsWith("PARLEY_") || name.equals(AssistantConfig.OPENAI_API_KEY)) return Optional.empty();
        return Optional.ofNullable(assistant.environment().get(name));
    }

    @Override
    public void close() {
        if (webhooks != null) webhooks.close();
        if (mcp != null) mcp.close();
    }
}
