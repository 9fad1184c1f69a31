package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End nodes, written and added. In ChatKit, Agent Builder shows each visible agent's answer as it runs and returns
 * the End's value to code; Parley shows one reply per turn, the End's {@code message}. So every End gets a
 * {@code message}: the answer of the last visible text agent that runs before it on every path. Where Agent Builder
 * lets a run stop at an unconnected output, Parley needs an End there, and the import adds one.
 */
final class AbEnds {
    /** What a guardrails fail branch with no edge replies; Agent Builder just stopped the run there. */
    static final String BLOCKED_REPLY = "Sorry, I can't help with that message.";
    private static final Pattern VAR = Pattern.compile("__VAR__(.+?)__ENDVAR__");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final AbContext cx;
    private final AbFlowNodes flow;
    /** Parley ids of the agents some End replies with: the answers the user will read. */
    final Set<String> shown = new java.util.HashSet<>();

    AbEnds(AbContext cx, AbFlowNodes flow) {
        this.cx = cx;
        this.flow = flow;
    }

    void end(AbNode.End n) {
        JsonNode c = n.config();
        if (c.path("schema").isObject()) {
            schemaEnd(n, c.get("schema"));
            return;
        }
        String src = AbValues.expression(c.path("expr")).trim();
        Map<String, String> values = new LinkedHashMap<>();
        List<AbCel.Entry> entries = src.isEmpty() ? null : AbCel.mapEntries(src);
        if (src.isEmpty() || src.equals("input")) {
            values.putAll(inputResult(n.id()));
        } else if (entries != null) {
            for (AbCel.Entry e : AbCel.mapEntries(flow.value(n.id(), src))) {
                if (e.key() == null) {
                    cx.error(n.id(), "the End's key `" + e.keyText() + "` is not a quoted name", "quote it.");
                } else {
                    values.put(e.key(), e.value());
                }
            }
        } else {
            List<String> path = AbCel.barePath(src);
            values.put(path != null && path.size() > 1 ? path.get(path.size() - 1) : "result", cx.expressions.cel(n.id(), src));
        }
        write(cx.pid(n.id()), n.label(), n.id(), values, replyBefore(n.id(), false));
    }

