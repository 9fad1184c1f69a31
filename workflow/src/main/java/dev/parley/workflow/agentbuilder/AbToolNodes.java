package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Nodes that run a tool without a model: Guardrails, File search and MCP; and Notes, which never run. */
final class AbToolNodes {
    /** Agent Builder (Presidio) entity names → the kinds Parley's pii check detects. */
    private static final Map<String, String> PII = Map.of("EMAIL_ADDRESS", "email", "PHONE_NUMBER", "phone",
            "CREDIT_CARD", "credit_card", "IBAN_CODE", "iban", "US_SSN", "us_ssn");
    private static final int MAX_SEARCH_RESULTS = 20;

    private final AbContext cx;
    private final AbTools tools;

    AbToolNodes(AbContext cx, AbTools tools) {
        this.cx = cx;
        this.tools = tools;
    }

    void guardrails(AbNode.Guardrails n) {
        JsonNode c = n.config();
        ArrayNode checks = cx.json.arrayNode();
        for (JsonNode g : c.path("guardrails")) check(n, g, checks);
        if (checks.isEmpty()) {
            passThrough(n);
            return;
        }
        ObjectNode p = cx.node(cx.pid(n.id()), "guardrails", n.label());
        String text = cx.expressions.guardrailText(n);
        if (!text.equals("workflow.input_as_text")) p.put("input", "{{ " + text + " }}");
        p.set("checks", checks);
        if (c.path("continue_on_error").asBoolean(false)) {
            cx.warning(n.id(), "`continue_on_error` is not carried over: in Parley a check that cannot run (the "
                    + "moderation model fails) ends the turn with an error instead of passing", null);
        }
    }

    /**
     * Guardrails without checks always pass in Agent Builder; Parley refuses an empty guardrails node, so it
     * becomes a Set state without assignments, which hands its input on just the same.
     */
    private void passThrough(AbNode.Guardrails n) {
        cx.node(cx.pid(n.id()), "set_state", n.label()).putArray("assignments");
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("on_pass", null);
        ports.put("on_fail", AbContext.DROPPED);
        cx.branches.put(n.id(), ports);
        cx.note(n.id(), "Guardrails " + cx.name(n) + " has no checks, so it always passes; it is imported as a "
                + "set_state without assignments that leads on to its pass branch");
    }

    private void check(AbNode.Guardrails n, JsonNode g, ArrayNode checks) {
        String type = g.path("type").asText("");
        JsonNode config = g.path("config");
        switch (type) {
            case "pii" -> pii(n, config, checks);
            case "jailbreak" -> {
                checks.addObject().put("kind", "jailbreak");
                cx.warning(n.id(), "the jailbreak check is pattern-based in Parley (no model, no confidence "
                                + "threshold); Agent Builder asked " + config.path("model").asText("a model") + " to judge",
                        "test it with the messages you expect to block.");
            }
            case "moderation" -> {
                checks.addObject().put("kind", "moderation");
                if (config.path("categories").size() > 0) {
                    cx.warning(n.id(), "moderation categories " + config.get("categories") + " are not carried over: "
                            + "Parley's moderation flags any harmful content", null);
                }
            }
            default -> cx.error(n.id(), "guardrail `" + type + "` has no Parley equivalent (Parley checks pii, "
                            + "jailbreak and moderation), so messages it would stop would pass",
                    "remove the check in Agent Builder, or keep it out of Parley knowingly by deleting it from the import.");
        }
    }

