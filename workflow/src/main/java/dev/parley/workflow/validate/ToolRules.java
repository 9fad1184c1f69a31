package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.AgentTool;
import dev.parley.workflow.Node;
import dev.parley.workflow.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Publish-time rules for an agent's tools that need no server settings: names the model can call, each once;
 * parameter schemas that are valid JSON Schema and fetch nothing from the network. Allowed webhook hosts, knowledge
 * bases, environment variables and what the provider can run are {@link DeploymentRules}.
 */
final class ToolRules {
    /** What OpenAI and Chat Completions servers accept as a function name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Problems problems;

    ToolRules(Problems problems) {
        this.problems = problems;
    }

    void check(Node.Agent agent) {
        List<AgentTool> tools = agent.tools();
        if (!tools.isEmpty() && agent.output().structured()) {
            // The tool loop streams text; a JSON answer after tool calls is not built yet, and dropping the tools
            // silently would be worse than saying so.
            error(agent, "tools", "an agent with tools must answer in text; this one has a JSON output format",
                    "let a text agent with the tools answer first, and give its `output_text` to a second agent "
                            + "with the JSON output format.");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            AgentTool t = tools.get(i);
            String at = "tools[" + i + "]";
            if (t instanceof AgentTool.Function || t instanceof AgentTool.Mcp) {
                String field = at + (t instanceof AgentTool.Mcp ? ".server_label" : ".name");
                if (!NAME.matcher(t.name()).matches()) {
                    error(agent, field, "tool name `" + t.name() + "` is not one a model can call",
                            "use 1 to 64 letters, digits, `_` or `-`, e.g. `get_order_status`.");
                }
                if (!names.add(t.name())) {
                    error(agent, field, "two tools of this agent are called `" + t.name() + "`",
                            "give each tool its own name: the model picks tools by name.");
                }
            } else if (!names.add(t.type())) {
                error(agent, at + ".type", "the agent has two `" + t.type() + "` tools",
                        "merge them into one (list every knowledge base in one file_search tool).");
            }
            if (t instanceof AgentTool.Function f) parameters(agent, at + ".parameters", f.parameters());
        }
    }

    private void parameters(Node.Agent agent, String field, JsonNode schema) {
        if (!"object".equals(schema.path("type").asText())) {
            error(agent, field, "a tool's parameters must be a JSON Schema of `\"type\": \"object\"`",
                    "write `{\"type\": \"object\", \"properties\": {…}, \"required\": […]}`.");
        }
        for (String v : SchemaCheck.violations(schema)) {
            error(agent, field, "the parameters schema is not valid JSON Schema: " + v, "fix the keyword named there.");
        }
        if (remoteRef(schema)) {
            // Compiling such a schema would make the server fetch a URL a workflow author chose.
            error(agent, field, "the parameters schema refers to a remote `$ref`",
                    "inline the referenced schema, or use a local `#/$defs/…` reference.");
        }
    }

    private static boolean remoteRef(JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) return true;
            for (JsonNode child : node) if (remoteRef(child)) return true;
        } else if (node.isArray()) {
            for (JsonNode child : node) if (remoteRef(child)) return true;
        }
        return false;
    }

    private void error(Node.Agent agent, String field, String description, String fix) {
        problems.error(Problem.at(agent.id(), field, description, fix));
    }
}
