package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finishing passes over the code import's document that make it read as the JSON import of the same workflow
 * does (ImportEquivalence checks that they agree). They work on the finished graph because each needs the whole
 * of it: the types of state variables and agents' outputs, what dominates an End, what a dropped branch led to.
 * Each pass follows the JSON importer's rule (AbExpressions, AbEnds, AbToolNodes) and reports as it does.
 */
final class AgentsSdkAlign {
    private final ObjectNode doc;
    private final Map<String, Integer> lines;
    private final ImportReport.Builder report;
    private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();

    private final Set<String> alwaysPass;

    private AgentsSdkAlign(ObjectNode doc, AgentsSdkGraph graph, ImportReport.Builder report) {
        this.doc = doc;
        this.lines = graph.lines;
        this.alwaysPass = graph.alwaysPass;
        this.report = report;
        doc.withArray("nodes").forEach(n -> nodes.put(n.path("id").asText(), (ObjectNode) n));
    }

    static void apply(ObjectNode doc, AgentsSdkGraph graph, ImportReport.Builder report) {
        AgentsSdkAlign a = new AgentsSdkAlign(doc, graph, report);
        a.passThroughGuardrails();
        a.expressions();
        a.replies();
    }

    private String at(String id) {
        Integer line = lines.get(id);
        return line == null ? "workflow" : "line " + line;
    }

