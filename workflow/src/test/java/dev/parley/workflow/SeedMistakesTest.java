package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The three mistakes from the ChatKit Next.js guide, each refused at publish with a message that says the fix. */
class SeedMistakesTest {

    /**
     * (a) End mapped from {@code input.output_text}. Here the else branch goes straight to an End, so {@code input}
     * there is the classifier's JSON, not an agent's reply.
     */
    @Test
    void endMappedFromInputThatIsNotTheReplyingAgent() {
        ObjectNode wf = seed();
        removeEdges(wf, "general_inquiry_agent", null);
        nodes(wf).removeIf(n -> n.get("id").asText().equals("general_inquiry_agent"));
        removeEdges(wf, "route_inquiry", "general_inquiry_agent");
        edges(wf).add(edge("route_inquiry", "general_inquiry_end", "else"));
        ((ObjectNode) node(wf, "general_inquiry_end").get("schema").get("properties").get("message"))
                .put("default", "__VAR__input.output_text__ENDVAR__");

        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("general_inquiry_end");
        assertThat(p.field()).isEqualTo("values.message");
        assertThat(p.message()).isEqualTo("node `general_inquiry_end`, field `values.message`: `input.output_text`: in an "
                + "End value, `input` is the output of the node that ran just before the End — here "
                + "`project_inquiry_classification` (a classifier, whose output is its JSON verdict), not the agent "
                + "that writes the reply, so the chat would not get the agent's answer");
        assertThat(p.fix()).startsWith("map the replying agent by id: `__VAR__")
                .contains("_agent.output_text__ENDVAR__`");
    }

    /** Input straight from start is the user's own message: echoing it is not an answer. */
    @Test
    void endMappedFromInputRightAfterStart() {
        ObjectNode wf = simple();
        removeEdges(wf, "start", null);
        nodes(wf).removeIf(n -> n.get("id").asText().equals("assistant"));
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("start", "done", null));
        ((ObjectNode) node(wf, "done").get("values")).put("message", "input.output_text");

        Problem p = onlyError(wf);
        assertThat(p.message()).contains("here `start` (the start node, i.e. the user's own message)");
        assertThat(p.fix()).isEqualTo("map the replying agent by id: `my_agent.output_text`, or connect that agent "
                + "directly before this End.");
    }

    /** When only agents can run just before the End, {@code input} is the reply on every path and is accepted. */
    @Test
    void endMappedFromInputThatIsAlwaysAnAgentIsFine() {
        ObjectNode wf = simple();
        ((ObjectNode) node(wf, "done").get("values")).put("message", "input.output_text");
        assertThat(validate(wf).errors()).isEmpty();
    }

    /** (b) The condition compares the classifier's raw JSON text with a category name: never true. */
    @Test
    void conditionOnOutputTextOfStructuredNode() {
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "route_inquiry").get("conditions").get(0))
                .put("expression", "project_inquiry_classification.output_text == \"website_build\"");

        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("route_inquiry");
        assertThat(p.field()).isEqualTo("conditions[0].expression");
        assertThat(p.message()).isEqualTo("node `route_inquiry`, field `conditions[0].expression`: "
                + "`project_inquiry_classification.output_text` is the whole JSON text of `project_inquiry_classification`'s "
                + "structured output (like `{\"category\": …}`), so comparing it with \"website_build\" is never true");
        assertThat(p.fix()).isEqualTo("compare the parsed field: "
                + "`project_inquiry_classification.output_parsed.category == \"website_build\"`.");
    }

    /** (c) A JSON-output agent mapped through output_text: the chat shows the raw JSON ("{"). */
    @Test
    void structuredEndMappedFromOutputText() {
        ObjectNode wf = seed();
        ObjectNode agent = node(wf, "website_inquiry_agent");
        agent.put("output_format", "json_schema");
        agent.set("output_schema", json("""
                {"type": "object", "properties": {"message": {"type": "string"}, "follow_up": {"type": "boolean"}},
                 "required": ["message", "follow_up"], "additionalProperties": false}"""));
        // The End still says __VAR__website_inquiry_agent.output_text__ENDVAR__, as in the guide.

        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("website_inquiry_end");
        assertThat(p.field()).isEqualTo("values.message");
        assertThat(p.message()).contains("`website_inquiry_agent.output_text`: `website_inquiry_agent` outputs "
                + "structured JSON, so `output_text` is its raw JSON text (like `{\"message\": …}`)");
        assertThat(p.fix()).isEqualTo("map `__VAR__website_inquiry_agent.output_parsed.message__ENDVAR__`.");
    }

    /** The guide's `{{ input.message }}` prompt: after the if_else, input is the classifier, which has no message. */
    @Test
    void userPromptInputMessageAfterClassifier() {
        ObjectNode wf = seed();
        node(wf, "website_inquiry_agent").put("user_prompt", "{{ input.message }}");

        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("website_inquiry_agent");
        assertThat(p.field()).isEqualTo("user_prompt");
        assertThat(p.message()).contains("`input.message`: `input` (here the output of `project_inquiry_classification`) "
                + "has no field `message`");
        assertThat(p.fix()).startsWith("to use the user's message write `workflow.input_as_text`");
    }
}