    private void pii(AbNode.Guardrails n, JsonNode config, ArrayNode checks) {
        List<String> kinds = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode e : config.path("entities")) {
            String kind = PII.get(e.asText().toUpperCase(Locale.ROOT));
            if (kind == null) missing.add(e.asText());
            else if (!kinds.contains(kind)) kinds.add(kind);
        }
        if (kinds.isEmpty() && !missing.isEmpty()) {
            cx.error(n.id(), "the PII check looks for " + String.join(", ", missing) + ", none of which Parley detects "
                    + "(it detects " + String.join(", ", PII.keySet().stream().sorted().toList()) + ")",
                    "pick entities Parley detects, or remove the check.");
            return;
        }
        ObjectNode check = checks.addObject().put("kind", "pii");
        if (!kinds.isEmpty()) {
            ArrayNode entities = check.putArray("entities");
            kinds.forEach(entities::add);
        }
        if (!missing.isEmpty()) {
            cx.warning(n.id(), "the PII check no longer looks for " + String.join(", ", missing)
                    + ": Parley does not detect them", null);
        }
        if (!config.path("block").asBoolean(true)) {
            cx.warning(n.id(), "the PII check masked what it found and let the text through (`block: false`); Parley "
                    + "does not mask: personal data makes the check fail", "connect the fail branch to where the "
                    + "masked text used to go, or remove the check.");
        }
    }

    void fileSearch(AbNode.FileSearch n) {
        JsonNode c = n.config();
        ObjectNode p = cx.node(cx.pid(n.id()), "file_search", n.label());
        p.putArray("knowledge_bases").add(tools.knowledgeBase(n.id(), c.path("vector_store_id").asText("")));
        String query = cx.expressions.template(n.id(), c.path("query"));
        if (query.isBlank()) {
            cx.note(n.id(), "the search has no query; Parley searches for the user's message");
        } else {
            p.put("query", query);
        }
        if (c.path("max_results").canConvertToInt()) {
            int max = c.get("max_results").asInt();
            int kept = Math.max(1, Math.min(MAX_SEARCH_RESULTS, max));
            if (kept != max) {
                cx.warning(n.id(), "max_results " + max + " is outside Parley's 1–" + MAX_SEARCH_RESULTS
                        + "; it is " + kept, null);
            }
            p.put("max_results", kept);
        }
        cx.note(n.id(), "each result is {text, source, score} in Parley ({id, filename, score} in Agent Builder); "
                + "later nodes read them as `" + cx.pid(n.id()) + ".output_parsed.results`");
    }

    void mcp(AbNode.Mcp n) {
        JsonNode c = n.config();
        String url = c.path("server_url").asText("");
        String tool = c.path("tool_name").asText(c.path("tool").asText(""));
        if (tool.isEmpty() && c.path("allowed_tools").size() == 1) tool = c.path("allowed_tools").get(0).asText();
        if (url.isBlank() || tool.isBlank()) {
            cx.error(n.id(), "MCP node " + cx.name(n) + (url.isBlank() ? " names no MCP server (`server_url`)" : "")
                            + (url.isBlank() && tool.isBlank() ? " and" : "") + (tool.isBlank() ? " names no tool to call" : ""),
                    "choose the server and the one tool the node calls.");
        }
        String label = c.path("server_label").asText("mcp");
        ObjectNode p = cx.node(cx.pid(n.id()), "mcp", n.label()).put("server_label", label)
                .put("server_url", url.isBlank() ? "https://mcp.example.com/mcp" : url).put("tool", tool.isBlank() ? "tool" : tool);
        ObjectNode headers = tools.headers(n.id(), label, c);
        if (!headers.isEmpty()) p.set("headers", headers);
        ObjectNode arguments = cx.json.objectNode();
        c.path("arguments").properties().forEach(a -> {
            String expr = AbValues.expression(a.getValue()).trim();
            arguments.put(a.getKey(), AbValues.isCel(a.getValue()) || !a.getValue().isTextual()
                    ? cx.expressions.cel(n.id(), expr) : AbCel.quote(expr));
        });
        if (!arguments.isEmpty()) p.set("arguments", arguments);
        JsonNode approval = tools.approval(c.path("require_approval"));
        if (approval != null && !"never".equals(approval.asText())) {
            cx.warning(n.id(), "the MCP node asked the user before calling the tool; Parley's mcp node calls it "
                            + "without asking",
                    "put a user_approval node before it if the call needs the user's consent.");
        }
    }

    void note(AbNode.Note n) {
        JsonNode c = n.config();
        String text = c.path("text").asText(c.path("content").asText(n.label() == null ? "" : n.label()));
        cx.node(cx.pid(n.id()), "note", n.label()).put("text", text);
    }
}
