package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeps the examples in docs/workflows.md publishable and its node table complete. */
class DocsExampleTest {
    private static String doc() throws IOException {
        Path doc = Path.of("..", "docs", "workflows.md");
        assumeTrue(Files.exists(doc), "run from the workflow module");
        return Files.readString(doc);
    }

    /** {@return the first JSON block after {@code from}} */
    private static String jsonBlock(String text, int from) {
        int start = text.indexOf("```json\n", from) + "```json\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    @Test
    void docsExampleValidates() throws IOException {
        ValidationReport report = WorkflowValidator.validate(WorkflowParser.parse(jsonBlock(doc(), 0)));
        assertThat(report.errors()).as(report.toString()).isEmpty();
    }

    @Test
    void toolNodesExamplePublishesWithAProviderThatCallsNoFunctions() throws IOException {
        String text = doc();
        int at = text.indexOf("## Example: search, then call an MCP tool");
        assertThat(at).as("the tool nodes example").isNotNegative();
        var server = new TestDeployment(TestDeployment.policy(), Set.of("support"), Map.of("CRM_TOKEN", "x"),
                TestProvider.nothing());
        ValidationReport report = WorkflowValidator.validate(WorkflowParser.parse(jsonBlock(text, at)), server);
        assertThat(report.errors()).as(report.toString()).isEmpty();
    }

    @Test
    void nodeTableListsEveryType() throws IOException {
        String text = doc();
        for (String type : Node.TYPES) assertThat(text).as(type).contains("\n| `" + type + "` |");
    }
}
