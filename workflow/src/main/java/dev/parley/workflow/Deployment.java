package dev.parley.workflow;

import dev.parley.model.ModelProvider;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * What the server a workflow runs on is set up with: the hosts webhooks may call, its knowledge bases, the
 * environment variables MCP headers read, and its model provider. Publishing checks a workflow's tools against it,
 * so a turn never finds out that a tool cannot run.
 */
public interface Deployment {
    /** {@return empty when a webhook tool may call {@code url}, else what is wrong and how to fix it} */
    Optional<String> webhookProblem(URI url);

    /** {@return empty when agents and {@code mcp} nodes may connect to the MCP server at {@code url}, else why not} */
    Optional<String> mcpProblem(URI url);

    /** {@return the ids of the knowledge bases this server has} */
    Set<String> knowledgeBases();

    /**
     * {@return the value of environment variable {@code name}}: MCP servers' headers name one instead of holding a
     * secret. Read once at start-up by the server's configuration, never by the engine.
     */
    Optional<String> environmentVariable(String name);

    /** {@return the provider agents run on} */
    ModelProvider provider();
}
