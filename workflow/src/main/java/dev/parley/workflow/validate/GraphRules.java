package dev.parley.workflow.validate;

import static dev.parley.workflow.validate.ExpressionChecker.list;

import dev.parley.workflow.Edge;
import dev.parley.workflow.Node;
import dev.parley.workflow.Problem;
import dev.parley.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules about the shape of the graph: ids, edges, branches, reachability, cycles and ends. */
final class GraphRules {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    // CEL reserves these; a node with such an id could never be referenced.
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");

    private final Workflow wf;
    private final Graph graph;
    private final Problems problems;

    GraphRules(Workflow wf, Graph graph, Problems problems) {
        this.wf = wf;
        this.graph = graph;
        this.problems = problems;
    }

    void check() {
        ids();
        edgeEndpoints();
        starts();
        for (Node n : graph.nodes.values()) branches(n);
        if (graph.start == null) return;
        reachability();
        cycles();
        loops();
        ends();
    }

    private void ids() {
        Set<String> seen = new HashSet<>();
        for (Node n : wf.nodes()) {
            if (!seen.add(n.id())) {
                error(n.id(), "id", "the id `" + n.id() + "` is used by more than one node",
                        "give each node its own id, e.g. `" + n.id() + "_2`.");
            }
            if (!IDENT.matcher(n.id()).matches()) {
                String suggestion = n.id().replaceAll("[^A-Za-z0-9_]", "_").replaceAll("^([0-9])", "_$1");
                error(n.id(), "id", "`" + n.id() + "` cannot be referenced in expressions: ids must be letters, digits "
                        + "and `_`, not starting with a digit", "rename it to `" + suggestion + "`.");
            } else if (RESERVED.contains(n.id()) || TypeEnvironment.NAMESPACES.contains(n.id())) {
                error(n.id(), "id", "`" + n.id() + "` is a reserved name in expressions",
                        "rename it, e.g. `" + n.id() + "_node`.");
            }
        }
    }

    private void edgeEndpoints() {
        for (int i = 0; i < wf.edges().size(); i++) {
            Edge e = wf.edges().get(i);
            for (String end : List.of(e.from(), e.to())) {
                if (graph.nodes.containsKey(end)) continue;
                String side = end.equals(e.from()) ? "from" : "to";
                Optional<String> close = EditDistance.closest(end, graph.nodes.keySet());
                error(null, "edges[" + i + "]." + side, "edge `" + e + "` " + (side.equals("from") ? "starts" : "ends")
                                + " at `" + end + "`, which is not a node" + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                        close.map(c -> "change `" + side + "` to `" + c + "`.")
                                .orElse("use one of the node ids: " + list(graph.nodes.keySet()) + "."));
            }
        }
    }

    private void starts() {
        List<Node> starts = wf.nodes().stream().filter(n -> n instanceof Node.Start).toList();
        if (starts.isEmpty()) {
            error(null, "nodes", "the workflow has no start node",
                    "add `{\"id\": \"start\", \"type\": \"start\"}` and connect it to the first step.");
        }
        for (Node extra : starts.stream().skip(1).toList()) {
            error(extra.id(), "type", "the workflow has more than one start node (`" + starts.get(0).id() + "` and `"
                    + extra.id() + "`)", "keep one start node and connect the others' successors to it.");
        }
        for (Node s : starts) {
            for (Edge e : graph.in.get(s.id())) {
                error(s.id(), "edges", "edge `" + e + "` leads into the start node; nothing may run before start",
                        "remove the edge, or point it at the node after start.");
            }
        }
    }

