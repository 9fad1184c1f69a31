package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An agent's tools. Agent Builder's tools are the Responses API's; Parley's are described in docs/tools.md. Secrets
 * never travel: an MCP header or authorization value becomes the name of an environment variable the operator sets.
 */
final class AbTools {
    private final AbContext cx;

    AbTools(AbContext cx) {
        this.cx = cx;
    }

    ArrayNode convert(AbNode.Agent a) {
        ArrayNode out = cx.json.arrayNode();
        for (JsonNode t : a.config().path("tools")) {
            String type = t.path("type").asText("");
            switch (type) {
                case "function" -> function(a, t, out);
                case "web_search", "web_search_preview" -> webSearch(a, t, out);
                case "file_search" -> fileSearch(a, t, out);
                case "mcp" -> mcp(a, t, out);
                default -> cx.error(a.id(), "tool `" + (type.isEmpty() ? t.toString() : type) + "` has no Parley "
                        + "equivalent, so the agent would lose it", "remove the tool, or give the agent a webhook "
                        + "function tool that does the same work (docs/tools.md).");
            }
        }
        return out;
    }

    /**
     * Agent Builder runs no function itself: the app that hosts the chat answers the call, as ChatKit client tools
     * are answered. So the tool runs on the client; a backend that answers it should become a signed webhook.
     */
    private void function(AbNode.Agent a, JsonNode t, ArrayNode out) {
        ObjectNode f = out.addObject().put("type", "function").put("name", t.path("name").asText(""));
        if (t.hasNonNull("description")) f.put("description", t.get("description").asText());
        f.set("parameters", t.path("parameters").isObject() ? t.get("parameters")
                : cx.json.objectNode().put("type", "object").set("properties", cx.json.objectNode()));
        f.put("runs_on", "client");
        cx.warning(a.id(), "function tool `" + t.path("name").asText() + "` runs in the user's browser (`runs_on: "
                        + "client`), answered by your page's onClientTool handler as Agent Builder's function tools "
                        + "are answered by your app",
                "if your backend answers it, make it a webhook: `\"runs_on\": \"webhook\"` with its `url`, and the "
                        + "host in PARLEY_WEBHOOK_HOSTS.");
    }

    private void webSearch(AbNode.Agent a, JsonNode t, ArrayNode out) {
        out.addObject().put("type", "web_search");
        List<String> dropped = new ArrayList<>();
        String size = t.path("search_context_size").asText("medium");
        if (!size.equals("medium")) dropped.add("search_context_size `" + size + "`");
        JsonNode location = t.path("user_location");
        if (location.isObject() && location.size() > (location.has("type") ? 1 : 0)) dropped.add("user_location");
        if (t.hasNonNull("filters")) dropped.add("filters");
        if (!dropped.isEmpty()) {
            cx.warning(a.id(), "web search settings " + String.join(", ", dropped) + " are not carried over: Parley's "
                    + "web_search tool has no settings", null);
        }
    }

    private void fileSearch(AbNode.Agent a, JsonNode t, ArrayNode out) {
        ObjectNode f = out.addObject().put("type", "file_search");
        ArrayNode bases = f.putArray("knowledge_bases");
        for (JsonNode vs : t.path("vector_store_ids")) bases.add(knowledgeBase(a.id(), vs.asText()));
        if (bases.isEmpty()) bases.add(knowledgeBase(a.id(), ""));
        if (t.path("max_num_results").canConvertToInt()) {
            f.put("max_results", Math.max(1, Math.min(50, t.get("max_num_results").asInt())));
        }
        if (t.hasNonNull("filters") || t.hasNonNull("ranking_options")) {
            cx.warning(a.id(), "file search `filters` and `ranking_options` are not carried over: Parley ranks "
                    + "passages by similarity alone", null);
        }
    }

