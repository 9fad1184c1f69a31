package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.workflow.expr.Cel;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked ASTs are what a runtime evaluates: plain maps for node outputs, no re-parsing. */
class CompiledWorkflowTest {
    @Test
    void checkedConditionEvaluatesAgainstNodeOutputs() throws Exception {
        CompiledWorkflow compiled = WorkflowValidator.compile(WorkflowParser.fromResource("workflows/seed-agency.json"));
        var ast = compiled.expression("route_inquiry", "conditions[0].expression").orElseThrow();
        var program = Cel.runtime().createProgram(ast);
        Map<String, Object> classifier = Map.of("output_text", "{…}",
                "output_parsed", Map.of("category", "website_build", "confidence", 0.9, "reason", "asks for a site"));
        Map<String, Object> vars = Map.of("project_inquiry_classification", classifier, "input", classifier,
                "workflow", Map.of("input_as_text", "We need a website"), "state", Map.of(),
                "sys", Map.of("user_id", "u", "thread_id", "t", "locale", "en"));
        assertThat(program.eval(vars)).isEqualTo(true);
        Map<String, Object> other = Map.of("output_text", "{…}",
                "output_parsed", Map.of("category", "general_inquiry", "confidence", 0.4, "reason", "pricing"));
        assertThat(program.eval(Map.of("project_inquiry_classification", other, "input", other,
                "workflow", Map.of("input_as_text", "?"), "state", Map.of(), "sys", Map.of()))).isEqualTo(false);
    }
}