    /** The form of the seed guide: a JSON schema whose properties' defaults are {@code __VAR__node.path__ENDVAR__}. */
    private void schemaEnd(AbNode.End n, JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        copy.path("properties").properties().forEach(p -> {
            JsonNode def = p.getValue().path("default");
            if (!def.isTextual() || !(p.getValue() instanceof ObjectNode prop)) return;
            Matcher m = VAR.matcher(def.asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement("__VAR__" + cx.expressions.cel(n.id(), m.group(1).trim())
                        + "__ENDVAR__"));
            }
            m.appendTail(sb);
            prop.put("default", sb.toString());
        });
        cx.node(cx.pid(n.id()), "end", n.label()).set("schema", copy);
    }

    /** Adds an End where Agent Builder's run stops at an unconnected output; {@return its Parley id} */
    String after(AbNode n, String branch) {
        String pid = cx.fresh(cx.pid(n.id()) + (branch == null ? "" : "_" + branch) + "_end", n.id());
        write(pid, null, n.id(), resultOf(n), replyBefore(n.id(), true));
        cx.edge(cx.pid(n.id()), pid, branch);
        cx.note(n.id(), (branch == null ? "its output" : "its `" + branch + "` branch") + " leads nowhere, so Agent "
                + "Builder ends the run there; the import adds End `" + pid + "` to do the same");
        return pid;
    }

    /** Adds the End a tripped Guardrails node stops at when its fail branch leads nowhere. */
    void blocked(AbNode.Guardrails g) {
        String pid = cx.fresh(cx.pid(g.id()) + "_fail_end", g.id());
        write(pid, null, g.id(), new LinkedHashMap<>(Map.of("message", AbCel.quote(BLOCKED_REPLY))), null);
        cx.edge(cx.pid(g.id()), pid, "fail");
        cx.warning(g.id(), "when a check fails Agent Builder stops the run without an answer; Parley needs an End, so "
                        + "the import adds `" + pid + "`, which replies \"" + BLOCKED_REPLY + "\"",
                "change its message to what the user should read.");
    }

    private void write(String pid, String label, String source, Map<String, String> values, String reply) {
        values.entrySet().removeIf(e -> structuredText(source, e.getKey(), e.getValue()));
        Map<String, String> ordered = new LinkedHashMap<>();
        if (!values.containsKey("message") && reply != null) {
            ordered.put("message", reply + ".output_text");
            cx.note(source, "End `" + pid + "` replies with the answer of `" + reply + "` as its `message`, the text "
                    + "ChatKit shows");
        }
        ordered.putAll(values);
        if (ordered.isEmpty()) {
            ordered.put("input_as_text", "workflow.input_as_text");
            cx.warning(source, "the import cannot tell what End `" + pid + "` returns; it returns the user's message",
                    "map the End's properties to the values it should return.");
        }
        List<String> message = ordered.containsKey("message") ? AbCel.barePath(ordered.get("message")) : null;
        if (message != null && message.size() == 2 && message.get(1).equals("output_text")) {
            if (message.get(0).equals("input")) cx.graph.inputProducers(source).forEach(p -> shown.add(cx.pid(p)));
            else shown.add(message.get(0));
        }
        ObjectNode end = cx.node(pid, "end", label);
        ObjectNode schema = end.putObject("schema").put("type", "object");
        ObjectNode props = schema.putObject("properties");
        var required = schema.putArray("required");
        ObjectNode vals = end.putObject("values");
        ordered.forEach((k, v) -> {
            props.set(k, typeSchema(v));
            required.add(k);
            vals.put(k, v);
        });
    }

    /** Parley's End refuses a structured agent's {@code output_text} (the chat would show raw JSON). */
    private boolean structuredText(String source, String key, String cel) {
        List<String> path = AbCel.barePath(cel);
        if (path == null || path.size() != 2 || !path.get(1).equals("output_text")) return false;
        if (!(cx.byPid(path.get(0)) instanceof AbNode.Agent a) || !a.structured()) return false;
        cx.warning(source, "`" + key + "` returned `" + cel + "`, the raw JSON text of a structured answer, which a "
                        + "Parley End does not return (the chat would show JSON); it is left out",
                "return `" + path.get(0) + ".output_parsed` or one of its fields instead.");
        return true;
    }

    private ObjectNode typeSchema(String cel) {
        String s = cel.trim();
        String type = null;
        if (AbCel.stringLiteral(s) != null) type = "string";
        else if (s.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) type = "number";
        else if (s.equals("true") || s.equals("false")) type = "boolean";
        else if (s.startsWith("[") && s.endsWith("]")) type = "array";
        else if (AbCel.mapEntries(s) != null) type = "object";
        else if (AbCel.barePath(s) != null) type = cx.expressions.typeOf(AbCel.barePath(s));
        ObjectNode schema = cx.json.objectNode();
        if (type != null) schema.put("type", type);
        return schema;
    }

    /**
     * {@return the Parley id of the agent whose answer the user saw last before {@code at}}: the nearest visible
     * agent on every path; null when none, or when the nearest visible one answers in JSON.
     */
    private String replyBefore(String at, boolean includingItself) {
        List<String> candidates = new java.util.ArrayList<>();
        if (includingItself) candidates.add(at);
        candidates.addAll(cx.graph.dominatorsNearestFirst(at));
        for (String id : candidates) {
            if (!(cx.graph.nodes.get(id) instanceof AbNode.Agent a)) continue;
            if (!a.config().path("user_visible").asBoolean(true)) continue;
            return a.structured() ? null : cx.pid(a.id());
        }
        return null;
    }

    /** {@return what Agent Builder's {@code input} holds at {@code at}, as End properties} */
    private Map<String, String> inputResult(String at) {
        Set<String> producers = cx.graph.inputProducers(at);
        if (producers.size() == 1) return resultOf(cx.graph.nodes.get(producers.iterator().next()));
        boolean textAgents = !producers.isEmpty() && producers.stream()
                .allMatch(p -> cx.graph.nodes.get(p) instanceof AbNode.Agent a && !a.structured());
        return textAgents ? new LinkedHashMap<>(Map.of("output_text", "input.output_text")) : new LinkedHashMap<>();
    }

    /** {@return a node's Agent Builder output, as End properties reading its Parley output} */
    private Map<String, String> resultOf(AbNode n) {
        String pid = cx.pid(n.id());
        Map<String, String> out = new LinkedHashMap<>();
        switch (n) {
            case AbNode.Start s -> out.put("input_as_text", "workflow.input_as_text");
            case AbNode.Agent a -> {
                if (a.structured()) out.put("output_parsed", pid + ".output_parsed");
                else out.put("output_text", pid + ".output_text");
            }
            case AbNode.Transform t -> {
                List<AbCel.Entry> entries = AbCel.mapEntries(AbValues.expression(t.config().path("expr")));
                if (entries == null) {
                    out.put("result", pid + ".output_parsed");
                } else {
                    for (AbCel.Entry e : entries) {
                        if (e.key() == null || e.key().isEmpty() || AbFlowNodes.isUnset(e.value())) continue;
                        out.put(e.key(), pid + ".output_parsed" + (IDENT.matcher(e.key()).matches() ? "." + e.key()
                                : "[" + AbCel.quote(e.key()) + "]"));
                    }
                }
            }
            case AbNode.FileSearch f -> out.put("results", pid + ".output_parsed.results");
            case AbNode.Mcp m -> out.put("result", pid + ".output_parsed");
            case AbNode.Guardrails g -> out.put("safe_text", cx.expressions.guardrailText(g));
            case AbNode.IfElse x -> out.putAll(inputResult(x.id()));
            case AbNode.Approval x -> out.putAll(inputResult(x.id()));
            case AbNode.SetState x -> out.putAll(inputResult(x.id()));
            case AbNode.While x -> out.putAll(inputResult(x.id()));
            case AbNode.End x -> { }
            case AbNode.Note x -> { }
            case AbNode.Unsupported x -> { }
        }
        return out;
    }
}
