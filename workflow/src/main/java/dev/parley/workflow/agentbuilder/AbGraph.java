package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Agent Builder workflow's graph with While bodies flattened into it: each body's nodes and edges join the
 * top level, and the While gets an edge to its body's first node. No edge leads back from a body, so the graph has
 * no cycles, nodes after a loop do not see its body as upstream (it may run zero times), and "upstream on every
 * path" is plain dominance.
 */
final class AbGraph {
    /** An edge from one output port to a node; {@code port} is {@code body} for a While's edge into its body. */
    record Edge(String from, String port, String to) {}

    static final String BODY = "body";

    final Map<String, AbNode> nodes = new LinkedHashMap<>();
    /** Body node id → the While it belongs to (the innermost). */
    final Map<String, String> loopOf = new LinkedHashMap<>();
    final List<Edge> edges = new ArrayList<>();
    final List<String> duplicateIds = new ArrayList<>();
    final String start;
    private Map<String, Set<String>> dominators;
    private Set<String> reachable;

    AbGraph(JsonNode workflow) {
        add(workflow.path("nodes"), workflow.path("edges"), null);
        this.start = workflow.path("start_node_id").asText(nodes.values().stream()
                .filter(n -> n instanceof AbNode.Start).map(AbNode::id).findFirst().orElse(""));
    }

    private void add(JsonNode nodeList, JsonNode edgeList, String loop) {
        for (JsonNode json : nodeList) {
            AbNode n = AbNode.read(json);
            if (nodes.putIfAbsent(n.id(), n) != null) {
                duplicateIds.add(n.id());
                continue;
            }
            if (loop != null) loopOf.put(n.id(), loop);
            if (n instanceof AbNode.While w) {
                JsonNode body = w.config().path("body");
                add(body.path("nodes"), body.path("edges"), w.id());
                if (w.bodyStart() != null) edges.add(new Edge(w.id(), BODY, w.bodyStart()));
            }
        }
        for (JsonNode e : edgeList) {
            edges.add(new Edge(e.path("source_node_id").asText(""), e.path("source_port_id").asText("out"),
                    e.path("target_node_id").asText("")));
        }
    }

    List<Edge> out(String id) {
        return edges.stream().filter(e -> e.from().equals(id)).toList();
    }

    List<String> predecessors(String id) {
        return edges.stream().filter(e -> e.to().equals(id) && nodes.containsKey(e.from())).map(Edge::from).toList();
    }

    Set<String> reachable() {
        if (reachable == null) {
            reachable = new LinkedHashSet<>();
            var queue = new ArrayDeque<String>();
            if (nodes.containsKey(start)) queue.add(start);
            while (!queue.isEmpty()) {
                String id = queue.poll();
                if (!reachable.add(id)) continue;
                for (Edge e : out(id)) if (nodes.containsKey(e.to())) queue.add(e.to());
            }
        }
        return reachable;
    }

    /**
     * {@return the nodes whose output Agent Builder's {@code input} can be at {@code id}: the nearest node before it
     * on each path that does not just hand its input on (If/else, Set state, User approval and While do)}
     */
    Set<String> inputProducers(String id) {
        Set<String> out = new LinkedHashSet<>();
        collectProducers(id, out, new HashSet<>());
        return out;
    }

    private void collectProducers(String id, Set<String> out, Set<String> seen) {
        for (String p : predecessors(id)) {
            if (!seen.add(p)) continue;
            if (nodes.get(p).passesInputThrough()) collectProducers(p, out, seen);
            else out.add(p);
        }
    }

    /** {@return the nodes that run before {@code id} on every path from start, nearest first} */
    List<String> dominatorsNearestFirst(String id) {
        Set<String> dom = dominators().getOrDefault(id, Set.of());
        List<String> out = new ArrayList<>(dom);
        out.remove(id);
        // Each dominator's own set is a strict subset of the next one's, so size orders them along the path.
        out.sort((a, b) -> dominators().get(b).size() - dominators().get(a).size());
        return out;
    }

    private Map<String, Set<String>> dominators() {
        if (dominators != null) return dominators;
        Set<String> all = reachable();
        dominators = new LinkedHashMap<>();
        for (String n : all) dominators.put(n, n.equals(start) ? Set.of(start) : new LinkedHashSet<>(all));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String n : all) {
                if (n.equals(start)) continue;
                Set<String> next = null;
                for (String p : predecessors(n)) {
                    if (!all.contains(p)) continue;
                    if (next == null) next = new LinkedHashSet<>(dominators.get(p));
                    else next.retainAll(dominators.get(p));
                }
                if (next == null) next = new LinkedHashSet<>();
                next.add(n);
                if (!next.equals(dominators.get(n))) {
                    dominators.put(n, next);
                    changed = true;
                }
            }
        }
        return dominators;
    }

    /** {@return every node that runs before {@code id} on some path} */
    Set<String> ancestors(String id) {
        Set<String> out = new LinkedHashSet<>();
        var queue = new ArrayDeque<>(predecessors(id));
        while (!queue.isEmpty()) {
            String p = queue.poll();
            if (out.add(p)) queue.addAll(predecessors(p));
        }
        return out;
    }
}
