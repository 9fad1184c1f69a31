package dev.parley.workflow;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow document: a graph of {@link Node}s joined by {@link Edge}s, plus declared state.
 *
 * @param id      {@code wf_…}
 * @param version version number when the document came from the store; null for drafts
 */
public record Workflow(String id, String name, String description, Integer version, List<StateVariable> state,
                       List<Node> nodes, List<Edge> edges) {
    public Workflow {
        state = List.copyOf(state);
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public Optional<Node> node(String nodeId) {
        return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst();
    }

    public Optional<StateVariable> stateVariable(String name) {
        return state.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** {@return the state variables by name, in declaration order} */
    public Map<String, StateVariable> stateByName() {
        var map = new java.util.LinkedHashMap<String, StateVariable>();
        state.forEach(v -> map.put(v.name(), v));
        return map;
    }
}
