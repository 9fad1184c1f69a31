package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.workflow.validate.WorkflowValidator;
import org.junit.jupiter.api.Test;

class SeedWorkflowTest {
    @Test
    void seedValidatesWithoutErrorsOrWarnings() {
        Workflow wf = WorkflowParser.fromResource("workflows/seed-agency.json");
        CompiledWorkflow compiled = WorkflowValidator.compile(wf);
        assertThat(compiled.report().errors()).as(compiled.report().toString()).isEmpty();
        assertThat(compiled.report().warnings()).as(compiled.report().toString()).isEmpty();
        // The runtime gets checked ASTs for every condition, template and End value.
        assertThat(compiled.expression("route_inquiry", "conditions[0].expression")).isPresent();
        assertThat(compiled.expression("website_inquiry_end", "values.message")).get()
                .satisfies(ast -> assertThat(ast.getResultType().name()).isEqualTo("string"));
        assertThat(compiled.template("website_inquiry_agent", "user_prompt")).get()
                .satisfies(t -> assertThat(t.segments()).singleElement()
                        .satisfies(s -> assertThat(s.source()).isEqualTo("workflow.input_as_text")));
    }
}
