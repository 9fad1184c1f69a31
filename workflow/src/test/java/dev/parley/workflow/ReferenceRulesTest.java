package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** References inside CEL expressions and templates: which node, which field, and whether it exists there. */
class ReferenceRulesTest {

    private static ObjectNode seedWithCondition(String expression) {
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "route_inquiry").get("conditions").get(0)).put("expression", expression);
        return wf;
    }

    @Test
    void enumTypoSuggestsTheClosestValue() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.category == \"website_buld\""));
        assertThat(p.message()).isEqualTo("node `route_inquiry`, field `conditions[0].expression`: \"website_buld\" is "
                + "not a value `project_inquiry_classification.output_parsed.category` can take (allowed: "
                + "`general_inquiry`, `website_build`, `web_app_or_platform`, `single_purpose_tool`, "
                + "`automation_or_integration`, `maintenance_or_consulting`); did you mean `website_build`?");
        assertThat(p.fix()).isEqualTo("write `project_inquiry_classification.output_parsed.category == \"website_build\"`.");
    }

    @Test
    void enumCheckAlsoCoversInListsAndInput() {
        Problem p = onlyError(seedWithCondition("input.output_parsed.category in [\"website_build\", \"web_ap\"]"));
        assertThat(p.message()).contains("\"web_ap\" is not a value `input.output_parsed.category` can take");
    }

    @Test
    void unknownNodeSuggestsTheClosestId() {
        Problem p = onlyError(seedWithCondition("project_inquiry_clasification.output_parsed.category == \"website_build\""));
        assertThat(p.message()).contains("`project_inquiry_clasification.output_parsed.category` refers to "
                + "`project_inquiry_clasification`, which is neither a node of this workflow nor one of `workflow`, "
                + "`input`, `state`, `sys`; did you mean `project_inquiry_classification`?");
        assertThat(p.fix()).isEqualTo("write `project_inquiry_classification.output_parsed.category`.");
    }

    @Test
    void unknownPropertyOfOutputParsed() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.inquiry_type == \"website_build\""));
        assertThat(p.message()).contains("`project_inquiry_classification.output_parsed` has no property `inquiry_type` "
                + "(`project_inquiry_classification` outputs `category`, `confidence`, `reason`)");
        assertThat(p.fix()).contains("add `inquiry_type` to `project_inquiry_classification`'s output schema");
    }

    @Test
    void fieldSelectionOnOutputTextOfStructuredNode() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_text.category == \"website_build\""));
        assertThat(p.message()).contains("`project_inquiry_classification.output_text` is a string (the text "
                + "`project_inquiry_classification` wrote), so it has no field `category`");
        assertThat(p.fix()).isEqualTo("use `project_inquiry_classification.output_parsed.category`.");
    }

    @Test
    void outputParsedOfTextNode() {
        ObjectNode wf = simple();
        ((ObjectNode) node(wf, "done").get("values")).put("message", "__VAR__assistant.output_parsed.message__ENDVAR__");
        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("done");
        assertThat(p.field()).isEqualTo("values.message");
        assertThat(p.message()).contains("`assistant.output_parsed.message`: `assistant` outputs text, so "
                + "`assistant.output_parsed` does not exist");
        assertThat(p.fix()).isEqualTo("use `assistant.output_text`, or set `assistant`'s output_format to json_schema "
                + "with a `message` property.");
    }

    @Test
    void nodeUpstreamOnOnlySomePaths() {
        // general_inquiry_end maps website_inquiry_agent, which runs only on the website branch.
        ObjectNode wf = seed();
        ((ObjectNode) node(wf, "general_inquiry_end").get("schema").get("properties").get("message"))
                .put("default", "__VAR__website_inquiry_agent.output_text__ENDVAR__");
        ObjectNode general = node(wf, "general_inquiry_agent");
        general.put("user_prompt", "{{ workflow.input_as_text }}");
        // Make website_inquiry_agent an ancestor of general_inquiry_end on one path only.
        edges(wf).add(edge("website_inquiry_agent", "general_inquiry_end", null));
        removeEdges(wf, "website_inquiry_agent", "website_inquiry_end");
        nodes(wf).removeIf(n -> n.get("id").asText().equals("website_inquiry_end"));

        Problem p = onlyError(wf);
        assertThat(p.nodeId()).isEqualTo("general_inquiry_end");
        assertThat(p.message()).contains("`website_inquiry_agent` is upstream of `general_inquiry_end` on only some "
                + "paths: on the path start → project_inquiry_classification → route_inquiry → general_inquiry_agent → "
                + "general_inquiry_end it does not run");
        assertThat(p.fix()).contains("reference a node that runs on every path to `general_inquiry_end` (`start`, "
                + "`project_inquiry_classification`)").contains("or use `input`");
    }

    @Test
    void nodeOnAnotherBranch() {
        ObjectNode wf = seed();
        node(wf, "general_inquiry_agent").put("user_prompt", "{{ website_inquiry_agent.output_text }}");
        Problem p = onlyError(wf);
        assertThat(p.message()).contains("`website_inquiry_agent` is not upstream of `general_inquiry_agent`: it runs "
                + "after it or on another branch");
        assertThat(p.fix()).isEqualTo("reference a node that runs before `general_inquiry_agent` on every path: "
                + "`start`, `project_inquiry_classification`.");
    }

    @Test
    void nodeWithoutOutput() {
        ObjectNode wf = seed();
        node(wf, "general_inquiry_agent").put("user_prompt", "{{ route_inquiry.output_text }}");
        Problem p = onlyError(wf);
        assertThat(p.message()).contains("`route_inquiry` is a if_else node and has no output");
    }

    @Test
    void undeclaredStateVariable() {
        ObjectNode wf = simple();
        node(wf, "assistant").put("instructions", "Attempt {{ state.attempt }}");
        Problem p = onlyError(wf);
        assertThat(p.field()).isEqualTo("instructions");
        assertThat(p.message()).contains("`state.attempt`: `attempt` is not a declared state variable (declared: "
                + "`attempts`); did you mean `state.attempts`?");
    }

    @Test
    void unknownSysField() {
        ObjectNode wf = simple();
        node(wf, "assistant").put("instructions", "Reply in {{ sys.language }}");
        Problem p = onlyError(wf);
        assertThat(p.message()).contains("`sys` has no field `language` (it has `user_id`, `thread_id`, `locale`)");
    }

    @Test
    void conditionMustBeBoolean() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.confidence"));
        assertThat(p.message()).startsWith("node `route_inquiry`, field `conditions[0].expression`: CEL: expected type "
                + "'bool' but found 'double'");
        assertThat(p.fix()).startsWith("a condition must be true or false");
    }

    @Test
    void comparingAStringWithANumber() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.category == 1"));
        assertThat(p.message()).contains("found no matching overload for '_==_' applied to '(string, int)'");
        assertThat(p.fix()).startsWith("compare or combine values of the same type");
    }

    @Test
    void numericComparisonAcrossIntAndDoubleIsAllowed() {
        ObjectNode wf = seedWithCondition("project_inquiry_classification.output_parsed.confidence > 0 && "
                + "project_inquiry_classification.output_parsed.category == \"website_build\"");
        assertThat(validate(wf).errors()).isEmpty();
    }

    @Test
    void syntaxError() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.category = \"website_build\""));
        assertThat(p.message()).contains("CEL: token recognition error at: '= ' (at column 55 of");
        assertThat(p.fix()).isEqualTo("compare with `==`; a single `=` is not an operator in CEL.");
    }

    @Test
    void otherSyntaxErrors() {
        Problem p = onlyError(seedWithCondition("project_inquiry_classification.output_parsed.category == (\"x\""));
        assertThat(p.message()).contains("CEL: missing ')' at '<EOF>' (at column 62");
        assertThat(p.fix()).startsWith("fix the CEL syntax");
    }

    @Test
    void unclosedTemplate() {
        ObjectNode wf = simple();
        node(wf, "assistant").put("user_prompt", "Question: {{ workflow.input_as_text");
        Problem p = onlyError(wf);
        assertThat(p.message()).isEqualTo("node `assistant`, field `user_prompt`: template error: `{{` at position 10 "
                + "is never closed with `}}`");
    }

    @Test
    void macrosAndLoopVariablesAreUnderstood() {
        ObjectNode wf = seedWithCondition("[\"website_build\", \"web_app_or_platform\"].exists(c, "
                + "c == project_inquiry_classification.output_parsed.category)");
        assertThat(validate(wf).errors()).isEmpty();
    }
}
