package dev.parley.workflow.validate;

import dev.parley.workflow.Edge;
import dev.parley.workflow.Node;
import dev.parley.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graph facts the rules need: reachability, dominators ("upstream on every path"), which node's output
 * {@code input} can be, and cycles. Edges with unknown endpoints are left out; the validator reports them.
 */
final class Graph {
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Map<String, List<Edge>> out = new LinkedHashMap<>();
    final Map<String, List<Edge>> in = new LinkedHashMap<>();
    final Node start;
    final Set<String> reachable;
    private final Map<String, Set<String>> dominators = new LinkedHashMap<>();
    private final Map<String, Set<String>> producers = new LinkedHashMap<>();

    Graph(Workflow wf) {
        for (Node n : wf.nodes()) {
            nodes.putIfAbsent(n.id(), n);
            out.put(n.id(), new ArrayList<>());
            in.put(n.id(), new ArrayList<>());
        }
        for (Edge e : wf.edges()) {
            if (nodes.containsKey(e.from()) && nodes.containsKey(e.to())) {
                out.get(e.from()).add(e);
                in.get(e.to()).add(e);
            }
        }
        List<Node> starts = wf.nodes().stream().filter(n -> n instanceof Node.Start).toList();
        start = starts.size() == 1 ? starts.get(0) : null;
        reachable = start == null ? Set.of() : forward(start.id(), null);
        if (start != null) {
            computeDominators();
            computeProducers();
        }
    }

    /** {@return nodes reachable from {@code from} (inclusive), never entering {@code avoid}} */
    Set<String> forward(String from, String avoid) {
        Set<String> seen = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        queue.add(from);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (id.equals(avoid) || !seen.add(id)) continue;
            for (Edge e : out.get(id)) queue.add(e.to());
        }
        return seen;
    }

    /** {@return nodes that can reach {@code to} (exclusive), walking edges backwards} */
    Set<String> ancestors(String to) {
        Set<String> seen = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        in.get(to).forEach(e -> queue.add(e.from()));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (!seen.add(id)) continue;
            for (Edge e : in.get(id)) queue.add(e.from());
        }
        seen.remove(to);
        return seen;
    }

    /** {@return the nodes upstream of {@code id} on every path from start, nearest last; empty if unreachable} */
    Set<String> upstreamOnEveryPath(String id) {
        Set<String> d = dominators.get(id);
        if (d == null) return Set.of();
        Set<String> result = new LinkedHashSet<>(d);
        result.remove(id);
        return result;
    }

    /**
     * {@return which nodes' outputs {@code input} can be at {@code id}: the nearest output-producing node before
     * it on each path (control nodes pass their input through)}
     */
    Set<String> inputProducers(String id) {
        Set<String> result = new LinkedHashSet<>();
        for (Edge e : in.get(id)) {
            if (reachable.contains(e.from())) result.addAll(producers.getOrDefault(e.from(), Set.of()));
        }
        return result;
    }

    /** {@return a path from start to {@code to} that does not pass through {@code avoid}, or an empty list} */
    List<String> pathAvoiding(String to, String avoid) {
        Map<String, String> parent = new LinkedHashMap<>();
        var queue = new ArrayDeque<String>();
        queue.add(start.id());
        parent.put(start.id(), null);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (id.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String at = to; at != null; at = parent.get(at)) path.add(0, at);
                return path;
            }
            for (Edge e : out.get(id)) {
                if (!e.to().equals(avoid) && !parent.containsKey(e.to())) {
                    parent.put(e.to(), id);
                    queue.add(e.to());
                }
            }
        }
        return List.of();
    }

    /**
     * A back edge {@code u → w} is the one legal way to close a cycle: {@code w} is a while node, the edge is not
     * one of its own outputs, and {@code u} lies in its body (reached through {@code body}, and only through {@code w}).
     */
    boolean isLoopBackEdge(Edge e) {
        if (!(nodes.get(e.to()) instanceof Node.While) || e.from().equals(e.to())) return false;
        Set<String> body = loopBody(e.to());
        return body.contains(e.from()) && upstreamOnEveryPath(e.from()).contains(e.to());
    }

    /** {@return the nodes reachable from a while node's body edge without passing through the while node again} */
    Set<String> loopBody(String whileId) {
        Set<String> body = new LinkedHashSet<>();
        for (Edge e : out.get(whileId)) {
            if ("body".equals(e.branch())) body.addAll(forward(e.to(), whileId));
        }
        return body;
    }

    /** {@return each cycle that does not close through a while loop's back edge, as a list of node ids} */
    List<List<String>> illegalCycles() {
        List<List<String>> cycles = new ArrayList<>();
        Set<Set<String>> seenSets = new HashSet<>();
        Map<String, Integer> color = new LinkedHashMap<>();
        for (String id : nodes.keySet()) {
            if (!color.containsKey(id)) dfs(id, color, new ArrayList<>(), cycles, seenSets);
        }
        return cycles;
    }

    private void dfs(String id, Map<String, Integer> color, List<String> stack, List<List<String>> cycles,
                     Set<Set<String>> seenSets) {
        color.put(id, 1);
        stack.add(id);
        for (Edge e : out.get(id)) {
            if (isLoopBackEdge(e)) continue;
            Integer c = color.get(e.to());
            if (c == null) {
                dfs(e.to(), color, stack, cycles, seenSets);
            } else if (c == 1) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(e.to()), stack.size()));
                if (seenSets.add(new HashSet<>(cycle))) {
                    cycle.add(e.to());
                    cycles.add(cycle);
                }
            }
        }
        stack.remove(stack.size() - 1);
        color.put(id, 2);
    }

    /** {@return nodes from which some end node can be reached} */
    Set<String> canReachEnd() {
        Set<String> result = new LinkedHashSet<>();
        for (Node n : nodes.values()) {
            if (n instanceof Node.End) {
                result.add(n.id());
                result.addAll(ancestors(n.id()));
            }
        }
        return result;
    }

    // Iterative data-flow: dom(n) = {n} ∪ ⋂ dom(p) over reachable predecessors p. Converges for any graph,
    // loops included, and the graphs here are small.
    private void computeDominators() {
        for (String id : reachable) dominators.put(id, new LinkedHashSet<>(reachable));
        dominators.put(start.id(), new LinkedHashSet<>(Set.of(start.id())));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String id : reachable) {
                if (id.equals(start.id())) continue;
                Set<String> meet = null;
                for (Edge e : in.get(id)) {
                    if (!reachable.contains(e.from())) continue;
                    if (meet == null) meet = new LinkedHashSet<>(dominators.get(e.from()));
                    else meet.retainAll(dominators.get(e.from()));
                }
                Set<String> next = new LinkedHashSet<>();
                // Keep reachable-order so "nearest last" holds for messages.
                for (String r : reachable) if (meet != null && meet.contains(r)) next.add(r);
                next.add(id);
                if (!next.equals(dominators.get(id))) {
                    dominators.put(id, next);
                    changed = true;
                }
            }
        }
    }

    private void computeProducers() {
        for (String id : reachable) producers.put(id, new LinkedHashSet<>());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String id : reachable) {
                Set<String> next = nodes.get(id).producesOutput() ? Set.of(id) : inputProducers(id);
                if (producers.get(id).addAll(next)) changed = true;
            }
        }
    }
}
