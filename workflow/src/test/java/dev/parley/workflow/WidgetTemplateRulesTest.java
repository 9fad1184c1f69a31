package dev.parley.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.workflow.expr.WidgetTemplates;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An agent's widget output: its bindings checked against the output schema at publish, and filled at run time. */
class WidgetTemplateRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String example() throws IOException {
        return Files.readString(Path.of("..", "docs", "examples", "booking", "book-intro-call.json"));
    }

    @Test
    void theBookingExamplePublishes() throws IOException {
        ValidationReport report = WorkflowValidator.validate(WorkflowParser.parse(example()));
        assertThat(report.errors()).as(report.toString()).isEmpty();
    }

    @Test
    void everyUnknownBindingIsReportedWithWhereItIsAndWhatExists() throws IOException {
        String broken = example().replace("{{ heading }}", "{{ headline }}").replace("{{ slots }}", "{{ slots[0].colour }}");
        ValidationReport report = WorkflowValidator.validate(WorkflowParser.parse(broken));
        assertThat(report.errors()).hasSize(2);
        assertThat(report.errors().get(0).field()).isEqualTo("widget.children[0].children[0].value");
        assertThat(report.errors().get(0).message()).contains("`{{ headline }}`").contains("no `headline`");
        assertThat(report.errors().get(0).fix()).contains("`heading`").contains("`intro`").contains("`slots`");
        assertThat(report.errors().get(1).message()).contains("no `colour`");
        assertThat(report.errors().get(1).fix()).contains("`value`").contains("`label`");
    }

    @Test
    void aWidgetNeedsAStructuredOutputAndAWidgetRoot() throws IOException {
        String text = example().replace("\"output_format\": \"json_schema\"", "\"output_format\": \"text\"");
        assertThatThrownBy(() -> WorkflowParser.parse(text)).isInstanceOfSatisfying(WorkflowFormatException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> {
                    assertThat(p.field()).isEqualTo("widget");
                    assertThat(p.message()).contains("`output_format` is not `json_schema`");
                }));
        String notATree = example().replaceFirst("\"widget\": \\{", "\"widget\": \"Card\", \"unused\": {");
        assertThatThrownBy(() -> WorkflowParser.parse(notATree)).isInstanceOfSatisfying(WorkflowFormatException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).contains("must be a widget tree")));
        String notARoot = example().replaceFirst("\"type\": \"Card\"", "\"type\": \"Text\"");
        assertThat(WorkflowValidator.validate(WorkflowParser.parse(notARoot)).errors()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo("widget.type");
            assertThat(p.fix()).contains("Card");
        });
    }

    @Test
    void fillingKeepsJsonTypesForWholeBindingsAndTextInsideSentences() throws IOException {
        JsonNode template = JSON.readTree("""
                {"type": "Card", "children": [{"type": "Text", "value": "Hello {{ who.name }}, {{ n }} slots"},
                  {"type": "Select", "name": "t", "options": "{{ slots }}"}, {"type": "Text", "value": "{{ missing }}"}]}""");
        JsonNode output = JSON.readTree("{\"who\": {\"name\": \"Ada\"}, \"n\": 2, \"slots\": [{\"value\": \"9\", \"label\": \"9:00\"}]}");
        JsonNode filled = WidgetTemplates.fill(template, output);
        assertThat(filled.at("/children/0/value").asText()).isEqualTo("Hello Ada, 2 slots");
        assertThat(filled.at("/children/1/options").isArray()).isTrue();
        assertThat(filled.at("/children/1/options/0/label").asText()).isEqualTo("9:00");
        assertThat(filled.at("/children/2/value").isNull()).isTrue();
        assertThat(template.at("/children/1/options").asText()).as("the template is left as it was").isEqualTo("{{ slots }}");
        assertThat(WidgetTemplates.hasServerAction(filled)).isFalse();
    }

    @Test
    void aSentFormIsLockedShowingWhatWasSent() throws IOException {
        JsonNode form = JSON.readTree("""
                {"type": "Card", "children": [{"type": "Form", "onSubmitAction": {"type": "go"}, "children": [
                  {"type": "Input", "name": "email"}, {"type": "Checkbox", "name": "news"}, {"type": "Button", "submit": true}]}]}""");
        assertThat(WidgetTemplates.hasServerAction(form)).isTrue();
        JsonNode locked = WidgetTemplates.lock(form, JSON.readTree("{\"email\": \"ada@example.com\", \"news\": true}"));
        assertThat(WidgetTemplates.hasServerAction(locked)).isFalse();
        assertThat(locked.at("/children/0/children/0/defaultValue").asText()).isEqualTo("ada@example.com");
        assertThat(locked.at("/children/0/children/0/disabled").asBoolean()).isTrue();
        assertThat(locked.at("/children/0/children/1/defaultChecked").asBoolean()).isTrue();
        assertThat(locked.at("/children/0/children/2/disabled").asBoolean()).isTrue();
    }
}
