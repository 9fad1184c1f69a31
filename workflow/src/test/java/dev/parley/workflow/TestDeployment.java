package dev.parley.workflow;

import dev.parley.model.ModelProvider;
import dev.parley.model.echo.EchoProvider;
import dev.parley.workflow.tools.WebhookPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A server's settings for publish-time checks. Webhook hosts go through the real {@link WebhookPolicy}, so the
 * messages tests see are the ones a server gives.
 */
record TestDeployment(WebhookPolicy webhooks, Set<String> knowledgeBases, Map<String, String> environment,
                      ModelProvider provider) implements Deployment {

    /** A server on which every tool and node of {@link Docs#tools()} can run. */
    static TestDeployment permissive() {
        return new TestDeployment(policy("api.example.com"), Set.of("agency", "support"),
                Map.of("CRM_TOKEN", "Bearer secret-value"), TestProvider.everything());
    }

    static WebhookPolicy policy(String... hosts) {
        return WebhookPolicy.of(List.of(hosts), "k".repeat(WebhookPolicy.MIN_KEY_BYTES).getBytes(StandardCharsets.UTF_8));
    }

    TestDeployment withProvider(ModelProvider p) {
        return new TestDeployment(webhooks, knowledgeBases, environment, p);
    }

    TestDeployment withEcho() {
        return withProvider(new EchoProvider());
    }

    TestDeployment withWebhookHosts(String... hosts) {
        return new TestDeployment(policy(hosts), knowledgeBases, environment, provider);
    }

    TestDeployment withKnowledgeBases(String... ids) {
        return new TestDeployment(webhooks, Set.of(ids), environment, provider);
    }

    TestDeployment withEnvironment(Map<String, String> env) {
        return new TestDeployment(webhooks, knowledgeBases, env, provider);
    }

    @Override
    public Optional<String> webhookProblem(URI url) {
        return webhooks.check(url);
    }

    /** MCP servers of the test documents live on mcp.example.com; anything else is refused as a server would. */
    @Override
    public Optional<String> mcpProblem(URI url) {
        return dev.parley.workflow.tools.McpHosts.of(List.of("mcp.example.com")).check(url);
    }

    @Override
    public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(environment.get(name));
    }
}
