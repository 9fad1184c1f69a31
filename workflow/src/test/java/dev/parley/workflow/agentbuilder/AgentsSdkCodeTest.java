package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.workflow.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code importer on exports written for these tests ({@code agentbuilder/code/}): a Python and a TypeScript
 * export of the same bike-shop desk, each with one line the importer must not skip silently, and small snippets
 * for the ways an export can be broken.
 */
class AgentsSdkCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String fixture(String name) throws IOException {
        try (InputStream in = AgentsSdkCodeTest.class.getResourceAsStream("/agentbuilder/code/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode node(ImportResult r, String id) {
        for (JsonNode n : r.workflow().get("nodes")) if (n.get("id").asText().equals(id)) return n;
        throw new AssertionError("no node " + id + " in " + r.workflow());
    }

    private static List<String> edges(ImportResult r) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.workflow().get("edges")) {
            out.add(e.get("from").asText() + (e.has("branch") ? ":" + e.get("branch").asText() : "") + "->" + e.get("to").asText());
        }
        return out;
    }

    private static List<String> ids(ImportResult r) {
        List<String> out = new ArrayList<>();
        r.workflow().get("nodes").forEach(n -> out.add(n.get("id").asText() + "/" + n.get("type").asText()));
        return out;
    }

    @Test
    void pythonExportBecomesTheSameGraph() throws IOException {
        ImportResult r = AgentsSdkCode.convert(fixture("bike_shop.py"));
        assertThat(AgentsSdkCode.detect(fixture("bike_shop.py"))).isEqualTo(AgentsSdkCode.Language.PYTHON);
        assertThat(r.workflow().get("id").asText()).isEqualTo("wf_bike_shop_desk");
        assertThat(r.workflow().get("name").asText()).isEqualTo("Bike shop desk");
        assertThat(ids(r)).containsExactly("start/start", "screen/guardrails", "end/end", "sorter/agent",
                "set_state/set_state", "if_else/if_else", "approval/user_approval", "mechanic/agent", "end1/end",
                "end2/end", "parts_desk/agent", "end3/end", "summary/transform", "filesearch/file_search",
                "while_loop/while", "set_state1/set_state", "end4/end");
        assertThat(edges(r)).containsExactly("start->screen", "screen:fail->end", "screen:pass->sorter",
                "sorter->set_state", "set_state->if_else", "if_else:case-0->approval", "approval:approved->mechanic",
                "mechanic->end1", "approval:rejected->end2", "if_else:case-1->parts_desk", "parts_desk->end3",
                "if_else:else->summary", "summary->filesearch", "filesearch->while_loop", "while_loop:body->set_state1",
                "set_state1->while_loop", "while_loop:exit->end4");

        assertThat(node(r, "if_else").get("conditions").toString()).isEqualTo(JSON.createArrayNode()
                .add(JSON.createObjectNode().put("id", "case-0")
                        .put("expression", "sorter.output_parsed.topic == \"repair\" && sorter.output_parsed.urgent"))
                .add(JSON.createObjectNode().put("id", "case-1").put("expression", "sorter.output_parsed.topic == \"parts\""))
                .toString());
        assertThat(node(r, "while_loop").get("condition").asText()).isEqualTo("state.visits < 3");
        assertThat(node(r, "set_state").get("assignments").toString()).isEqualTo(
                "[{\"variable\":\"visits\",\"expression\":\"state.visits + 1.0\"},"
                        + "{\"variable\":\"last_topic\",\"expression\":\"sorter.output_parsed.topic\"}]");
        assertThat(node(r, "summary").get("expression").asText())
                .isEqualTo("{\"topic\": sorter.output_parsed.topic, \"shop\": \"Visit \" + state.shop_name}");
        assertThat(r.workflow().get("state").toString()).isEqualTo("{\"shop_name\":{\"type\":\"string\","
                + "\"default\":\"Spokes & Sons\"},\"visits\":{\"type\":\"number\",\"default\":0.0},\"last_topic\":{}}");

        JsonNode sorter = node(r, "sorter");
        assertThat(sorter.get("label").asText()).isEqualTo("Sorter");
        assertThat(sorter.get("output_format").asText()).isEqualTo("json_schema");
        assertThat(sorter.get("output_schema").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"topic\":{\"type\":\"string\"},\"urgent\":{\"type\":\"boolean\"},\"bike\":{\"type\":\"object\","
                + "\"properties\":{\"kind\":{\"type\":\"string\"},\"wheel_inches\":{\"type\":\"number\"}},"
                + "\"required\":[\"kind\",\"wheel_inches\"],\"additionalProperties\":false},\"parts\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"}}},\"required\":[\"topic\",\"urgent\",\"bike\",\"parts\"],"
                + "\"additionalProperties\":false}");
        assertThat(sorter.get("model_settings").toString()).isEqualTo("{\"reasoning_effort\":\"low\"}");
        assertThat(sorter.get("include_chat_history").asBoolean()).isTrue();

        JsonNode mechanic = node(r, "mechanic");
        assertThat(mechanic.get("instructions").asText())
                .isEqualTo("You are the mechanic at {{ state.shop_name }}. The cyclist wrote: {{ workflow.input_as_text }}");
        assertThat(mechanic.get("tools").toString()).isEqualTo("[{\"type\":\"function\",\"name\":\"book_service_slot\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"day\":{\"type\":\"string\"},\"hours\":"
                + "{\"type\":\"integer\"}},\"required\":[\"day\",\"hours\"],\"additionalProperties\":false},"
                + "\"runs_on\":\"client\"},{\"type\":\"file_search\",\"vector_store_id\":\"vs_bike_manuals\",\"max_results\":4}]");

        JsonNode parts = node(r, "parts_desk");
        assertThat(parts.get("model_settings").toString())
                .isEqualTo("{\"temperature\":0.3,\"top_p\":0.9,\"max_output_tokens\":800}");
        assertThat(parts.get("instructions").asText())
                .isEqualTo("Find the part in the catalogue.\nQuote {{ \"{{\" }} braces }} literally.");
        assertThat(parts.get("user_prompt").asText()).isEqualTo("{{ workflow.input_as_text }}\n\nAnswer with part numbers.");
        assertThat(parts.get("tools").toString()).isEqualTo("[{\"type\":\"mcp\",\"server_label\":\"parts\","
                + "\"server_url\":\"https://parts.example.org/mcp\",\"allowed_tools\":[\"find_part\",\"reserve_part\"],"
                + "\"require_approval\":\"never\",\"headers\":{\"Authorization\":{\"env\":\"PARTS_AUTHORIZATION\"}}},"
                + "{\"type\":\"web_search\"}]");

        assertThat(node(r, "screen").toString()).isEqualTo("{\"id\":\"screen\",\"type\":\"guardrails\","
                + "\"input\":\"{{ workflow.input_as_text }}\",\"checks\":[{\"kind\":\"jailbreak\"},"
                + "{\"kind\":\"pii\",\"entities\":[\"email\",\"credit_card\"]}]}");
        assertThat(node(r, "approval").get("message").asText()).isEqualTo("Book an urgent repair for {{ workflow.input_as_text }}?");
        assertThat(node(r, "filesearch").toString()).isEqualTo("{\"id\":\"filesearch\",\"type\":\"file_search\","
                + "\"knowledge_bases\":[\"bike-faq\"],\"query\":\"opening hours {{ state.shop_name }}\",\"max_results\":3}");
        assertThat(node(r, "end3").get("values").toString())
                .isEqualTo("{\"message\":\"parts_desk.output_text\",\"wheel\":\"sorter.output_parsed.bike.wheel_inches\"}");
        assertThat(node(r, "end4").get("values").toString()).isEqualTo("{\"results\":\"filesearch.output_parsed.results\"}");

        // The one line the export would never write is an error at its line; nothing else stops the import.
        assertThat(r.report().errors()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("line 229");
            assertThat(e.message()).contains("print(parts_desk_result)");
        });
        assertThat(r.report().warnings()).anySatisfy(w -> {
            assertThat(w.source()).isEqualTo("line 134");
            assertThat(w.message()).contains("SHOP_OPENING_HOUR");
        });
        assertThat(r.report().warnings()).anySatisfy(w -> {
            assertThat(w.source()).isEqualTo("line 244");
            assertThat(w.message()).contains("max_iterations".equals("") ? "" : "fixed number of rounds");
        });
        assertThat(r.report().warnings()).anySatisfy(w -> assertThat(w.message()).contains("US_BANK_NUMBER".isEmpty()
                ? "" : "PARTS_AUTHORIZATION"));
        assertThat(AgentsSdkCorpusTest.problems(r)).isEmpty();
    }

    @Test
    void typeScriptExportBecomesTheSameGraph() throws IOException {
        String source = fixture("bike_shop.ts");
        assertThat(AgentsSdkCode.detect(source)).isEqualTo(AgentsSdkCode.Language.TYPESCRIPT);
        ImportResult r = AgentsSdkCode.convert(source);
        assertThat(r.workflow().get("id").asText()).isEqualTo("wf_bike_shop_desk_ts");
        assertThat(ids(r)).containsExactly("start/start", "sorter/agent", "set_state/set_state", "if_else/if_else",
                "approval/user_approval", "mechanic/agent", "end/end", "end1/end", "parts_desk/agent", "end2/end",
                "transform/transform", "end3/end");
        assertThat(edges(r)).containsExactly("start->sorter", "sorter->set_state", "set_state->if_else",
                "if_else:case-0->approval", "approval:approved->mechanic", "mechanic->end", "approval:rejected->end1",
                "if_else:case-1->parts_desk", "parts_desk->end2", "if_else:else->transform", "transform->end3");
        assertThat(node(r, "if_else").get("conditions").get(1).get("expression").asText())
                .isEqualTo("sorter.output_parsed.topic != \"other\" && !sorter.output_parsed.urgent");
        assertThat(node(r, "sorter").get("output_schema").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"topic\":{\"type\":\"string\",\"enum\":[\"repair\",\"parts\",\"other\"]},\"urgent\":{\"type\":"
                + "\"boolean\"},\"note\":{\"type\":\"string\"}},\"required\":[\"topic\",\"urgent\"],"
                + "\"additionalProperties\":false}");
        assertThat(node(r, "sorter").get("instructions").asText()).isEqualTo("Sort the cyclist's message\ninto repair, parts or other.");
        assertThat(node(r, "mechanic").get("instructions").asText()).isEqualTo("You are the mechanic at {{ state.shop_name }}.");
        assertThat(node(r, "mechanic").get("tools").get(0).toString()).isEqualTo("{\"type\":\"function\","
                + "\"name\":\"bookServiceSlot\",\"description\":\"Reserve a workshop slot for a repair\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"day\":{\"type\":\"string\"},\"hours\":{\"type\":\"integer\"}},"
                + "\"required\":[\"day\",\"hours\"],\"additionalProperties\":false},\"runs_on\":\"client\"}");
        assertThat(node(r, "parts_desk").get("tools").toString()).isEqualTo("[{\"type\":\"mcp\",\"server_label\":"
                + "\"parts\",\"server_url\":\"https://parts.example.org/mcp\",\"allowed_tools\":[\"find_part\"],"
                + "\"require_approval\":\"always\"}]");
        assertThat(node(r, "parts_desk").get("model_settings").toString())
                .isEqualTo("{\"temperature\":0.3,\"top_p\":0.9,\"max_output_tokens\":800}");
        assertThat(node(r, "approval").get("message").asText()).isEqualTo("Book a repair at {{ state.shop_name }}?");
        assertThat(node(r, "end2").get("values").toString())
                .isEqualTo("{\"message\":\"parts_desk.output_text\",\"visits\":\"state.visits\"}");
        assertThat(node(r, "end3").get("values").toString())
                .isEqualTo("{\"topic\":\"transform.output_parsed.topic\",\"shop\":\"transform.output_parsed.shop\"}");
        assertThat(r.report().errors()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("line 177");
            assertThat(e.message()).contains("for (const line of");
        });
        assertThat(AgentsSdkCorpusTest.problems(r)).isEmpty();
    }

    @Test
    void unreadableCodeIsRefusedAtItsLine() {
        ImportResult r = AgentsSdkCode.convert("from agents import Agent\n\nagent = Agent(\n  name=\"A\n)\n");
        assertThat(r.workflow()).isNull();
        assertThat(r.report().errors()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("line 4");
            assertThat(e.message()).contains("never closed");
        });
    }

    @Test
    void codeWithoutRunFunctionIsRefused() {
        ImportResult r = AgentsSdkCode.convert("from agents import Agent\nagent = Agent(name=\"A\", instructions=\"hi\")\n");
        assertThat(r.workflow()).isNull();
        assertThat(r.report().errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("no `run_workflow` function"));
    }

    private static final String PREAMBLE = """
            from agents import Agent, Runner
            from pydantic import BaseModel

            class WorkflowInput(BaseModel):
              input_as_text: str

            async def run_workflow(workflow_input: WorkflowInput):
              state = {
                "count": 0
              }
              workflow = workflow_input.model_dump()
            """;

    @Test
    void emptyBranchesEndTheRunAndAreReported() {
        ImportResult r = AgentsSdkCode.convert(PREAMBLE + """
                  if workflow["input_as_text"] == "hi":

                  elif state["count"] > 2:
                    state["count"] = state["count"] + 1.0
                  else:
                """);
        assertThat(edges(r)).containsExactly("start->if_else", "if_else:case-1->set_state", "if_else:case-0->end",
                "set_state->end1", "if_else:else->end2");
        assertThat(node(r, "if_else").get("conditions").get(0).get("expression").asText())
                .isEqualTo("workflow.input_as_text == \"hi\"");
        assertThat(r.report().warnings()).anySatisfy(w -> {
            assertThat(w.source()).isEqualTo("line 12");
            assertThat(w.message()).contains("`case-0` branch of `if_else` is empty");
        });
        assertThat(r.report().errors()).isEmpty();
        assertThat(AgentsSdkCorpusTest.problems(r)).isEmpty();
    }

    @Test
    void whatParleyCannotDoIsAnErrorAtItsLine() {
        ImportResult r = AgentsSdkCode.convert("""
                from agents import Agent, Runner, CodeInterpreterTool
                from pydantic import BaseModel
                code_tool = CodeInterpreterTool(tool_config={"type": "code_interpreter"})
                helper = Agent(name="Helper", instructions="Help.", model="gpt-5", tools=[code_tool], handoffs=[])
                check_config = {
                  "guardrails": [
                    {"name": "URL Filter", "config": {}}
                  ]
                }

                class WorkflowInput(BaseModel):
                  input_as_text: str

                async def run_workflow(workflow_input: WorkflowInput):
                  workflow = workflow_input.model_dump()
                  check_inputtext = workflow["input_as_text"]
                  check_result = await run_guardrails(ctx, check_inputtext, "text/plain", instantiate_guardrails(load_config_bundle(check_config)), suppress_tripwire=True)
                  check_hastripwire = guardrails_has_tripwire(check_result)
                  if check_hastripwire:
                    return None
                  for item in workflow["input_as_text"]:
                    pass
                  helper_result_temp = await Runner.run(helper, input=[{"role": "user", "content": [{"type": "input_text", "text": f"Say {len(workflow['input_as_text'])} things"}]}])
                  helper_result = {"output_text": helper_result_temp.final_output_as(str)}
                  state["missing"] = helper_result_temp.final_output
                  return helper_result
                """);
        List<String> errors = r.report().errors().stream().map(e -> e.source() + ": " + e.message()).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("line 3: agent `helper`: Parley has no `CodeInterpreterTool` tool"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("line 4: agent `helper`: `handoffs`"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("line 7: guardrails `check`: Parley has no check like Agent Builder's `URL Filter`"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("line 21: this statement could not be read")
                .contains("for item in"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("line 25: the assignment to state `missing` has no CEL equivalent"));
        // A hole the model prompt can carry: len() is CEL's size().
        assertThat(node(r, "helper").get("user_prompt").asText()).isEqualTo("Say {{ size(workflow.input_as_text) }} things");
        assertThat(node(r, "helper").get("include_chat_history").asBoolean()).isFalse();
        // The guardrails test with nothing on its pass branch runs on to the agent.
        assertThat(edges(r)).contains("check:fail->end", "check:pass->helper", "helper->end1");
        for (Problem p : AgentsSdkCorpusTest.problems(r)) {
            assertThat(r.report().errors()).anySatisfy(e -> assertThat(e.message()).contains(p.message()));
        }
    }

    @Test
    void pydanticFieldsBecomeJsonSchema() {
        ImportResult r = AgentsSdkCode.convert("""
                from agents import Agent, Runner
                from pydantic import BaseModel, Field
                from typing import Literal, Optional

                class VerdictSchema(BaseModel):
                  label: Literal["spam", "ham"]
                  reason: str = Field(..., description="Why, in one sentence")
                  score: Optional[float] = None
                  tags: dict[str, int]

                judge = Agent(name="Judge", instructions="Judge it.", model="gpt-5", output_type=VerdictSchema)

                class WorkflowInput(BaseModel):
                  input_as_text: str

                async def run_workflow(workflow_input: WorkflowInput):
                  workflow = workflow_input.model_dump()
                  judge_result_temp = await Runner.run(judge, input=[{"role": "user", "content": [{"type": "input_text", "text": workflow["input_as_text"]}]}])
                  judge_result = {"output_text": judge_result_temp.final_output.json(), "output_parsed": judge_result_temp.final_output.model_dump()}
                  if judge_result["output_parsed"]["label"] == "spam" or not judge_result["output_parsed"]["label"] in ["ham"]:
                    return {"message": "Spam: " + judge_result["output_parsed"]["reason"]}
                  return {"message": judge_result["output_parsed"]["reason"] if judge_result["output_parsed"]["score"] != None else "no score"}
                """);
        assertThat(node(r, "judge").get("output_schema").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"label\":{\"enum\":[\"spam\",\"ham\"],\"type\":\"string\"},\"reason\":{\"type\":\"string\","
                + "\"description\":\"Why, in one sentence\"},\"score\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]},"
                + "\"tags\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}},"
                + "\"required\":[\"label\",\"reason\",\"tags\"],\"additionalProperties\":false}");
        assertThat(node(r, "judge").get("user_prompt").asText()).isEqualTo("{{ workflow.input_as_text }}");
        assertThat(node(r, "if_else").get("conditions").get(0).get("expression").asText()).isEqualTo(
                "judge.output_parsed.label == \"spam\" || !(judge.output_parsed.label in [\"ham\"])");
        assertThat(node(r, "end").get("values").get("message").asText())
                .isEqualTo("\"Spam: \" + judge.output_parsed.reason");
        assertThat(node(r, "end1").get("values").get("message").asText()).isEqualTo(
                "judge.output_parsed.score != null ? judge.output_parsed.reason : \"no score\"");
        assertThat(edges(r)).containsExactly("start->judge", "judge->if_else", "if_else:case-0->end", "if_else:else->end1");
    }

    @Test
    void definedButUnrunAgentsAndEmptyRunsAreReported() {
        ImportResult r = AgentsSdkCode.convert("""
                from agents import Agent
                from pydantic import BaseModel
                lonely = Agent(name="Lonely", instructions="", model="gpt-5")

                class WorkflowInput(BaseModel):
                  input_as_text: str

                async def run_workflow(workflow_input: WorkflowInput):
                  workflow = workflow_input.model_dump()
                """);
        assertThat(r.report().warnings()).anySatisfy(w -> {
            assertThat(w.source()).isEqualTo("line 3");
            assertThat(w.message()).contains("`lonely` is defined but never run");
        });
        assertThat(r.report().errors()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo("line 8");
            assertThat(e.message()).contains("does nothing");
        });
    }
}
