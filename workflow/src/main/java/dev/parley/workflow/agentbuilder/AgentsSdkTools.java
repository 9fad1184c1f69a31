package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Str;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An agent's tools (docs/tools.md): {@code function_tool} stubs and {@code tool({...})} become client tools
 * (Agent Builder leaves function tools to the page that embeds the chat, which is Parley's client-tool flow),
 * {@code WebSearchTool} becomes {@code web_search}, {@code FileSearchTool} a {@code file_search} over the same
 * vector store, {@code HostedMCPTool} an {@code mcp} tool whose secrets move to environment variables.
 */
final class AgentsSdkTools {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final AgentsSdkDefinitions defs;
    private final ImportReport.Builder report;

    AgentsSdkTools(AgentsSdkDefinitions defs, ImportReport.Builder report) {
        this.defs = defs;
        this.report = report;
    }

    ArrayNode agentTools(AgentsSdkExpr.ListLit list, String agentId) {
        ArrayNode out = F.arrayNode();
        for (AgentsSdkExpr item : list.items()) {
            String where = "line " + item.line();
            if (item instanceof Name n && defs.functionTools.containsKey(n.id())) {
                AgentsSdkStmt.Def def = defs.functionTools.get(n.id());
                out.add(function(n.id(), null, defs.schemas.parameters(def.params())));
                clientNote("line " + def.line(), agentId, n.id());
                report.warning("line " + def.line(), "agent `" + agentId + "`: the function tool `" + n.id() + "` is "
                        + "a stub whose parameters are plain types, so the tool's description and its parameters' "
                        + "descriptions and enums that Agent Builder had are not in the code", "add them to the "
                        + "imported tool, or import the workflow's JSON, which has them.");
            } else if (item instanceof Name n && defs.tools.get(n.id()) instanceof Call c) {
                ObjectNode tool = hosted(c, agentId);
                if (tool != null) out.add(tool);
            } else if (item instanceof Call c) {
                ObjectNode tool = hosted(c, agentId);
                if (tool != null) out.add(tool);
            } else {
                report.error(where, "agent `" + agentId + "`: the tool `" + AgentsSdkExpr.show(item) + "` is not "
                        + "defined in this file", "define it, or add the tool to the imported agent by hand.");
            }
        }
        return out;
    }

    private void clientNote(String where, String agentId, String name) {
        report.note(where, "agent `" + agentId + "`: the function tool `" + name + "` runs in the user's browser "
                + "(`runs_on: client`), as Agent Builder leaves it to the page; to run it on your backend instead, "
                + "set `runs_on: webhook` and its `url` (docs/tools.md)");
    }

    private static ObjectNode function(String name, String description, ObjectNode parameters) {
        ObjectNode t = F.objectNode().put("type", "function").put("name", name);
        if (description != null) t.put("description", description);
        t.set("parameters", parameters);
        t.put("runs_on", "client");
        return t;
    }

    private ObjectNode hosted(Call c, String agentId) {
        String where = "line " + c.line();
        String callee = c.calleeName() == null ? "" : c.calleeName();
        Map<String, AgentsSdkExpr> cfg = AgentsSdkDefinitions.config(c);
        return switch (callee) {
            case "tool" -> {
                String name = cfg.get("name") instanceof Str s ? s.text() : null;
                if (name == null) {
                    report.error(where, "agent `" + agentId + "`: this function tool has no fixed name",
                            "give it a `name`.");
                    yield null;
                }
                String description = cfg.get("description") instanceof Str s ? s.text() : null;
                ObjectNode params = cfg.get("parameters") == null ? emptyParameters()
                        : defs.schemas.zodParameters(cfg.get("parameters"));
                clientNote(where, agentId, name);
                yield function(name, description, params);
            }
            case "WebSearchTool", "webSearchTool" -> {
                if (!cfg.isEmpty()) {
                    report.warning(where, "agent `" + agentId + "`: the web search settings ("
                            + String.join(", ", cfg.keySet()) + ") have no Parley equivalent and were left out",
                            "check the searches without them.");
                }
                yield F.objectNode().put("type", "web_search");
            }
            case "FileSearchTool", "fileSearchTool" -> fileSearch(c, cfg, agentId);
            case "HostedMCPTool", "hostedMcpTool" -> mcp(c, cfg, agentId);
            default -> {
                report.error(where, "agent `" + agentId + "`: Parley has no `" + callee + "` tool, so the agent "
                        + "cannot do what it does", "remove it, or offer the same through a function or MCP tool.");
                yield null;
            }
        };
    }

    private static ObjectNode emptyParameters() {
        ObjectNode p = F.objectNode().put("type", "object");
        p.putObject("properties");
        p.put("additionalProperties", false);
        return p;
    }

    private ObjectNode fileSearch(Call c, Map<String, AgentsSdkExpr> cfg, String agentId) {
        String where = "line " + c.line();
        AgentsSdkExpr ids = cfg.get("vector_store_ids");
        if (ids == null && !c.args().isEmpty()) ids = c.args().getFirst();
        List<String> stores = new ArrayList<>();
        if (ids instanceof AgentsSdkExpr.ListLit l) {
            l.items().forEach(i -> {
                if (i instanceof Str s && s.text() != null) stores.add(s.text());
            });
        }
        if (stores.isEmpty()) {
            report.error(where, "agent `" + agentId + "`: the file search names no vector store",
                    "name a knowledge base: `{\"type\": \"file_search\", \"knowledge_bases\": [\"…\"]}`.");
            return null;
        }
        ObjectNode t = F.objectNode().put("type", "file_search").put("vector_store_id", stores.getFirst());
        if (stores.size() > 1) {
            report.warning(where, "agent `" + agentId + "`: a Parley file search searches one vector store; only `"
                    + stores.getFirst() + "` was kept", "or list Parley knowledge bases in `knowledge_bases`.");
        }
        Map<String, AgentsSdkExpr> options = c.args().size() > 1 ? AgentsSdkAgents.entries(c.args().get(1)) : cfg;
        if (options.get("max_num_results") instanceof AgentsSdkExpr.Num n) {
            t.put("max_results", (int) Double.parseDouble(n.text()));
        }
        report.note(where, "agent `" + agentId + "`: the file search over the OpenAI vector store `" + stores.getFirst()
                + "` runs on the `openai` provider only; to search Parley's own knowledge bases with any provider, "
                + "replace `vector_store_id` with `knowledge_bases`");
        return t;
    }

    private ObjectNode mcp(Call c, Map<String, AgentsSdkExpr> cfg, String agentId) {
        String where = "line " + c.line();
        Map<String, AgentsSdkExpr> tc = cfg.containsKey("tool_config") ? AgentsSdkAgents.entries(cfg.get("tool_config")) : cfg;
        String label = tc.get("server_label") instanceof Str s ? s.text() : null;
        String url = tc.get("server_url") instanceof Str s ? s.text() : null;
        if (tc.containsKey("connector_id")) {
            report.error(where, "agent `" + agentId + "`: the MCP tool uses an OpenAI connector, which Parley cannot "
                    + "reach", "point it at the MCP server's own URL with `server_url`.");
            return null;
        }
        if (label == null || url == null) {
            report.error(where, "agent `" + agentId + "`: the MCP tool has no fixed `server_label` and `server_url`",
                    "set both on the imported tool.");
            return null;
        }
        ObjectNode t = F.objectNode().put("type", "mcp").put("server_label", label).put("server_url", url);
        AgentsSdkExpr allowed = tc.get("allowed_tools");
        if (allowed instanceof AgentsSdkExpr.DictLit d) allowed = AgentsSdkAgents.entries(d).get("tool_names");
        if (allowed instanceof AgentsSdkExpr.ListLit l) {
            ArrayNode names = t.putArray("allowed_tools");
            l.items().forEach(i -> {
                if (i instanceof Str s && s.text() != null) names.add(s.text());
            });
        }
        AgentsSdkExpr approval = tc.get("require_approval");
        if (approval instanceof Str s && s.text() != null) {
            t.put("require_approval", s.text());
        } else if (approval instanceof AgentsSdkExpr.DictLit d) {
            ObjectNode per = t.putObject("require_approval");
            AgentsSdkAgents.entries(d).forEach((mode, v) -> {
                AgentsSdkExpr names = AgentsSdkAgents.entries(v).get("tool_names");
                if (names instanceof AgentsSdkExpr.ListLit l) {
                    l.items().forEach(i -> {
                        if (i instanceof Str n && n.text() != null) per.put(n.text(), mode);
                    });
                }
            });
        }
        List<String> secrets = new ArrayList<>();
        if (tc.containsKey("authorization")) secrets.add("Authorization");
        if (tc.get("headers") instanceof AgentsSdkExpr.DictLit h) secrets.addAll(h.byKey().keySet());
        if (!secrets.isEmpty()) {
            ObjectNode headers = t.putObject("headers");
            String prefix = label.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
            for (String header : secrets) {
                String env = prefix + "_" + header.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
                headers.putObject(header).put("env", env);
            }
            report.warning(where, "agent `" + agentId + "`: Parley never keeps secrets in a workflow; the MCP "
                    + "header(s) " + String.join(", ", secrets) + " are now read from environment variables ("
                    + String.join(", ", headers.properties().stream().map(e -> e.getValue().get("env").asText()).toList())
                    + ")", "set those variables on the server, and list the host in PARLEY_MCP_HOSTS.");
        } else {
            report.note(where, "agent `" + agentId + "`: the MCP server's host must be listed in PARLEY_MCP_HOSTS");
        }
        return t;
    }
}
