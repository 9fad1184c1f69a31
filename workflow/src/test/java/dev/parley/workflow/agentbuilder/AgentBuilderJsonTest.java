package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import of hand-written Agent Builder workflows ({@code resources/agentbuilder/}), node family by family. */
class AgentBuilderJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String resource(String name) throws IOException {
        try (InputStream in = AgentBuilderJsonTest.class.getResourceAsStream("/agentbuilder/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode node(ImportResult r, String id) {
        for (JsonNode n : r.workflow().get("nodes")) if (n.get("id").asText().equals(id)) return n;
        throw new AssertionError("no node " + id + " in " + r.workflow());
    }

    /** {@return the target of the edge leaving {@code from} on {@code branch} (null: the single output)} */
    static String target(ImportResult r, String from, String branch) {
        for (JsonNode e : r.workflow().get("edges")) {
            if (e.get("from").asText().equals(from) && e.path("branch").asText(null) == null == (branch == null)
                    && (branch == null || e.get("branch").asText().equals(branch))) {
                return e.get("to").asText();
            }
        }
        return null;
    }

    static List<String> messages(List<ImportReport.Entry> entries, String source) {
        List<String> out = new ArrayList<>();
        entries.stream().filter(e -> e.source().equals(source)).forEach(e -> out.add(e.message()));
        return out;
    }

    @Test
    void helpdeskImportsWithoutErrorsAndValidatesAsPublished() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        assertThat(r.report().errors()).isEmpty();
        assertThat(WorkflowValidator.validate(WorkflowParser.parse(r.workflow())).ok()).isTrue();
        assertThat(r.workflow().get("id").asText()).isEqualTo("wf_helpdesk_import_fixture");
        assertThat(r.workflow().get("name").asText()).isEqualTo("Helpdesk triage");
        assertThat(r.workflow().get("description").asText()).contains("version 3");
        assertThat(r.workflow().get("state").toString())
                .isEqualTo("{\"visits\":{\"type\":\"number\",\"default\":0},\"topic\":{\"type\":\"string\",\"default\":\"billing\"}}");
        assertThat(node(r, "memo").get("type").asText()).isEqualTo("note");
        assertThat(node(r, "memo").get("text").asText()).isEqualTo("Refunds over 100 need a second look.");
    }

