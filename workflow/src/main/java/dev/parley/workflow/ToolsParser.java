package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an agent node's {@code tools} array into {@link AgentTool}s, and the {@code file_search} and {@code mcp}
 * nodes, which call the same kinds of tool without a model; both read URLs and MCP headers here so they accept the
 * same forms. Every shape problem is reported with the node, the field ({@code tools[2].url}) and the fix. What
 * needs the server's settings (allowed webhook hosts, knowledge bases, environment variables, the provider) is
 * checked at publish time, not here.
 */
final class ToolsParser {
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> TYPES = List.of("function", "file_search", "mcp", "web_search");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** RFC 9110 token: what a header name may be made of. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    // java.net.http refuses to send these; accepting one would only fail on the first call.
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    private final List<Problem> problems;

    ToolsParser(List<Problem> problems) {
        this.problems = problems;
    }

    List<AgentTool> tools(JsonNode agent, String nodeId) {
        JsonNode tools = agent.get("tools");
        if (tools == null || tools.isNull()) return List.of();
        if (!tools.isArray()) {
            fail(nodeId, "tools", "`tools` must be an array", "write `\"tools\": [{\"type\": \"function\", …}]`.");
            return List.of();
        }
        List<AgentTool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            AgentTool t = tool(tools.get(i), nodeId, "tools[" + i + "]");
            if (t != null) out.add(t);
        }
        return List.copyOf(out);
    }

    private AgentTool tool(JsonNode json, String nodeId, String at) {
        if (!json.isObject()) {
            fail(nodeId, at, "a tool must be an object with a `type`", "write `{\"type\": \"function\", …}`.");
            return null;
        }
        String type = json.path("type").asText("");
        return switch (type) {
            case "function" -> function(json, nodeId, at);
            case "file_search" -> fileSearch(json, nodeId, at);
            case "mcp" -> mcp(json, nodeId, at);
            case "web_search" -> new AgentTool.WebSearch();
            default -> {
                fail(nodeId, at + ".type", type.isEmpty() ? "the tool has no `type`" : "unknown tool type `" + type + "`",
                        "use one of " + String.join(", ", TYPES) + ".");
                yield null;
            }
        };
    }

    private AgentTool function(JsonNode json, String nodeId, String at) {
        String name = string(json, nodeId, at, "name", true);
        String description = string(json, nodeId, at, "description", false);
        JsonNode parameters = json.get("parameters");
        if (parameters == null || !parameters.isObject()) {
            fail(nodeId, at + ".parameters", "a function tool needs `parameters`, the JSON Schema of its arguments",
                    "write `\"parameters\": {\"type\": \"object\", \"properties\": {…}, \"required\": […]}`.");
            parameters = null;
        }
        String runsOn = string(json, nodeId, at, "runs_on", true);
        AgentTool.RunsOn where = null;
        if (runsOn != null) {
            switch (runsOn) {
                case "webhook" -> where = AgentTool.RunsOn.WEBHOOK;
                case "client" -> where = AgentTool.RunsOn.CLIENT;
                default -> fail(nodeId, at + ".runs_on", "`runs_on` must be `webhook` or `client`, got `" + runsOn + "`",
                        "use `webhook` (Parley POSTs to your backend) or `client` (the browser runs it).");
            }
        }
        URI url = null;
        Duration timeout = null;
        if (where == AgentTool.RunsOn.WEBHOOK) {
            url = url(json, nodeId, at, "url");
            JsonNode ms = json.get("timeout_ms");
            if (ms != null && !ms.isNull()) {
                if (!ms.canConvertToLong() || ms.asLong() < 1 || ms.asLong() > MAX_TIMEOUT.toMillis()) {
                    fail(nodeId, at + ".timeout_ms", "`timeout_ms` must be from 1 to " + MAX_TIMEOUT.toMillis(),
                            "give the milliseconds a call may take, e.g. 5000.");
                } else {
                    timeout = Duration.ofMillis(ms.asLong());
                }
            }
        } else if (where == AgentTool.RunsOn.CLIENT && json.hasNonNull("url")) {
            fail(nodeId, at + ".url", "a client tool runs in the browser and has no `url`",
                    "remove `url`, or set `runs_on` to `webhook`.");
        }
        return name == null || parameters == null || where == null ? null
                : new AgentTool.Function(name, description, parameters, where, url, timeout);
    }

    private AgentTool fileSearch(JsonNode json, String nodeId, String at) {
        List<String> bases = strings(json, nodeId, at, "knowledge_bases");
        String vectorStore = string(json, nodeId, at, "vector_store_id", false);
        if (bases.isEmpty() && vectorStore == null) {
            fail(nodeId, at, "a file_search tool needs `knowledge_bases` (ids under PARLEY_KNOWLEDGE_DIR) or an "
                    + "OpenAI `vector_store_id`", "write `\"knowledge_bases\": [\"agency\"]`.");
            return null;
        }
        Integer max = null;
        JsonNode m = json.get("max_results");
        if (m != null && !m.isNull()) {
            if (!m.canConvertToInt() || m.asInt() < 1 || m.asInt() > 50) {
                fail(nodeId, at + ".max_results", "`max_results` must be from 1 to 50", "e.g. `\"max_results\": 5`.");
            } else {
                max = m.asInt();
            }
        }
        return new AgentTool.FileSearch(bases, vectorStore, max);
    }

    private AgentTool mcp(JsonNode json, String nodeId, String at) {
        String label = string(json, nodeId, at, "server_label", true);
        URI url = url(json, nodeId, at, "server_url");
        List<String> allowed = strings(json, nodeId, at, "allowed_tools");
        Map<String, JsonNode> headers = headers(json, nodeId, at);
        JsonNode approval = json.get("require_approval");
        if (approval != null && !approval.isNull() && !(approval.isTextual()
                && List.of("never", "always").contains(approval.asText())) && !approval.isObject()) {
            fail(nodeId, at + ".require_approval", "`require_approval` must be `never`, `always` or an object by tool name",
                    "e.g. `\"require_approval\": {\"delete_record\": \"always\"}`.");
        }
        return label == null || url == null ? null : new AgentTool.Mcp(label, url, allowed, headers, approval);
    }

    /** Reads a {@code file_search} node; the knowledge bases and the range of max_results are checked at publish. */
    Node.FileSearch fileSearchNode(JsonNode json, String id, String label) {
        String query = string(json, id, null, "query", false);
        List<String> bases = strings(json, id, null, "knowledge_bases");
        int max = Node.FileSearch.DEFAULT_MAX_RESULTS;
        JsonNode m = json.get("max_results");
        if (m != null && !m.isNull()) {
            if (m.isIntegralNumber() && m.canConvertToInt()) {
                max = m.asInt();
            } else {
                fail(id, "max_results", "`max_results` must be a whole number", "e.g. `\"max_results\": 5` (the default).");
            }
        }
        return new Node.FileSearch(id, label, query, bases, max);
    }

    /** Reads an {@code mcp} node; the tool name and the argument expressions are checked at publish. */
    Node.Mcp mcpNode(JsonNode json, String id, String label) {
        String serverLabel = string(json, id, null, "server_label", true);
        URI url = url(json, id, null, "server_url");
        Map<String, JsonNode> headers = headers(json, id, null);
        String tool = string(json, id, null, "tool", true);
        Map<String, String> arguments = new LinkedHashMap<>();
        JsonNode a = json.get("arguments");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                fail(id, "arguments", "`arguments` must map each argument name to a CEL expression",
                        "write `{\"order_id\": \"lookup.output_parsed.order_id\"}`.");
            } else {
                a.properties().forEach(e -> {
                    if (e.getValue().isTextual()) {
                        arguments.put(e.getKey(), e.getValue().asText());
                    } else {
                        fail(id, "arguments." + e.getKey(), "the value must be a string holding a CEL expression",
                                "quote it; literal text goes inside the expression, e.g. `\"'A-17'\"`, a number as `\"5\"`.");
                    }
                });
            }
        }
        return new Node.Mcp(id, label, serverLabel, url, headers, tool, arguments);
    }

    private Map<String, JsonNode> headers(JsonNode json, String nodeId, String at) {
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        JsonNode h = json.get("headers");
        if (h == null || h.isNull()) return headers;
        if (!h.isObject()) {
            fail(nodeId, path(at, "headers"), "`headers` must be an object",
                    "write `{\"Authorization\": {\"env\": \"NAME\"}}`.");
            return headers;
        }
        h.properties().forEach(e -> {
            String name = e.getKey();
            String field = path(at, "headers." + name);
            JsonNode v = e.getValue();
            JsonNode env = v.path("env");
            if (!HEADER_NAME.matcher(name).matches() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                fail(nodeId, field, "`" + name + "` is not a header Parley can send", HEADER_NAME.matcher(name).matches()
                        ? "remove it: the HTTP client sets it itself." : "use letters, digits and `-`, e.g. `Authorization`.");
            } else if (!v.isObject() || !env.isTextual() || v.size() != 1) {
                // A literal would put a credential into every published version, its history and exports.
                fail(nodeId, field, "header values must name an environment variable, not hold a literal",
                        "write `{\"env\": \"MCP_TOKEN\"}` and set MCP_TOKEN on the server.");
            } else if (!ENV_NAME.matcher(env.asText()).matches()) {
                fail(nodeId, field + ".env", "`" + env.asText() + "` is not an environment variable name",
                        "use letters, digits and `_`, not starting with a digit, e.g. `MCP_TOKEN`.");
            } else {
                headers.put(name, v);
            }
        });
        return headers;
    }

    private URI url(JsonNode json, String nodeId, String at, String field) {
        String text = string(json, nodeId, at, field, true);
        if (text == null) return null;
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawUserInfo() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // Reported below with the form to use.
        }
        String example = field.equals("server_url") ? "https://mcp.example.com/mcp" : "https://api.example.com/tools/get_order";
        fail(nodeId, path(at, field), "`" + field + "` must be an absolute http(s) URL without user info, got `" + text + "`",
                "write e.g. `" + example + "`.");
        return null;
    }

    private String string(JsonNode json, String nodeId, String at, String field, boolean required) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            if (required) fail(nodeId, path(at, field), "required field `" + field + "` is missing", "add `\"" + field + "\"`.");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            fail(nodeId, path(at, field), "`" + field + "` must be a non-empty string", "quote the value.");
            return null;
        }
        return v.asText();
    }

    private List<String> strings(JsonNode json, String nodeId, String at, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.isTextual() && !e.asText().isBlank()) out.add(e.asText());
                else v = null;
            }
        }
        if (v == null || !v.isArray()) {
            fail(nodeId, path(at, field), "`" + field + "` must be an array of strings", "e.g. `[\"agency\"]`.");
            return List.of();
        }
        return List.copyOf(out);
    }

    /** {@return the field's path: under a tool ({@code tools[2].url}) or, for a node's own field, the field alone} */
    private static String path(String at, String field) {
        return at == null ? field : at + "." + field;
    }

    private void fail(String nodeId, String field, String description, String fix) {
        problems.add(Problem.at(nodeId, field, description, fix));
    }
}