    private void branches(Node n) {
        List<Edge> outs = graph.out.get(n.id());
        if (n instanceof Node.Note) {
            if (!outs.isEmpty() || !graph.in.get(n.id()).isEmpty()) {
                error(n.id(), "edges", "notes are annotations and cannot be connected", "remove the note's edges.");
            }
            return;
        }
        if (n instanceof Node.End) {
            for (Edge e : outs) {
                error(n.id(), "edges", "edge `" + e + "` leaves an end node; the run finishes at an end node",
                        "remove the edge, or connect the previous node to `" + e.to() + "` instead.");
            }
            return;
        }
        Set<String> handles = n.branches();
        if (handles.isEmpty()) {
            for (Edge e : outs) {
                if (e.branch() != null) {
                    error(n.id(), "edges", "edge `" + e + "` names branch `" + e.branch() + "`, but a " + n.type()
                            + " node has a single output", "remove `branch` from the edge.");
                }
            }
            if (outs.size() > 1) {
                error(n.id(), "edges", "`" + n.id() + "` has " + outs.size() + " outgoing edges ("
                                + String.join(", ", outs.stream().map(e -> "`" + e.to() + "`").toList())
                                + "); parallel branches are not supported",
                        "keep one edge, or add an if_else node to choose between the targets.");
            }
            return;
        }
        Map<String, List<Edge>> byBranch = new LinkedHashMap<>();
        for (Edge e : outs) {
            if (e.branch() == null || !handles.contains(e.branch())) {
                Optional<String> close = e.branch() == null ? Optional.empty() : EditDistance.closest(e.branch(), handles);
                error(n.id(), "edges", "edge `" + e + "` " + (e.branch() == null ? "has no `branch`"
                                : "names branch `" + e.branch() + "`, which " + n.type() + " `" + n.id() + "` does not have")
                                + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                        "set `branch` to one of " + list(handles) + ".");
                continue;
            }
            byBranch.computeIfAbsent(e.branch(), b -> new ArrayList<>()).add(e);
        }
        byBranch.forEach((b, es) -> {
            if (es.size() > 1) {
                error(n.id(), "edges", "branch `" + b + "` has " + es.size() + " edges; each branch leads to one node",
                        "keep one edge for `" + b + "` and chain the other nodes after it.");
            }
        });
        for (String h : handles) {
            if (byBranch.containsKey(h)) continue;
            if (n instanceof Node.IfElse && h.equals("else")) {
                problems.warning(Problem.at(n.id(), "edges", "the if_else has no `else` edge: when no condition "
                        + "matches, the run stops without an answer", "add an edge with `\"branch\": \"else\"`, "
                        + "e.g. to a general agent."));
                continue;
            }
            String field = n instanceof Node.IfElse ie ? conditionField(ie, h) : "edges";
            error(n.id(), field, "branch `" + h + "` of " + n.type() + " `" + n.id() + "` has no edge, so the run "
                    + "would stop there", "add an edge `{\"from\": \"" + n.id() + "\", \"branch\": \"" + h
                    + "\", \"to\": …}`" + (n instanceof Node.IfElse ? ", or delete the condition." : "."));
        }
    }

    private static String conditionField(Node.IfElse n, String id) {
        for (int i = 0; i < n.conditions().size(); i++) {
            if (n.conditions().get(i).id().equals(id)) return "conditions[" + i + "]";
        }
        return "edges";
    }

    private void reachability() {
        for (Node n : graph.nodes.values()) {
            if (n instanceof Node.Note || graph.reachable.contains(n.id())) continue;
            error(n.id(), null, "`" + n.id() + "` is unreachable: no path from `" + graph.start.id() + "` leads to it",
                    "connect it with an edge from an earlier node, or delete it.");
        }
    }

    private void cycles() {
        for (List<String> cycle : graph.illegalCycles()) {
            String first = cycle.get(0);
            error(first, "edges", "the cycle " + String.join(" → ", cycle.stream().map(c -> "`" + c + "`").toList())
                            + " is not inside a while loop, so it could run forever",
                    "put the repeated steps in the `body` of a while node (with max_iterations) and close the loop "
                            + "with an edge back to the while node.");
        }
    }

    private void loops() {
        for (Node n : graph.nodes.values()) {
            if (!(n instanceof Node.While w)) continue;
            if (w.maxIterations() == null || w.maxIterations() < 1) {
                error(w.id(), "max_iterations", w.maxIterations() == null
                                ? "a while node must set `max_iterations`, so a condition that never turns false cannot loop forever"
                                : "`max_iterations` is " + w.maxIterations() + "; it must be at least 1",
                        "set `\"max_iterations\": 10` (or the most rounds this loop should ever need).");
            }
            boolean hasBody = graph.out.get(w.id()).stream().anyMatch(e -> "body".equals(e.branch()));
            if (hasBody && graph.in.get(w.id()).stream().noneMatch(graph::isLoopBackEdge)) {
                error(w.id(), "edges", "the body of `" + w.id() + "` never leads back to it, so it runs at most once",
                        "add an edge from the body's last node back to `" + w.id() + "`.");
            }
        }
    }

    private void ends() {
        Set<String> toEnd = graph.canReachEnd();
        if (!toEnd.contains(graph.start.id())) {
            error(graph.start.id(), null, "no path from `" + graph.start.id() + "` reaches an end node, so the workflow "
                    + "never answers", "add an end node with a `message` property and connect the last step to it.");
        }
        for (String id : graph.reachable) {
            Node n = graph.nodes.get(id);
            if (n instanceof Node.End || !graph.out.get(id).isEmpty()) continue;
            error(id, "edges", "`" + id + "` has no outgoing edge: the run would stop there without reaching an end node",
                    "connect `" + id + "` to the next step or to an end node.");
        }
    }

    private void error(String nodeId, String field, String description, String fix) {
        problems.error(Problem.at(nodeId, field, description, fix));
    }
}