    @Test
    void anIdThatIsNoCelNameIsRenamedEverywhere() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        assertThat(r.workflow().toString()).doesNotContain("triage-agent");
        assertThat(target(r, "guard", "pass")).isEqualTo("triage_agent");
        assertThat(node(r, "route").get("conditions").get(0).get("expression").asText())
                .isEqualTo("triage_agent.output_parsed.kind == \"refund\"");
        assertThat(messages(r.report().notes(), "triage-agent")).anyMatch(m -> m.contains("`triage_agent`"));
    }

    @Test
    void agentSettingsMessagesAndOutputFormat() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        JsonNode triage = node(r, "triage_agent");
        assertThat(triage.get("model").asText()).isEqualTo("gpt-5-mini");
        assertThat(triage.get("model_settings").get("reasoning_effort").asText()).isEqualTo("low");
        // Guardrails hand on `safe_text`: the text they checked, which Parley does not rewrite.
        assertThat(triage.get("instructions").asText())
                .isEqualTo("Sort the request into a refund or a question. The customer wrote: {{ (workflow.input_as_text) }}");
        assertThat(triage.get("output_format").asText()).isEqualTo("json_schema");
        assertThat(triage.get("output_schema_name").asText()).isEqualTo("ticket_kind");
        assertThat(triage.get("output_schema").get("properties").has("urgent")).isTrue();
        // Without history Agent Builder sends only the messages; with no user message in front of them.
        assertThat(triage.get("user_prompt").asText()).isEqualTo("User: Reply with the JSON only.\n\nAssistant: Understood.");
        assertThat(triage.has("include_chat_history")).isFalse();
        assertThat(messages(r.report().warnings(), "triage-agent"))
                .anyMatch(m -> m.contains("2 input messages are folded into the user prompt"))
                .anyMatch(m -> m.contains("verbosity `low`"));

        JsonNode helper = node(r, "refund_agent");
        assertThat(helper.get("instructions").asText()).isEqualTo("Explain the refund steps. Keep {{ \"{{\" }} braces }} as they are.");
        assertThat(helper.get("include_chat_history").asBoolean()).isTrue();
        assertThat(helper.get("model_settings").get("reasoning_effort").asText()).isEqualTo("medium");
        assertThat(messages(r.report().warnings(), "refund_agent"))
                .anyMatch(m -> m.contains("reasoning summary `auto`"))
                .anyMatch(m -> m.contains("`show_progress_to_user` is off"))
                .anyMatch(m -> m.contains("answers of `triage_agent` earlier in the same run"));
        assertThat(node(r, "answer").get("instructions").asText()).isEqualTo("Answer the question. Topic: {{ state.topic }}");
    }

    @Test
    void toolsMapWithoutCopyingSecrets() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        JsonNode tools = node(r, "refund_agent").get("tools");
        assertThat(tools).hasSize(4);
        assertThat(tools.get(0).get("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).get("runs_on").asText()).isEqualTo("client");
        assertThat(tools.get(0).get("parameters").get("required").get(0).asText()).isEqualTo("order");
        assertThat(tools.get(1).toString()).isEqualTo("{\"type\":\"web_search\"}");
        JsonNode mcp = tools.get(2);
        assertThat(mcp.get("headers").toString()).isEqualTo("{\"Authorization\":{\"env\":\"BILLING_AUTHORIZATION\"}}");
        assertThat(mcp.get("require_approval").toString()).isEqualTo("{\"refund_status\":\"never\"}");
        assertThat(mcp.get("allowed_tools").get(0).asText()).isEqualTo("refund_status");
        assertThat(tools.get(3).toString()).isEqualTo("{\"type\":\"file_search\",\"knowledge_bases\":[\"vs_faq\"],\"max_results\":3}");

        assertThat(r.workflow().toString()).doesNotContain("live-token-do-not-copy").doesNotContain("abc123");
        List<String> warnings = messages(r.report().warnings(), "refund_agent");
        assertThat(warnings).anyMatch(m -> m.contains("function tool `open_ticket` runs in the user's browser"))
                .anyMatch(m -> m.contains("search_context_size `high`"))
                .anyMatch(m -> m.contains("header `Authorization` held a literal value")
                        && m.contains("environment variable BILLING_AUTHORIZATION"))
                .anyMatch(m -> m.contains("vector store `vs_faq`"));
    }

    @Test
    void guardrailsApprovalAndTheUnconnectedFailBranch() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        JsonNode guard = node(r, "guard");
        assertThat(guard.get("type").asText()).isEqualTo("guardrails");
        assertThat(guard.get("checks").toString())
                .isEqualTo("[{\"kind\":\"pii\",\"entities\":[\"email\"]},{\"kind\":\"jailbreak\"}]");
        assertThat(guard.has("input")).isFalse();
        assertThat(messages(r.report().warnings(), "guard"))
                .anyMatch(m -> m.contains("US_DRIVER_LICENSE"))
                .anyMatch(m -> m.contains("jailbreak check is pattern-based"))
                .anyMatch(m -> m.contains("`guard_fail_end`"));
        String failEnd = target(r, "guard", "fail");
        assertThat(failEnd).isEqualTo("guard_fail_end");
        assertThat(node(r, failEnd).get("values").get("message").asText()).isEqualTo("\"" + AbEnds.BLOCKED_REPLY + "\"");

        assertThat(node(r, "confirm").get("type").asText()).isEqualTo("user_approval");
        assertThat(node(r, "confirm").get("message").asText()).isEqualTo("Start a refund for this order?");
        assertThat(target(r, "confirm", "approved")).isEqualTo("refund_lookup");
        assertThat(target(r, "confirm", "rejected")).isEqualTo("decline");
        assertThat(target(r, "route", "Refund")).isEqualTo("confirm");
        assertThat(target(r, "route", "else")).isEqualTo("count_visit");
    }

    @Test
    void fileSearchTransformAndStateReadTheParleyOutputs() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        JsonNode search = node(r, "refund_lookup");
        assertThat(search.get("knowledge_bases").toString()).isEqualTo("[\"vs_refund-policies\"]");
        assertThat(search.get("query").asText()).isEqualTo("Refund rules for {{ workflow.input_as_text }}");
        assertThat(search.get("max_results").asInt()).isEqualTo(4);
        assertThat(messages(r.report().warnings(), "refund_lookup"))
                .anyMatch(m -> m.contains("vector store `vs_Refund-Policies`") && m.contains("base `vs_refund-policies`"));
        assertThat(r.report().warnings()).anyMatch(e -> e.source().equals("refund_lookup")
                && e.fix().contains("PARLEY_KNOWLEDGE_DIR/vs_refund-policies/"));
        // `input.results` of a File search is its output_parsed in Parley; the empty entry is gone.
        assertThat(node(r, "summarise").get("expression").asText()).isEqualTo("{\"top\": refund_lookup.output_parsed.results}");
        assertThat(messages(r.report().warnings(), "summarise")).anyMatch(m -> m.contains("`count`"));
        // A JSON number plus an integer literal does not type-check in CEL; the literal becomes a double.
        assertThat(node(r, "count_visit").get("assignments").get(0).toString())
                .isEqualTo("{\"variable\":\"visits\",\"expression\":\"state.visits + 1.0\"}");
    }

    @Test
    void mcpNodeTakesItsArgumentsAndAnEnvironmentHeader() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        JsonNode mcp = node(r, "crm_lookup");
        assertThat(mcp.get("type").asText()).isEqualTo("mcp");
        assertThat(mcp.get("tool").asText()).isEqualTo("find_customer");
        assertThat(mcp.get("server_url").asText()).isEqualTo("https://crm.example.test/mcp");
        assertThat(mcp.get("headers").toString()).isEqualTo("{\"X-Api-Key\":{\"env\":\"CRM_X_API_KEY\"}}");
        assertThat(mcp.get("arguments").toString()).isEqualTo("{\"email\":\"workflow.input_as_text\"}");
    }

    @Test
    void everyEndRepliesWithTheLastVisibleAgent() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("helpdesk.agentbuilder.json"));
        assertThat(node(r, "finish_refund").get("values").toString())
                .isEqualTo("{\"message\":\"refund_agent.output_text\",\"output_text\":\"refund_agent.output_text\"}");
        assertThat(messages(r.report().warnings(), "finish_refund")).anyMatch(m -> m.contains("`ticket`"));
        // `input` whole after a text agent: its output_text, plus the message ChatKit shows.
        assertThat(node(r, "finish_answer").get("values").toString())
                .isEqualTo("{\"message\":\"answer.output_text\",\"output_text\":\"answer.output_text\"}");
        // Decline's output leads nowhere: Agent Builder ends there, so the import adds an End.
        assertThat(target(r, "decline", null)).isEqualTo("decline_end");
        assertThat(node(r, "decline_end").get("values").get("message").asText()).isEqualTo("decline.output_text");
        assertThat(node(r, "decline_end").get("schema").get("required").toString()).contains("\"message\"");
    }

    @Test
    void whileBodyIsFlattenedAndLoopsBack() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("retry-loop.agentbuilder.json"));
        assertThat(r.report().errors()).isEmpty();
        JsonNode loop = node(r, "again");
        assertThat(loop.get("type").asText()).isEqualTo("while");
        assertThat(loop.get("condition").asText()).isEqualTo("size(state.pending) > 0");
        assertThat(loop.get("max_iterations").asInt()).isEqualTo(AbFlowNodes.DEFAULT_MAX_ITERATIONS);
        assertThat(messages(r.report().warnings(), "again"))
                .anyMatch(m -> m.contains("a string; Agent Builder counts a non-empty"))
                .anyMatch(m -> m.contains("stops after 20 rounds"));
        assertThat(target(r, "again", "body")).isEqualTo("attempt");
        assertThat(target(r, "attempt", null)).isEqualTo("bump");
        assertThat(target(r, "bump", null)).isEqualTo("again");
        assertThat(target(r, "again", "exit")).isEqualTo("stop");
        // An integer variable plus an integer literal needs no change.
        assertThat(node(r, "bump").get("assignments").get(0).get("expression").asText()).isEqualTo("state.tries + 1");
        assertThat(node(r, "stop").get("values").get("tries").asText()).isEqualTo("state.tries");
        assertThat(node(r, "stop").get("schema").get("properties").get("tries").get("type").asText()).isEqualTo("integer");
    }

    @Test
    void brokenWorkflowIsRefusedWithEachProblemAtItsNode() throws IOException {
        ImportResult r = AgentBuilderJson.convert(resource("broken.agentbuilder.json"));
        assertThat(r.report().ok()).isFalse();
        assertThat(r.workflow()).isNotNull();
        assertThat(messages(r.report().errors(), "pick")).anyMatch(m -> m.contains("case \"Empty\"") && m.contains("has no condition"))
                .anyMatch(m -> m.contains("no field `input_as_txt` (it has `input_as_text`, `tool_choice`)"));
        assertThat(messages(r.report().errors(), "stray")).anyMatch(m -> m.contains("unreachable"));
    }

    @Test
    void inputThatIsNoAgentBuilderWorkflowIsRefusedWithoutADocument() {
        for (String input : List.of("not json", "[1, 2]", "{\"object\": \"workflow.version\", \"nodes\": []}")) {
            ImportResult r = AgentBuilderJson.convert(input);
            assertThat(r.workflow()).as(input).isNull();
            assertThat(r.report().errors()).as(input).hasSize(1);
        }
        assertThat(AgentBuilderJson.convert("{\"object\": \"workflow.version\", \"nodes\": []}").report().errors().get(0)
                .message()).contains("`workflow.version`");
    }

    @Test
    void aNodeTypeWithoutEquivalentAndAToolWithoutOneAreErrors() throws IOException {
        String json = """
                {"id": "wf_odd", "object": "workflow", "name": "Odd", "start_node_id": "s",
                 "nodes": [
                   {"id": "s", "node_type": "builtins.Start"},
                   {"id": "code", "label": "Run code", "node_type": "builtins.CodeInterpreter", "config": {}},
                   {"id": "painter", "node_type": "builtins.Agent", "config": {"instructions": "Draw.",
                    "text": {"format": {"type": "text"}}, "tools": [{"type": "image_generation"}]}}
                 ],
                 "edges": [{"source_node_id": "s", "source_port_id": "out", "target_node_id": "painter", "target_port_id": "in"}]}
                """;
        ImportResult r = AgentBuilderJson.convert(json);
        assertThat(messages(r.report().errors(), "code")).anyMatch(m -> m.contains("`builtins.CodeInterpreter`"));
        assertThat(messages(r.report().errors(), "painter")).anyMatch(m -> m.contains("tool `image_generation`"));
    }

    @Test
    void guardrailsWithoutChecksPassEverythingOn() throws IOException {
        String json = """
                {"id": "wf_open_gate", "object": "workflow", "name": "Open gate", "start_node_id": "s",
                 "nodes": [
                   {"id": "s", "node_type": "builtins.Start"},
                   {"id": "gate", "label": "Gate", "node_type": "builtins.Guardrails",
                    "config": {"expr": {"expression": "workflow.input_as_text", "format": "cel"}, "guardrails": []}},
                   {"id": "after", "node_type": "builtins.Guardrails",
                    "config": {"expr": {"expression": "input.safe_text", "format": "cel"},
                               "guardrails": [{"type": "moderation", "config": {"categories": []}}]}}
                 ],
                 "edges": [
                   {"source_node_id": "s", "source_port_id": "out", "target_node_id": "gate", "target_port_id": "in"},
                   {"source_node_id": "gate", "source_port_id": "on_pass", "target_node_id": "after", "target_port_id": "in"}]}
                """;
        ImportResult r = AgentBuilderJson.convert(json);
        assertThat(r.report().errors()).isEmpty();
        assertThat(node(r, "gate").get("type").asText()).isEqualTo("set_state");
        assertThat(target(r, "gate", null)).isEqualTo("after");
        assertThat(node(r, "after").get("input").asText()).isEqualTo("{{ (workflow.input_as_text) }}");
        assertThat(target(r, "after", "pass")).isEqualTo("after_pass_end");
        assertThat(node(r, "after_pass_end").get("values").get("safe_text").asText()).isEqualTo("(workflow.input_as_text)");
    }

    @Test
    void reportsParleyValidationWarningsAtTheAgentBuilderNode() throws IOException {
        ImportResult r = AgentBuilderJson.convert(JSON.readTree(resource("retry-loop.agentbuilder.json")));
        // Every problem names a node of the input (or the workflow), never one only the import knows.
        List<String> sources = new ArrayList<>();
        r.report().warnings().forEach(e -> sources.add(e.source()));
        r.report().notes().forEach(e -> sources.add(e.source()));
        assertThat(sources).isNotEmpty().allMatch(s -> List.of("workflow", "go", "again", "attempt", "bump", "stop").contains(s));
    }
}
