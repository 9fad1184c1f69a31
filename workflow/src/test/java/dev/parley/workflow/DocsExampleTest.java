package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the example in docs/workflows.md publishable. */
class DocsExampleTest {
    @Test
    void docsExampleValidates() throws IOException {
        Path doc = Path.of("..", "docs", "workflows.md");
        assumeTrue(Files.exists(doc), "run from the workflow module");
        String text = Files.readString(doc);
        int start = text.indexOf("```json\n") + "```json\n".length();
        String json = text.substring(start, text.indexOf("```", start));
        ValidationReport report = WorkflowValidator.validate(WorkflowParser.parse(json));
        assertThat(report.errors()).as(report.toString()).isEmpty();
    }
}
