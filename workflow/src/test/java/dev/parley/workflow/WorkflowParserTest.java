package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {

    @Test
    void parsesTheSeedWorkflow() {
        Workflow wf = WorkflowParser.fromResource("workflows/seed-agency.json");
        assertThat(wf.id()).isEqualTo("wf_seed_agency");
        assertThat(wf.node("project_inquiry_classification")).get().isInstanceOf(Node.Classifier.class);
        var classifier = (Node.Classifier) wf.node("project_inquiry_classification").orElseThrow();
        assertThat(classifier.categoryNames()).containsExactly("general_inquiry", "website_build",
                "web_app_or_platform", "single_purpose_tool", "automation_or_integration", "maintenance_or_consulting");
        var end = (Node.End) wf.node("website_inquiry_end").orElseThrow();
        // Agent Builder keeps the mapping in the schema default; the parser lifts it into values.
        assertThat(end.values()).containsEntry("message", "__VAR__website_inquiry_agent.output_text__ENDVAR__");
        assertThat(wf.edges()).contains(new Edge("route_inquiry", "general_inquiry_agent", "else"));
    }

    @Test
    void unknownNodeTypeListsTheValidOnes() {
        assertThatThrownBy(() -> WorkflowParser.parse("""
                {"id": "wf_x", "name": "x", "nodes": [{"id": "a", "type": "llm"}], "edges": []}"""))
                .isInstanceOf(WorkflowFormatException.class)
                .hasMessageContaining("node `a`, field `type`: unknown node type `llm`")
                .hasMessageContaining("use one of start, agent, classifier, if_else, end, transform, set_state, while, "
                        + "user_approval, guardrails, file_search, mcp, note");
    }

    @Test
    void missingFieldsNameTheNodeAndField() {
        var e = (WorkflowFormatException) org.assertj.core.api.Assertions.catchThrowable(() -> WorkflowParser.parse("""
                {"id": "x", "name": "x", "nodes": [
                  {"id": "a", "type": "agent"},
                  {"id": "w", "type": "while"},
                  {"type": "end"}
                ], "edges": [{"from": "a"}]}"""));
        List<String> texts = e.problems().stream().map(Problem::toString).toList();
        assertThat(texts).contains(
                "workflow, field `id`: workflow id `x` must start with `wf_`\n  Fix: rename it to `wf_x`.",
                "node `w`, field `condition`: required field `condition` is missing\n  Fix: add `\"condition\"` to node `w`.",
                "workflow, field `edges[0].to`: required field `to` is missing\n  Fix: add `\"to\"`.");
        assertThat(texts).anyMatch(t -> t.startsWith("workflow, field `nodes[2].id`: node #2 has no `id`"));
        // An agent without a model uses the provider's default model.
        assertThat(texts).noneMatch(t -> t.contains("`model`"));
    }

    @Test
    void badJsonSaysWhere() {
        assertThatThrownBy(() -> WorkflowParser.parse("{\"id\": \"wf_x\",\n \"name\": }"))
                .isInstanceOf(WorkflowFormatException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("line 2");
    }
}
