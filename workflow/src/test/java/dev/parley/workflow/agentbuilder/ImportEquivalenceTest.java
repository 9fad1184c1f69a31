package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.ImportEquivalence.Difference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImportEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** As the JSON importer writes it: Agent Builder ids, labels, the condition ids Agent Builder gave. */
    private static final String FROM_JSON = """
            {"id": "wf_a", "name": "A", "state": {"count": {"type": "number", "default": 0}},
             "nodes": [
              {"id": "node_s", "type": "start", "label": "Start"},
              {"id": "node_a", "type": "agent", "label": "Triage", "model": "gpt-5", "instructions": "Sort  it\\n out.",
               "output_format": "json_schema", "output_schema": {"type": "object", "required": ["kind", "why"],
                 "properties": {"kind": {"type": "string"}, "why": {"type": "string"}}}},
              {"id": "node_w", "type": "while", "label": "While", "condition": "state.count < 3.0", "max_iterations": 20},
              {"id": "node_st", "type": "set_state", "label": "Set", "assignments": [
                {"variable": "count", "expression": "state.count + 1.0"}]},
              {"id": "node_if", "type": "if_else", "label": "If", "conditions": [
                {"id": "case_0", "expression": "(node_a.output_parsed.kind == 'x')"}]},
              {"id": "node_e1", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}},
                 "required": ["message"]}, "values": {"message": "node_a.output_parsed.why"}},
              {"id": "node_e2", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}},
                 "required": ["message"]}, "values": {"message": "\\"no\\""}}
             ],
             "edges": [
              {"from": "node_s", "to": "node_a"}, {"from": "node_a", "to": "node_w"},
              {"from": "node_w", "to": "node_st", "branch": "body"}, {"from": "node_st", "to": "node_w"},
              {"from": "node_w", "to": "node_if", "branch": "exit"},
              {"from": "node_if", "to": "node_e2", "branch": "else"},
              {"from": "node_if", "to": "node_e1", "branch": "case_0"}
             ]}""";

    /** The same workflow as the code importer writes it: ids from variable names, other spacing and quotes. */
    private static final String FROM_CODE = """
            {"id": "wf_b", "name": "B", "state": {"count": {"type": "number", "default": 0.0}},
             "nodes": [
              {"id": "start", "type": "start"},
              {"id": "triage", "type": "agent", "label": "Triage", "model": "gpt-5", "instructions": "Sort it out.",
               "output_format": "json_schema", "output_schema": {"type": "object", "required": ["why", "kind"],
                 "properties": {"why": {"type": "string"}, "kind": {"type": "string"}}}},
              {"id": "if_else", "type": "if_else", "conditions": [
                {"id": "case-0", "expression": "triage.output_parsed.kind == \\"x\\""}]},
              {"id": "while_loop", "type": "while", "condition": "state.count<3.0", "max_iterations": 20},
              {"id": "set_state", "type": "set_state", "assignments": [
                {"variable": "count", "expression": "state.count+1.0"}]},
              {"id": "end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}},
                 "required": ["message"]}, "values": {"message": "triage.output_parsed.why"}},
              {"id": "end1", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}},
                 "required": ["message"]}, "values": {"message": "'no'"}}
             ],
             "edges": [
              {"from": "start", "to": "triage"}, {"from": "triage", "to": "while_loop"},
              {"from": "while_loop", "to": "set_state", "branch": "body"}, {"from": "set_state", "to": "while_loop"},
              {"from": "while_loop", "to": "if_else", "branch": "exit"},
              {"from": "if_else", "to": "end", "branch": "case-0"},
              {"from": "if_else", "to": "end1", "branch": "else"}
             ]}""";

    private static ObjectNode doc(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void documentsThatDifferOnlyInIdsSpacingAndQuotesAreEquivalent() throws Exception {
        assertThat(ImportEquivalence.compare(doc(FROM_JSON), doc(FROM_CODE))).isEmpty();
    }

    @Test
    void aChangedConditionIsOneDifferenceAtItsNodeAndField() throws Exception {
        ObjectNode code = doc(FROM_CODE.replace("kind == \\\"x\\\"", "kind == \\\"y\\\""));

        List<Difference> ds = ImportEquivalence.compare(doc(FROM_JSON), code);

        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.jsonId()).isEqualTo("node_if");
            assertThat(d.codeId()).isEqualTo("if_else");
            assertThat(d.field()).isEqualTo("conditions[0].expression");
            assertThat(d.where()).isEqualTo("node_if / if_else, conditions[0].expression");
            assertThat(d.what()).contains("\"y\"");
        });
    }

    @Test
    void swappedBranchesPairTheWrongEndsAndSayWhere() throws Exception {
        ObjectNode code = doc(FROM_CODE.replace("\"to\": \"end\", \"branch\": \"case-0\"", "\"to\": \"end1\", \"branch\": \"case-0\"")
                .replace("\"to\": \"end1\", \"branch\": \"else\"", "\"to\": \"end\", \"branch\": \"else\""));

        List<Difference> ds = ImportEquivalence.compare(doc(FROM_JSON), code);

        assertThat(ds).extracting(Difference::where).containsExactlyInAnyOrder(
                "node_e1 / end1, values.message", "node_e2 / end, values.message");
    }

    @Test
    void anEmptySetStateOnlyOneSideHasIsSteppedOverAndReported() throws Exception {
        ObjectNode json = doc(FROM_JSON.replace("""
                {"from": "node_s", "to": "node_a"}""", """
                {"from": "node_s", "to": "node_gap"}, {"from": "node_gap", "to": "node_a"}""")
                .replace("""
                {"id": "node_s", "type": "start", "label": "Start"},""", """
                {"id": "node_s", "type": "start", "label": "Start"},
                {"id": "node_gap", "type": "set_state", "label": "Guardrails", "assignments": []},"""));

        List<Difference> ds = ImportEquivalence.compare(json, doc(FROM_CODE));

        assertThat(ds).singleElement().satisfies(d -> {
            assertThat(d.jsonId()).isEqualTo("node_gap");
            assertThat(d.codeId()).isNull();
            assertThat(d.field()).isEqualTo("node");
        });
    }

    @Test
    void twoSetStatesTheCodeMergedAreComparedAsOneListOfAssignments() throws Exception {
        ObjectNode json = doc(FROM_JSON
                .replace("{\"from\": \"node_st\", \"to\": \"node_w\"}",
                        "{\"from\": \"node_st\", \"to\": \"node_st2\"}, {\"from\": \"node_st2\", \"to\": \"node_w\"}")
                .replace("{\"id\": \"node_if\",", "{\"id\": \"node_st2\", \"type\": \"set_state\", \"assignments\": "
                        + "[{\"variable\": \"n\", \"expression\": \"2\"}]}, {\"id\": \"node_if\","));
        ObjectNode code = doc(FROM_CODE.replace("{\"variable\": \"count\", \"expression\": \"state.count+1.0\"}",
                "{\"variable\": \"count\", \"expression\": \"state.count+1.0\"}, {\"variable\": \"n\", \"expression\": \"3\"}"));

        List<Difference> ds = ImportEquivalence.compare(json, code);

        assertThat(ds).extracting(Difference::where).containsExactlyInAnyOrder(
                "node_st / set_state, assignments[1].expression", "node_st / set_state, node");
        Difference merged = ds.stream().filter(d -> d.field().equals("node")).findFirst().orElseThrow();
        ImportReport report = new ImportReport.Builder().note("line 40", "consecutive state assignments are read as "
                + "one set_state `set_state`; in Agent Builder they may have been in more than one Set state node, "
                + "which is not in the code").build();
        assertThat(ImportEquivalence.explanation(merged, report)).isPresent();
    }

    @Test
    void aNodeNoPathReachesIsOnlyExplainedByAWorkflowEntryAboutUnconnectedSteps() throws Exception {
        ObjectNode json = doc(FROM_JSON.replace("{\"id\": \"node_if\",",
                "{\"id\": \"node_note\", \"type\": \"note\", \"text\": \"todo\"}, {\"id\": \"node_if\","));
        List<Difference> ds = ImportEquivalence.compare(json, doc(FROM_CODE));
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.where()).isEqualTo("node_note / -, node"));

        ImportReport general = new ImportReport.Builder().note("workflow", "read as Python; steps not connected to "
                + "Start are not in the code either").build();
        ImportReport atALine = new ImportReport.Builder().note("line 3", "steps not connected to Start are not in "
                + "the code").build();
        assertThat(ImportEquivalence.explanation(ds.get(0), general)).isPresent();
        assertThat(ImportEquivalence.explanation(ds.get(0), atALine)).isEmpty();
    }

    @Test
    void lostEnumsAreExplainedOnlyByAnEntryAboutThatAgent() throws Exception {
        ObjectNode json = doc(FROM_JSON.replace("\"kind\": {\"type\": \"string\"}",
                "\"kind\": {\"type\": \"string\", \"enum\": [\"x\", \"z\"]}"));
        List<Difference> ds = ImportEquivalence.compare(json, doc(FROM_CODE));
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("output_schema"));
        Difference lost = ds.get(0);

        ImportReport other = new ImportReport.Builder()
                .note("line 3", "agent `helper`: the Python export writes plain field types, so enums, descriptions "
                        + "and defaults Agent Builder had are missing").build();
        ImportReport about = new ImportReport.Builder()
                .note("line 9", "agent `triage`: the Python export writes plain field types, so enums, descriptions "
                        + "and defaults Agent Builder had are missing").build();

        assertThat(ImportEquivalence.explanation(lost, other)).isEmpty();
        assertThat(ImportEquivalence.explanation(lost, about)).hasValueSatisfying(e -> assertThat(e.source())
                .isEqualTo("line 9"));
    }

    @Test
    void aChangedSchemaTypeIsNotExplainedByLostAnnotations() throws Exception {
        ObjectNode json = doc(FROM_JSON.replace("\"why\": {\"type\": \"string\"}", "\"why\": {\"type\": \"integer\"}"));
        Difference d = ImportEquivalence.compare(json, doc(FROM_CODE)).stream()
                .filter(x -> x.field().equals("output_schema")).findFirst().orElseThrow();
        ImportReport report = new ImportReport.Builder().note("line 9", "agent `triage`: the Python export writes "
                + "plain field types, so enums, descriptions and defaults Agent Builder had are missing").build();

        assertThat(ImportEquivalence.explanation(d, report)).isEmpty();
    }
}
