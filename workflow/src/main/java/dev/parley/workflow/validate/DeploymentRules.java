package dev.parley.workflow.validate;

import static dev.parley.workflow.validate.ExpressionChecker.list;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelProvider;
import dev.parley.workflow.AgentTool;
import dev.parley.workflow.Deployment;
import dev.parley.workflow.Node;
import dev.parley.workflow.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publish-time rules that need the server's settings: the hosts webhooks may call, the knowledge bases, the
 * environment variables MCP headers read, and what the model provider can run. Only agent tools depend on the
 * provider; the {@code file_search} and {@code mcp} nodes run in Parley itself.
 */
final class DeploymentRules {
    // The settings belong to the web module, which this one cannot see; they are spelled out so the fix is complete.
    static final String FUNCTION_PROVIDERS = "PARLEY_MODEL_PROVIDER=openai with OPENAI_API_KEY, or "
            + "PARLEY_MODEL_PROVIDER=openai-compatible with OPENAI_BASE_URL and PARLEY_MODEL";
    static final String HOSTED_TOOLS_PROVIDER = "PARLEY_MODEL_PROVIDER=openai with OPENAI_API_KEY";

    private final Deployment deployment;
    private final Problems problems;
    private final Set<String> knowledgeBases;

    DeploymentRules(Deployment deployment, Problems problems) {
        this.deployment = deployment;
        this.problems = problems;
        this.knowledgeBases = new TreeSet<>(deployment.knowledgeBases());
    }

    void check(Node n) {
        switch (n) {
            case Node.Agent a -> {
                for (int i = 0; i < a.tools().size(); i++) tool(a.id(), "tools[" + i + "]", a.tools().get(i));
            }
            case Node.FileSearch f -> knowledgeBases(f.id(), "knowledge_bases", f.knowledgeBases());
            case Node.Mcp m -> {
                mcpHost(m.id(), "server_url", m.url());
                headers(m.id(), "headers", m.headers());
            }
            case Node.Start s -> { }
            case Node.Classifier c -> { }
            case Node.IfElse ie -> { }
            case Node.End e -> { }
            case Node.Transform t -> { }
            case Node.SetState s -> { }
            case Node.While w -> { }
            case Node.UserApproval u -> { }
            case Node.Guardrails g -> { }
            case Node.Note note -> { }
        }
    }

    private void tool(String nodeId, String at, AgentTool tool) {
        ModelProvider provider = deployment.provider();
        String cannot = "the `" + provider.name() + "` model provider cannot ";
        switch (tool) {
            case AgentTool.Function f -> {
                if (f.runsOn() == AgentTool.RunsOn.WEBHOOK) {
                    deployment.webhookProblem(f.url()).ifPresent(why -> error(nodeId, at + ".url",
                            "this server may not call the webhook: " + why,
                            "point `url` at an endpoint the server allows, or have its operator allow this one."));
                }
                if (!provider.callsFunctions()) {
                    error(nodeId, at, cannot + "choose arguments for function tools, so `" + f.name()
                                    + "` would never be called",
                            "configure a provider that calls functions (" + FUNCTION_PROVIDERS + "), or remove the tool.");
                }
            }
            case AgentTool.Mcp m -> {
                mcpHost(nodeId, at + ".server_url", m.url());
                headers(nodeId, at + ".headers", m.headers());
                if (!provider.callsFunctions()) {
                    error(nodeId, at, cannot + "choose which MCP tool to call or its arguments, so the tools of `"
                                    + m.serverLabel() + "` would never be called",
                            "configure a provider that calls functions (" + FUNCTION_PROVIDERS + "), or call one tool "
                                    + "with fixed arguments from an `mcp` node before the agent.");
                }
            }
            case AgentTool.FileSearch fs -> {
                knowledgeBases(nodeId, at + ".knowledge_bases", fs.knowledgeBases());
                // Parley runs the search as a function the model calls, unless the provider grounds answers itself.
                if (!fs.knowledgeBases().isEmpty() && !provider.callsFunctions() && !provider.runs(
                        new HostedTool.KnowledgeSearch(fs.knowledgeBases(), fs.maxResultsOrDefault()))) {
                    error(nodeId, at + ".knowledge_bases", cannot + "call a file_search function or search knowledge "
                                    + "bases itself",
                            "configure a provider that calls functions (" + FUNCTION_PROVIDERS + "), or search in a "
                                    + "`file_search` node before the agent and put its results in the prompt.");
                }
                if (fs.vectorStoreId() != null) {
                    HostedTool search = new HostedTool.VectorStoreSearch(List.of(fs.vectorStoreId()),
                            fs.maxResultsOrDefault());
                    if (!provider.runs(search)) {
                        error(nodeId, at + ".vector_store_id", cannot + "run " + HostedTool.describe(search),
                                "use " + HOSTED_TOOLS_PROVIDER + ", or search Parley's knowledge bases instead: "
                                        + "`\"knowledge_bases\": [\"agency\"]`.");
                    }
                }
            }
            case AgentTool.WebSearch w -> {
                HostedTool search = new HostedTool.WebSearch();
                if (!provider.runs(search)) {
                    error(nodeId, at, cannot + "run " + HostedTool.describe(search) + " (a search OpenAI hosts)",
                            "use " + HOSTED_TOOLS_PROVIDER + ", or remove the tool.");
                }
            }
        }
    }

    private void mcpHost(String nodeId, String field, java.net.URI url) {
        deployment.mcpProblem(url).ifPresent(why -> error(nodeId, field, "this server may not connect to the MCP server: "
                + why, "point it at a server the operator allows, or have the operator allow this one."));
    }

    private void knowledgeBases(String nodeId, String field, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (knowledgeBases.contains(id)) continue;
            Optional<String> close = EditDistance.closest(id, knowledgeBases);
            String has = knowledgeBases.isEmpty() ? "it has none" : "it has " + list(knowledgeBases);
            error(nodeId, field + "[" + i + "]", "knowledge base `" + id + "` does not exist on this server (" + has
                            + ")" + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                    close.map(c -> "write `" + c + "`.").orElse((knowledgeBases.isEmpty() ? "" : "use one of "
                            + list(knowledgeBases) + ", or ") + "add a folder `" + id + "/` of documents under "
                            + "PARLEY_KNOWLEDGE_DIR and restart the server."));
        }
    }

    private void headers(String nodeId, String field, Map<String, JsonNode> headers) {
        headers.forEach((name, value) -> {
            String variable = value.path("env").asText();
            if (variable.startsWith("PARLEY_") || variable.equals("OPENAI_API_KEY")) {
                // Whoever writes the workflow chooses the server: Parley's own keys must not be theirs to send.
                error(nodeId, field + "." + name, "header `" + name + "` would send `" + variable + "`, one of Parley's "
                                + "own settings, to the MCP server",
                        "put the server's credential in a variable of its own (e.g. CRM_MCP_TOKEN) and name that.");
                return;
            }
            // Only presence is asked: the value is a secret and has no place in a report.
            if (deployment.environmentVariable(variable).isEmpty()) {
                error(nodeId, field + "." + name, "header `" + name + "` is read from environment variable `"
                                + variable + "`, which is not set on this server",
                        "set " + variable + " to the header's value (e.g. `Bearer …`) in the server's environment "
                                + "before starting it.");
            }
        });
    }

    private void error(String nodeId, String field, String description, String fix) {
        problems.error(Problem.at(nodeId, field, description, fix));
    }
}