    /**
     * {@return the knowledge base that stands for an OpenAI vector store}: its id made a valid base id, so the
     * operator can tell which store's documents belong in it. A search naming no store gets the base {@code unnamed}.
     */
    String knowledgeBase(String at, String vectorStore) {
        String id = vectorStore.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_").replaceAll("^[_-]+", "");
        if (id.length() > 64) id = id.substring(0, 64);
        if (id.isEmpty()) id = "unnamed";
        String store = vectorStore.isBlank() ? "no vector store" : "vector store `" + vectorStore + "`";
        cx.warning(at, "it searches " + store + "; Parley searches its own knowledge bases, so it searches the base `"
                        + id + "`",
                "create PARLEY_KNOWLEDGE_DIR/" + id + "/ with " + (vectorStore.isBlank() ? "the documents to search"
                        : "the documents of " + vectorStore) + " (Markdown, text or HTML), or rename the base in the "
                        + "workflow to one the server has.");
        return id;
    }

    private void mcp(AbNode.Agent a, JsonNode t, ArrayNode out) {
        String label = t.path("server_label").asText("");
        if (t.hasNonNull("connector_id")) {
            cx.error(a.id(), "MCP tool `" + label + "` is OpenAI connector `" + t.get("connector_id").asText()
                            + "`, which only OpenAI can reach; Parley connects to MCP servers by URL",
                    "point the tool at an MCP server URL that offers the same tools, or remove it.");
            return;
        }
        String url = t.path("server_url").asText("");
        if (url.isBlank()) {
            cx.error(a.id(), "MCP tool `" + label + "` has no `server_url`", "set the MCP server's URL.");
            return;
        }
        ObjectNode m = out.addObject().put("type", "mcp").put("server_label", label).put("server_url", url);
        ObjectNode headers = headers(a.id(), label, t);
        if (!headers.isEmpty()) m.set("headers", headers);
        JsonNode allowed = t.path("allowed_tools");
        if (allowed.isObject()) allowed = allowed.path("tool_names");
        if (allowed.isArray() && !allowed.isEmpty()) m.set("allowed_tools", allowed);
        JsonNode approval = approval(t.path("require_approval"));
        if (approval != null) m.set("require_approval", approval);
        String host = host(url);
        cx.note(a.id(), "MCP server `" + label + "`: Parley connects only to hosts listed in PARLEY_MCP_HOSTS"
                + (host == null ? "" : "; add " + host));
    }

    private static String host(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Literal header values are secrets: each becomes an environment variable name, and the value is dropped. */
    ObjectNode headers(String at, String label, JsonNode t) {
        ObjectNode headers = cx.json.objectNode();
        t.path("headers").properties().forEach(h -> {
            String env = envName(label, h.getKey());
            headers.set(h.getKey(), cx.json.objectNode().put("env", env));
            cx.warning(at, "MCP server `" + label + "`: header `" + h.getKey() + "` held a literal value, which is "
                            + "not copied into the workflow; it is read from environment variable " + env,
                    "set " + env + " on the server to the header's value (for a token: `Bearer …`).");
        });
        if (t.hasNonNull("authorization") && !t.get("authorization").asText().isBlank()) {
            String env = envName(label, "authorization");
            headers.set("Authorization", cx.json.objectNode().put("env", env));
            cx.warning(at, "MCP server `" + label + "`: its `authorization` token is not copied into the workflow; "
                            + "the Authorization header is read from environment variable " + env,
                    "set " + env + " on the server to `Bearer <token>`.");
        }
        return headers;
    }

    private static String envName(String label, String header) {
        String name = (label + "_" + header).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        // Parley refuses its own settings as header sources, and a name must not start with a digit.
        if (name.startsWith("PARLEY_") || name.startsWith("OPENAI_") || !Character.isLetter(name.charAt(0))) {
            name = "MCP_" + name;
        }
        return name;
    }

    /** Responses API form {@code {"always": {"tool_names": […]}, "never": …}} → Parley's per-tool object. */
    JsonNode approval(JsonNode r) {
        if (r.isMissingNode() || r.isNull()) return null;
        if (r.isBoolean()) return cx.json.textNode(r.asBoolean() ? "always" : "never");
        if (r.isTextual()) return r;
        ObjectNode perTool = cx.json.objectNode();
        for (String mode : List.of("never", "always")) {
            for (JsonNode name : r.path(mode).path("tool_names")) perTool.put(name.asText(), mode);
        }
        return perTool.isEmpty() ? cx.json.textNode("always") : perTool;
    }
}
