package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** End mappings against their schema, embedded schemas against the meta-schema, state, and warnings. */
class EndAndSchemaRulesTest {

    private static ObjectNode simpleEnd(String schemaJson, String valuesJson) {
        ObjectNode wf = simple();
        node(wf, "done").set("schema", json(schemaJson));
        node(wf, "done").set("values", json(valuesJson));
        return wf;
    }

    @Test
    void endValueTypeMustMatchSchema() {
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "website_inquiry_end").get("schema").get("properties").get("message"))
                .put("default", "__VAR__project_inquiry_classification.output_parsed.confidence__ENDVAR__");
        Problem p = onlyError(wf);
        assertThat(p.toString()).isEqualTo("node `website_inquiry_end`, field `values.message`: "
                + "`project_inquiry_classification.output_parsed.confidence` is of type double (number) but the schema "
                + "says string\n  Fix: convert it with `string(project_inquiry_classification.output_parsed.confidence)`, "
                + "or map a string field.");
    }

    @Test
    void endNumberPropertyAcceptsANumberAndRefusesAString() {
        String schema = """
                {"type": "object", "properties": {"message": {"type": "string"}, "score": {"type": "number"}}}""";
        assertThat(validate(simpleEnd(schema, "{\"message\": \"assistant.output_text\", \"score\": \"0.5 + 1.0\"}"))
                .errors()).isEmpty();
        Problem p = onlyError(simpleEnd(schema, "{\"message\": \"assistant.output_text\", \"score\": \"assistant.output_text\"}"));
        assertThat(p.message()).isEqualTo("node `done`, field `values.score`: `assistant.output_text` is of type string "
                + "but the schema says number");
        assertThat(p.fix()).startsWith("convert it with `double(assistant.output_text)`");
    }

    @Test
    void dynValueOnlyWarns() {
        ObjectNode wf = simple();
        nodes(wf).add(json("{\"id\": \"shape\", \"type\": \"transform\", \"expression\": \"{'text': assistant.output_text}\"}"));
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("assistant", "shape", null)).add(edge("shape", "done", null));
        ((ObjectNode) node(wf, "done").get("values")).put("message", "shape.output_parsed.text");
        Problem p = onlyWarning(wf);
        assertThat(p.message()).isEqualTo("node `done`, field `values.message`: `shape.output_parsed.text` has no "
                + "static type (dyn), so it cannot be checked against the schema type string");
    }

    @Test
    void requiredPropertyWithoutValue() {
        Problem p = onlyError(simpleEnd("""
                {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}""", "{}"));
        assertThat(p.toString()).isEqualTo("node `done`, field `values.message`: required property `message` has no "
                + "value\n  Fix: map it, e.g. `\"message\": \"__VAR__my_agent.output_text__ENDVAR__\"`.");
    }

    @Test
    void valueForUnknownProperty() {
        Problem p = onlyError(simpleEnd("""
                {"type": "object", "properties": {"message": {"type": "string"}}}""",
                "{\"message\": \"assistant.output_text\", \"mesage\": \"assistant.output_text\"}"));
        assertThat(p.message()).isEqualTo("node `done`, field `values.mesage`: the schema has no property `mesage`");
    }

    @Test
    void textMixedWithAReference() {
        Problem p = onlyError(simpleEnd("""
                {"type": "object", "properties": {"message": {"type": "string"}}}""",
                "{\"message\": \"Answer: __VAR__assistant.output_text__ENDVAR__\"}"));
        assertThat(p.fix()).isEqualTo("write one CEL expression instead, e.g. `\"Answer: \" + my_agent.output_text`.");
    }

    @Test
    void endWithoutMessageWarns() {
        Problem p = onlyWarning(simpleEnd("""
                {"type": "object", "properties": {"answer": {"type": "string"}}}""", "{\"answer\": \"assistant.output_text\"}"));
        assertThat(p.message()).isEqualTo("node `done`, field `schema`: the schema has no `message` property; ChatKit "
                + "shows `message` as the reply");
    }

    @Test
    void embeddedSchemaIsCheckedAgainstTheMetaSchema() {
        ObjectNode wf = simple();
        ObjectNode agent = node(wf, "assistant");
        agent.put("output_format", "json_schema");
        agent.set("output_schema", json("{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"strng\"}}}"));
        ((ObjectNode) node(wf, "done").get("values")).put("message", "assistant.output_parsed.message");
        var errors = validate(wf).errors();
        assertThat(errors).isNotEmpty();
        assertThat(errors.get(0).nodeId()).isEqualTo("assistant");
        assertThat(errors.get(0).field()).isEqualTo("output_schema");
        assertThat(errors.get(0).message()).startsWith("node `assistant`, field `output_schema`: not a valid JSON Schema "
                + "(2020-12): /properties/message/type");
    }

    @Test
    void agentOutputSchemaMustBeAnObject() {
        ObjectNode wf = simple();
        ObjectNode agent = node(wf, "assistant");
        agent.put("output_format", "json_schema");
        agent.set("output_schema", json("{\"type\": \"string\"}"));
        assertThat(validate(wf).errors()).extracting(Problem::message).contains("node `assistant`, field "
                + "`output_schema`: the schema must describe an object with `properties`, so its fields can be referenced");
    }

    @Test
    void setStateChecksVariableAndType() {
        ObjectNode wf = simple();
        nodes(wf).add(json("""
                {"id": "count", "type": "set_state", "assignments": [
                  {"variable": "attempt", "expression": "1"},
                  {"variable": "attempts", "expression": "assistant.output_text"}]}"""));
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("assistant", "count", null)).add(edge("count", "done", null));
        ((ObjectNode) node(wf, "done").get("values")).put("message", "input.output_text");
        var errors = validate(wf).errors();
        assertThat(errors).extracting(Problem::toString).containsExactly(
                "node `count`, field `assignments[0].variable`: `attempt` is not a declared state variable (declared: "
                        + "`attempts`); did you mean `attempts`?\n  Fix: assign `attempts`.",
                "node `count`, field `assignments[1].expression`: `assistant.output_text` is of type string but the "
                        + "schema says integer\n  Fix: convert it with `int(assistant.output_text)`, or map an integer field.");
    }

    @Test
    void historyAfterAStructuredNodeIsNoProblem() {
        // Node outputs never enter the chat history (only the thread's user and assistant messages do).
        ObjectNode wf = seed();
        node(wf, "website_inquiry_agent").put("include_chat_history", true);
        assertThat(validate(wf).warnings()).isEmpty();
    }

    @Test
    void categoryWithoutExamplesWarns() {
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "project_inquiry_classification").get("categories").get(1)).remove("examples");
        Problem p = onlyWarning(wf);
        assertThat(p.toString()).isEqualTo("node `project_inquiry_classification`, field `categories[1].examples`: "
                + "category `website_build` has no example messages; classification is less reliable without them"
                + "\n  Fix: add two or three typical user messages.");
    }

    @Test
    void equalityOnFreeTextWarns() {
        ObjectNode wf = simple();
        nodes(wf).add(json("""
                {"id": "check", "type": "if_else", "conditions": [{"id": "yes", "expression": "assistant.output_text == \\"yes\\""}]}"""));
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("assistant", "check", null)).add(edge("check", "done", "yes")).add(edge("check", "done", "else"));
        Problem p = onlyWarning(wf);
        assertThat(p.message()).isEqualTo("node `check`, field `conditions[0].expression`: `assistant.output_text` is "
                + "free text written by a model; an exact comparison with \"yes\" rarely matches");
    }

    @Test
    void approvalAndGuardrailsBranches() {
        ObjectNode wf = simple();
        nodes(wf).add(json("""
                {"id": "screen", "type": "guardrails", "input": "{{ workflow.input_as_text }}", "checks": [{"kind": "jailbreak"}]}"""));
        nodes(wf).add(json("""
                {"id": "confirm", "type": "user_approval", "message": "Send this? {{ assistant.output_text }}"}"""));
        removeEdges(wf, "start", null);
        removeEdges(wf, "assistant", null);
        edges(wf).add(edge("start", "screen", null)).add(edge("screen", "assistant", "pass"))
                .add(edge("assistant", "confirm", null)).add(edge("confirm", "done", "approved"));
        assertThat(validate(wf).errors()).extracting(Problem::message).containsExactlyInAnyOrder(
                "node `screen`, field `edges`: branch `fail` of guardrails `screen` has no edge, so the run would stop there",
                "node `confirm`, field `edges`: branch `rejected` of user_approval `confirm` has no edge, so the run would "
                        + "stop there");
        edges(wf).add(edge("screen", "done", "fail")).add(edge("confirm", "done", "rejected"));
        // On the fail path the agent never ran: the End must not read it by name.
        assertThat(validate(wf).errors()).extracting(Problem::message).singleElement().asString()
                .contains("`assistant` is upstream of `done` on only some paths");
    }
}
