package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Shape rules: edges, start, reachability, cycles, loops, ends and branch handles. */
class GraphRulesTest {

    @Test
    void edgeToUnknownNode() {
        ObjectNode wf = simple();
        edges(wf).removeAll();
        edges(wf).add(edge("start", "assistant", null)).add(edge("assistant", "dnoe", null));
        ValidationReport r = validate(wf);
        assertThat(r.errors()).extracting(Problem::toString).contains(
                "workflow, field `edges[1].to`: edge `assistant → dnoe` ends at `dnoe`, which is not a node; did you "
                        + "mean `done`?\n  Fix: change `to` to `done`.");
    }

    @Test
    void missingStart() {
        ObjectNode wf = simple();
        nodes(wf).remove(0);
        removeEdges(wf, "start", null);
        Problem p = onlyError(wf);
        assertThat(p.toString()).isEqualTo("workflow, field `nodes`: the workflow has no start node\n  Fix: add "
                + "`{\"id\": \"start\", \"type\": \"start\"}` and connect it to the first step.");
    }

    @Test
    void twoStarts() {
        ObjectNode wf = simple();
        nodes(wf).add(json("{\"id\": \"start2\", \"type\": \"start\"}"));
        edges(wf).add(edge("start2", "assistant", null));
        assertThat(validate(wf).errors()).extracting(Problem::message)
                .contains("node `start2`, field `type`: the workflow has more than one start node (`start` and `start2`)");
    }

    @Test
    void unreachableNode() {
        ObjectNode wf = simple();
        nodes(wf).add(json("{\"id\": \"orphan\", \"type\": \"agent\", \"model\": \"m\"}"));
        edges(wf).add(edge("orphan", "done", null));
        Problem p = onlyError(wf);
        assertThat(p.toString()).isEqualTo("node `orphan`: `orphan` is unreachable: no path from `start` leads to it"
                + "\n  Fix: connect it with an edge from an earlier node, or delete it.");
    }

