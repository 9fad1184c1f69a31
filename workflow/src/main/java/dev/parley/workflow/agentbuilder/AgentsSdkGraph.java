package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Parley graph as the run function is walked: nodes, edges, and the open ends ("tails") the next node
 * connects to. Ids come from the export's variable names, which Agent Builder derives from node labels
 * ({@code launch_helper}, {@code agent1}), numbered as Agent Builder numbers them when taken.
 */
final class AgentsSdkGraph {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Names a node id may not have: Parley's roots and CEL's reserved words. */
    private static final Set<String> RESERVED = Set.of("workflow", "input", "state", "sys", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while", "in", "null", "true", "false");

    /** An open end: the node whose next step is not known yet, and the branch it leaves by (null for single output). */
    record Tail(String from, String branch) {}

    final ArrayNode nodes = F.arrayNode();
    final ArrayNode edges = F.arrayNode();
    /** Node id → the source line it came from, for report entries about the node. */
    final Map<String, Integer> lines = new LinkedHashMap<>();
    /** Guardrails nodes whose Agent Builder node had no checks: they always pass (see AgentsSdkAlign). */
    final Set<String> alwaysPass = new HashSet<>();
    private final Map<String, ObjectNode> byId = new HashMap<>();
    private final Set<String> ids = new HashSet<>();

    /** {@return a fresh id from {@code base}: {@code base}, then {@code base1}, {@code base2}…} */
    String unique(String base) {
        String id = base.replaceAll("[^A-Za-z0-9_]", "_");
        if (id.isEmpty() || Character.isDigit(id.charAt(0))) id = "n_" + id;
        if (RESERVED.contains(id)) id = id + "_node";
        if (ids.add(id)) return id;
        for (int i = 1; ; i++) {
            if (ids.add(id + i)) return id + i;
        }
    }

    /** Adds the node and edges into it from every tail; {@return the node's single tail} */
    List<Tail> attach(ObjectNode node, int line, List<Tail> tails) {
        add(node, line);
        String id = node.get("id").asText();
        for (Tail t : tails) edge(t, id);
        List<Tail> out = new ArrayList<>();
        out.add(new Tail(id, null));
        return out;
    }

    void add(ObjectNode node, int line) {
        String id = node.get("id").asText();
        ids.add(id);
        nodes.add(node);
        byId.put(id, node);
        lines.put(id, line);
    }

    void edge(Tail from, String to) {
        ObjectNode e = edges.addObject().put("from", from.from()).put("to", to);
        if (from.branch() != null) e.put("branch", from.branch());
    }

    ObjectNode node(String id) {
        return byId.get(id);
    }

    static ObjectNode object() {
        return F.objectNode();
    }
}