    /**
     * Guardrails without checks always pass in Agent Builder and Parley refuses an empty guardrails node, so it
     * becomes a set_state without assignments on its pass branch; the export's fail branch, never taken, goes.
     */
    private void passThroughGuardrails() {
        Set<JsonNode> failEdges = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ObjectNode n : nodes.values()) {
            String id = n.path("id").asText();
            if (!alwaysPass.contains(id)) continue;
            n.remove(List.of("input", "checks"));
            n.put("type", "set_state").putArray("assignments");
            for (JsonNode e : doc.withArray("edges")) {
                if (!e.path("from").asText().equals(id)) continue;
                if ("fail".equals(e.path("branch").asText())) failEdges.add(e);
                else ((ObjectNode) e).remove("branch");
            }
            report.note(at(id), "guardrails `" + id + "` has no checks (Agent Builder's node was left empty), so it "
                    + "always passes; it is imported as a set_state without assignments that leads on to its pass "
                    + "branch, and the export's fail branch is left out");
        }
        if (failEdges.isEmpty()) return;
        doc.withArray("edges").removeIf(failEdges::contains);
        Set<String> gone = new HashSet<>(nodes.keySet());
        gone.removeAll(reachable());
        doc.withArray("nodes").removeIf(n -> gone.contains(n.path("id").asText()));
        doc.withArray("edges").removeIf(e -> gone.contains(e.path("from").asText()) || gone.contains(e.path("to").asText()));
        gone.forEach(nodes::remove);
    }

    private Set<String> reachable() {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        nodes.values().stream().filter(n -> n.path("type").asText().equals("start"))
                .forEach(n -> todo.add(n.path("id").asText()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!seen.add(id)) continue;
            for (JsonNode e : doc.withArray("edges")) if (e.path("from").asText().equals(id)) todo.add(e.path("to").asText());
        }
        return seen;
    }

    // --- expressions --------------------------------------------------------------------------------------------

    /** CEL the export took over from Agent Builder, typed as the JSON importer types it. */
    private void expressions() {
        for (ObjectNode n : nodes.values()) {
            String id = n.path("id").asText();
            switch (n.path("type").asText()) {
                case "set_state" -> n.withArray("assignments").forEach(a -> doubles((ObjectNode) a, "expression"));
                case "transform" -> doubles(n, "expression");
                case "end" -> {
                    if (n.get("values") instanceof ObjectNode v) {
                        new ArrayList<>(v.properties()).forEach(p -> doubles(v, p.getKey()));
                    }
                }
                case "if_else" -> {
                    int i = 0;
                    for (JsonNode c : n.withArray("conditions")) {
                        doubles((ObjectNode) c, "expression");
                        explicit(id, (ObjectNode) c, "expression", "condition " + (++i) + " of if_else `" + id + "`");
                    }
                }
                case "while" -> {
                    doubles(n, "condition");
                    explicit(id, n, "condition", "the condition of while `" + id + "`");
                }
                default -> { }
            }
        }
    }

    /** CEL will not add an int literal to a double, which Agent Builder allows: {@code state.count + 1}. */
    private void doubles(ObjectNode holder, String field) {
        if (!holder.path(field).isTextual()) return;
        holder.put(field, AbCel.doubleOperands(holder.get(field).asText(), p -> "number".equals(typeOf(p))));
    }

    /** Agent Builder takes a bare non-empty string or non-zero number as true; a CEL condition must be a bool. */
    private void explicit(String id, ObjectNode holder, String field, String what) {
        String cel = holder.path(field).asText();
        List<String> bare = AbCel.barePath(cel);
        String type = bare == null ? null : typeOf(bare);
        String rewritten = switch (type == null ? "" : type) {
            // size() rather than != "": Parley warns about exact comparisons with a model's free text.
            case "string", "array", "object" -> "size(" + cel + ") > 0";
            case "number", "integer" -> cel + " != 0";
            default -> null;
        };
        if (rewritten == null) return;
        holder.put(field, rewritten);
        report.warning(at(id), what + " is `" + cel + "`, a " + type + "; Agent Builder counts a non-empty (or "
                + "non-zero) value as true, Parley conditions must be true or false, so it reads `" + rewritten + "`",
                "check that this is what the condition means.");
    }

    private String typeOf(List<String> path) {
        if (path.equals(List.of("workflow", "input_as_text"))) return "string";
        if (path.size() == 2 && path.get(0).equals("state")) {
            return AbExpressions.schemaType(doc.path("state").get(path.get(1)));
        }
        ObjectNode n = nodes.get(path.get(0));
        if (n == null || path.size() < 2) return null;
        if (path.size() == 2 && path.get(1).equals("output_text")) return "string";
        if (n.path("type").asText().equals("agent") && n.has("output_schema") && path.get(1).equals("output_parsed")) {
            JsonNode schema = n.get("output_schema");
            for (String field : path.subList(2, path.size())) schema = schema.path("properties").path(field);
            return AbExpressions.schemaType(schema);
        }
        return null;
    }

    // --- replies ------------------------------------------------------------------------------------------------

    /**
     * Agent Builder shows each agent's answer as it runs; Parley shows an End's {@code message}. Like the JSON
     * importer, an End without one replies with the answer of the nearest agent that runs before it on every
     * path, unless that agent answers in JSON.
     */
    private void replies() {
        Map<String, Set<String>> dom = dominators();
        for (ObjectNode n : nodes.values()) {
            if (!n.path("type").asText().equals("end") || n.path("values").has("message")) continue;
            String id = n.path("id").asText();
            List<String> before = new ArrayList<>(dom.getOrDefault(id, Set.of()));
            before.remove(id);
            before.sort((a, b) -> dom.get(b).size() - dom.get(a).size());
            String agent = before.stream().filter(b -> nodes.get(b).path("type").asText().equals("agent")).findFirst()
                    .orElse(null);
            if (agent == null || nodes.get(agent).has("output_schema")) continue;
            AgentsSdkNodes.property(n, "message", AgentsSdkNodes.type("string"), agent + ".output_text");
            report.note(at(id), "End `" + id + "` replies with the answer of `" + agent + "` as its `message`, the "
                    + "text ChatKit shows");
        }
    }

    /** {@return node → the nodes on every path from start to it, itself included}; unreachable nodes are left out */
    private Map<String, Set<String>> dominators() {
        Set<String> reach = reachable();
        Map<String, List<String>> preds = new HashMap<>();
        for (JsonNode e : doc.withArray("edges")) {
            preds.computeIfAbsent(e.path("to").asText(), k -> new ArrayList<>()).add(e.path("from").asText());
        }
        Map<String, Set<String>> dom = new HashMap<>();
        for (String id : reach) {
            boolean start = nodes.get(id).path("type").asText().equals("start");
            dom.put(id, start ? new HashSet<>(Set.of(id)) : new HashSet<>(reach));
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (String id : reach) {
                if (nodes.get(id).path("type").asText().equals("start")) continue;
                Set<String> next = null;
                for (String p : preds.getOrDefault(id, List.of())) {
                    if (!reach.contains(p)) continue;
                    if (next == null) next = new HashSet<>(dom.get(p));
                    else next.retainAll(dom.get(p));
                }
                if (next == null) next = new HashSet<>();
                next.add(id);
                if (!next.equals(dom.get(id))) {
                    dom.put(id, next);
                    changed = true;
                }
            }
        }
        return dom;
    }
}