    @Test
    void cycleOutsideWhile() {
        ObjectNode wf = simple();
        nodes(wf).add(json("""
                {"id": "check", "type": "if_else", "conditions": [{"id": "again", "expression": "state.attempts < 3"}]}"""));
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("assistant", "check", null)).add(edge("check", "assistant", "again"))
                .add(edge("check", "done", "else"));
        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("assistant");
        assertThat(p.message()).isEqualTo("node `assistant`, field `edges`: the cycle `assistant` → `check` → `assistant` "
                + "is not inside a while loop, so it could run forever");
        assertThat(p.fix()).startsWith("put the repeated steps in the `body` of a while node (with max_iterations)");
    }

    private static ObjectNode loop(Integer maxIterations) {
        ObjectNode wf = simple();
        ObjectNode w = json("{\"id\": \"retry\", \"type\": \"while\", \"condition\": \"state.attempts < 3\"}");
        if (maxIterations != null) w.put("max_iterations", maxIterations);
        nodes(wf).add(w);
        nodes(wf).add(json("""
                {"id": "count", "type": "set_state", "assignments": [{"variable": "attempts", "expression": "state.attempts + 1"}]}"""));
        removeEdges(wf, "start", null);
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("start", "retry", null)).add(edge("retry", "assistant", "body"))
                .add(edge("assistant", "count", null)).add(edge("count", "retry", null))
                .add(edge("retry", "done", "exit"));
        // assistant runs only inside the body, so the End must read it through state or not at all.
        ((ObjectNode) node(wf, "done").get("values")).put("message", "\"Tried \" + string(state.attempts) + \" times\"");
        return wf;
    }

    @Test
    void whileLoopIsTheLegalCycle() {
        ValidationReport r = validate(loop(3));
        assertThat(r.errors()).as(r.toString()).isEmpty();
    }

    @Test
    void whileWithoutMaxIterations() {
        Problem p = onlyError(loop(null));
        assertThat(p.toString()).isEqualTo("node `retry`, field `max_iterations`: a while node must set "
                + "`max_iterations`, so a condition that never turns false cannot loop forever\n  Fix: set "
                + "`\"max_iterations\": 10` (or the most rounds this loop should ever need).");
    }

    @Test
    void loopBodyNodeIsNotUpstreamOfTheExit() {
        ObjectNode wf = loop(3);
        ((ObjectNode) node(wf, "done").get("values")).put("message", "assistant.output_text");
        Problem p = onlyError(wf);
        assertThat(p.message()).contains("`assistant` is upstream of `done` on only some paths: on the path start → "
                + "retry → done it does not run");
    }

    @Test
    void noPathToEnd() {
        ObjectNode wf = simple();
        removeEdges(wf, "assistant", null);
        ValidationReport r = validate(wf);
        assertThat(r.errors()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "node `start`: no path from `start` reaches an end node, so the workflow never answers\n  Fix: add an end "
                        + "node with a `message` property and connect the last step to it.",
                "node `assistant`, field `edges`: `assistant` has no outgoing edge: the run would stop there without "
                        + "reaching an end node\n  Fix: connect `assistant` to the next step or to an end node.",
                "node `done`: `done` is unreachable: no path from `start` leads to it\n  Fix: connect it with an edge from "
                        + "an earlier node, or delete it.");
    }

    @Test
    void ifElseConditionWithoutEdge() {
        ObjectNode wf = seed();
        removeEdges(wf, "route_inquiry", "tool_inquiry_agent");
        ValidationReport r = validate(wf);
        assertThat(r.errors()).extracting(Problem::toString).contains("node `route_inquiry`, field `conditions[2]`: "
                + "branch `single_purpose_tool` of if_else `route_inquiry` has no edge, so the run would stop there\n  Fix: "
                + "add an edge `{\"from\": \"route_inquiry\", \"branch\": \"single_purpose_tool\", \"to\": …}`, or "
                + "delete the condition.");
        // tool_inquiry_agent and its End are now unreachable as well.
        assertThat(r.errors()).extracting(Problem::nodeId).contains("tool_inquiry_agent", "tool_inquiry_end");
    }

    @Test
    void unknownBranchHandle() {
        ObjectNode wf = seed();
        ((ObjectNode) edges(wf).get(2)).put("branch", "website_buld");
        assertThat(validate(wf).errors()).extracting(Problem::message).contains("node `route_inquiry`, field `edges`: "
                + "edge `route_inquiry[website_buld] → website_inquiry_agent` names branch `website_buld`, which if_else "
                + "`route_inquiry` does not have; did you mean `website_build`?");
    }

    @Test
    void ifElseWithoutElseOnlyWarns() {
        ObjectNode wf = seed();
        removeEdges(wf, "route_inquiry", "general_inquiry_agent");
        removeEdges(wf, "general_inquiry_agent", null);
        nodes(wf).removeIf(n -> n.get("id").asText().startsWith("general_inquiry"));
        Problem p = onlyWarning(wf);
        assertThat(p.message()).isEqualTo("node `route_inquiry`, field `edges`: the if_else has no `else` edge: when no "
                + "condition matches, the run stops without an answer");
    }

    @Test
    void parallelEdgesFromASingleOutputNode() {
        ObjectNode wf = simple();
        nodes(wf).add(json("""
                {"id": "done2", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                 "values": {"message": "assistant.output_text"}}"""));
        edges(wf).add(edge("assistant", "done2", null));
        Problem p = onlyError(wf);
        assertThat(p.message()).isEqualTo("node `assistant`, field `edges`: `assistant` has 2 outgoing edges (`done`, "
                + "`done2`); parallel branches are not supported");
    }

    @Test
    void invalidNodeIds() {
        ObjectNode wf = simple();
        node(wf, "assistant").put("id", "my-agent");
        ((ObjectNode) edges(wf).get(0)).put("to", "my-agent");
        ((ObjectNode) edges(wf).get(1)).put("from", "my-agent");
        ((ObjectNode) node(wf, "done").get("values")).put("message", "input.output_text");
        Problem p = onlyError(wf);
        assertThat(p.toString()).isEqualTo("node `my-agent`, field `id`: `my-agent` cannot be referenced in expressions: "
                + "ids must be letters, digits and `_`, not starting with a digit\n  Fix: rename it to `my_agent`.");
    }
}
