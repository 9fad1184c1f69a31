package dev.parley.workflow.engine;

import static dev.parley.workflow.engine.CorpusToolsHarness.clientOutput;
import static dev.parley.workflow.engine.CorpusToolsHarness.create;
import static dev.parley.workflow.engine.CorpusToolsHarness.document;
import static dev.parley.workflow.engine.CorpusToolsHarness.lastUserInput;
import static dev.parley.workflow.engine.CorpusToolsHarness.messages;
import static dev.parley.workflow.engine.CorpusToolsHarness.path;
import static dev.parley.workflow.engine.CorpusToolsHarness.progress;
import static dev.parley.workflow.engine.CorpusToolsHarness.reply;
import static dev.parley.workflow.engine.CorpusToolsHarness.say;
import static dev.parley.workflow.engine.CorpusToolsHarness.span;
import static dev.parley.workflow.engine.CorpusToolsHarness.streamed;
import static dev.parley.workflow.engine.CorpusToolsHarness.threadId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.parley.model.echo.EchoProvider;
import dev.parley.model.openai.StandInHostedTools;
import dev.parley.model.openai.StandInHostedTools.UrlCitation;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.model.openai.StandInToolCalls;
import dev.parley.model.openai.StandInToolCalls.Call;
import dev.parley.protocol.Annotation;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.tools.LoopbackServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent Builder corpus workflows whose agents call tools, as Parley documents ({@code corpus-tools/}), run end to
 * end: the real dispatcher, engine and SQLite file, the OpenAI provider against the stand-in (which replays the
 * Responses API's function calls and hosted web search), and webhooks on a real loopback backend.
 *
 * <ul>
 *   <li>{@code core_nodes__agent__agent_with_tools__function_tool_with_multi_instructions}: Agent Builder's
 *       function tool has no runtime of its own (the exported code's {@code get_weather} is a stub), so in Parley
 *       it is a webhook; the same tool with {@code runs_on: client} is checked too, pausing for the browser.</li>
 *   <li>{@code templates__planning_helper}: the planner's {@code web_search} goes to OpenAI as its hosted tool;
 *       Parley runs nothing itself, and the citations OpenAI returns become the reply's URL sources. The later
 *       agents read the chat history: only the thread's user and assistant messages (docs/workflows.md,
 *       "History"), which the test checks hold no triage JSON.</li>
 * </ul>
 *
 * The file search cases are in {@link CorpusToolsFileSearchTest}.
 */
class CorpusToolsTest {
    static final String WEATHER = "core_nodes__agent__agent_with_tools__function_tool_with_multi_instructions";
    static final String PLANNER = "templates__planning_helper";
    static final String WEATHER_URL = "https://weather.example.com/parley/get-weather";
    static final String PORTO = "{\"location\":\"Porto, Portugal\",\"temperature\":14,\"unit\":\"c\",\"sky\":\"light rain\"}";

    @TempDir Path dir;
    CorpusToolsHarness h;

    @BeforeEach
    void start() {
        h = new CorpusToolsHarness(dir, null, exchange -> LoopbackServer.answer(exchange, 200, PORTO));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The weather document with its webhook pointed at the loopback backend. */
    String weatherDocument() {
        return document(WEATHER).replace(WEATHER_URL, h.backend.url("/get-weather").toString());
    }

    @Test
    void theWeatherAgentCallsItsWebhookAndAnswersFromWhatTheBackendSaid() {
        assertThat(h.workflows.publish(weatherDocument()).warnings()).isEmpty();
        ChatKitServer server = h.server("wf_corpus_weather_tool");
        h.openai.then(StandInToolCalls.responsesCalling(new Call("call_weather_1", "get_weather",
                        "{\"location\":\"Porto, ", "Portugal\",\"unit\":\"c\"}")),
                StandInOpenAi.responsesStream("It is 14 °C with light rain in Porto: ", "take a rain jacket."));

        var events = create(server, "What's the weather like in Porto today?");
        String thread = threadId(events);

        var requests = h.openai.requests();
        assertThat(requests).hasSize(2);
        JsonNode first = requests.get(0).json();
        assertThat(first.path("model").asText()).isEqualTo("gpt-5");
        assertThat(first.path("reasoning").path("effort").asText()).isEqualTo("low");
        // The case's extra turns: the assistant's one in the instructions, the user's ones after the message.
        assertThat(first.path("instructions").asText()).contains("never guess it").contains("short and practical");
        assertThat(lastUserInput(first)).isEqualTo("What's the weather like in Porto today?\n\nTell me what to wear or bring."
                + "\n\nAnswer in the unit I asked for; if I did not name one, use Celsius.");
        assertThat(first.path("tools")).singleElement().satisfies(tool -> {
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.path("name").asText()).isEqualTo("get_weather");
            assertThat(tool.path("strict").asBoolean()).isTrue();
            assertThat(tool.path("parameters").path("properties").path("unit").path("enum").toString()).isEqualTo("[\"c\",\"f\"]");
        });

        // The backend got exactly the model's arguments, signed and tied to the thread.
        assertThat(h.backend.received).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/get-weather");
            assertThat(ChatKitJson.readStorage(new String(r.body(), StandardCharsets.UTF_8), JsonNode.class))
                    .isEqualTo(ChatKitJson.readStorage("{\"location\":\"Porto, Portugal\",\"unit\":\"c\"}", JsonNode.class));
            assertThat(r.headers().getFirst("Parley-Tool")).isEqualTo("get_weather");
            assertThat(r.headers().getFirst("Parley-Thread")).isEqualTo(thread);
            assertThat(r.headers().getFirst("Parley-Signature")).startsWith("v1=");
        });
        // Its answer went back to the model as the call's output, after the call itself.
        JsonNode second = requests.get(1).json();
        assertThat(AgencyWithToolsTest.outputOf(second, "call_weather_1")).isEqualTo(PORTO);
        assertThat(second.path("tools").findValuesAsText("name")).containsExactly("get_weather");

        assertThat(reply(events).text()).isEqualTo("It is 14 °C with light rain in Porto: take a rain jacket.");
        assertThat(streamed(events)).isEqualTo(reply(events).text());
        assertThat(progress(events)).containsSubsequence("Checking the weather", "Calling get_weather…");

        JsonNode trace = h.trace("wf_corpus_weather_tool");
        assertThat(trace.path("status").asText()).isEqualTo("completed");
        assertThat(path(trace)).containsExactly("start", "weather_agent", "done");
        JsonNode call = span(trace, "weather_agent").path("tool_calls").get(0);
        assertThat(call.path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("runs_on").asText()).isEqualTo("server");
        assertThat(call.path("status").asText()).isEqualTo("ok");
        assertThat(call.path("arguments").path("location").asText()).isEqualTo("Porto, Portugal");
        assertThat(call.path("arguments").path("unit").asText()).isEqualTo("c");
        assertThat(call.path("result").asText()).isEqualTo(PORTO);
        assertThat(span(trace, "weather_agent").path("tool_calls")).hasSize(1);
    }

    @Test
    void argumentsOutsideTheToolsSchemaNeverReachTheBackendAndTheModelCorrectsThem() {
        h.workflows.publish(weatherDocument());
        ChatKitServer server = h.server("wf_corpus_weather_tool");
        h.openai.then(StandInToolCalls.responsesCalling(new Call("call_k", "get_weather", "{\"location\":\"Porto\",\"unit\":\"kelvin\"}")),
                StandInToolCalls.responsesCalling(new Call("call_c", "get_weather", "{\"location\":\"Porto\",\"unit\":\"c\"}")),
                StandInOpenAi.responsesStream("14 °C and light rain."));

        var events = create(server, "How warm is it in Porto, in kelvin?");

        assertThat(h.backend.received).singleElement().satisfies(r ->
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"unit\":\"c\""));
        var requests = h.openai.requests();
        assertThat(requests).hasSize(3);
        // The model is told what was wrong (the enum) and that nothing was called.
        assertThat(AgencyWithToolsTest.outputOf(requests.get(1).json(), "call_k")).contains("was not called").contains("/unit");
        assertThat(AgencyWithToolsTest.outputOf(requests.get(2).json(), "call_c")).isEqualTo(PORTO);
        assertThat(reply(events).text()).isEqualTo("14 °C and light rain.");
        JsonNode calls = span(h.trace("wf_corpus_weather_tool"), "weather_agent").path("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(calls.get(0).path("arguments").path("unit").asText()).isEqualTo("kelvin");
        assertThat(calls.get(1).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void asAClientToolTheCallPausesForTheBrowserAndItsOutputResumesTheAgent() {
        // The same document with get_weather answered by the page (e.g. from the browser's location) instead.
        ObjectNode doc = (ObjectNode) ChatKitJson.readStorage(document(WEATHER), JsonNode.class);
        doc.put("id", "wf_corpus_weather_client");
        ObjectNode tool = (ObjectNode) doc.path("nodes").get(1).path("tools").get(0);
        tool.put("runs_on", "client");
        tool.remove(List.of("url", "timeout_ms"));
        assertThat(h.workflows.publish(doc.toString()).warnings()).isEmpty();
        ChatKitServer server = h.server("wf_corpus_weather_client");
        h.openai.then(StandInToolCalls.responsesCalling(new Call("call_here", "get_weather",
                        "{\"location\":\"Porto, Portugal\",\"unit\":\"c\"}")),
                StandInOpenAi.responsesStream("Light rain and 14 °C where you are: ", "bring an umbrella."));

        var first = create(server, "Do I need an umbrella here?");
        String thread = threadId(first);
        ThreadItem.ClientToolCall call = first.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.ClientToolCall)
                .map(e -> (ThreadItem.ClientToolCall) ((ThreadStreamEvent.ItemDone) e).item()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).isEqualTo("call_here");
        assertThat(call.status()).isEqualTo(ThreadItem.ClientToolCall.PENDING);
        assertThat(call.arguments().path("location").asText()).isEqualTo("Porto, Portugal");
        assertThat(h.openai.requests()).hasSize(1);
        assertThat(h.backend.received).isEmpty();
        assertThat(h.trace("wf_corpus_weather_client").path("status").asText()).isEqualTo("paused");
        assertThat(first).noneMatch(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage);

        var second = clientOutput(server, thread, PORTO);

        var requests = h.openai.requests();
        assertThat(requests).hasSize(2);
        JsonNode resumed = requests.get(1).json();
        assertThat(AgencyWithToolsTest.outputOf(resumed, "call_here")).isEqualTo(PORTO);
        // The resumed request is the paused one: same instructions, prompt and tools.
        assertThat(resumed.path("instructions")).isEqualTo(requests.get(0).json().path("instructions"));
        assertThat(lastUserInput(resumed)).startsWith("Do I need an umbrella here?");
        assertThat(resumed.path("tools").findValuesAsText("name")).containsExactly("get_weather");
        assertThat(reply(second).text()).isEqualTo("Light rain and 14 °C where you are: bring an umbrella.");
        assertThat(h.backend.received).isEmpty();

        JsonNode trace = h.trace("wf_corpus_weather_client");
        assertThat(trace.path("status").asText()).isEqualTo("completed");
        List<JsonNode> calls = trace.path("nodes").findValues("tool_calls").stream()
                .flatMap(a -> StreamSupport.stream(a.spliterator(), false)).toList();
        assertThat(calls).extracting(c -> c.path("runs_on").asText()).containsOnly("client");
        assertThat(calls).extracting(c -> c.path("status").asText()).containsExactly("waiting", "ok");
        assertThat(calls.get(1).path("result").asText()).isEqualTo(PORTO);
    }

    @Test
    void thePlannerAsksForWhatIsMissingThenSearchesTheWebAndCitesWhatItFound() {
        assertThat(h.workflows.publish(document(PLANNER)).warnings()).isEmpty();
        ChatKitServer server = h.server("wf_corpus_planning_helper");

        // Turn 1: only the goal is given, so the triage sends the run to the agent that asks for the rest.
        h.openai.then(StandInOpenAi.responsesJson("{\"has_all_details\":false,\"initiative_goal\":\"a customer referral "
                        + "programme\",\"target_timeframe\":\"\",\"current_resources\":\"\"}"),
                StandInOpenAi.responsesStream("When should it be live, ", "and who and what budget can work on it?"));
        var first = create(server, "We want to launch a customer referral programme.");
        String thread = threadId(first);
        assertThat(reply(first).text()).isEqualTo("When should it be live, and who and what budget can work on it?");
        assertThat(progress(first)).containsSubsequence("Triage", "Get data");
        JsonNode triage1 = h.openai.requests().get(0).json();
        assertThat(triage1.path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(triage1.path("reasoning").path("effort").asText()).isEqualTo("minimal");
        assertThat(triage1.has("tools")).isFalse();
        JsonNode ask = h.openai.requests().get(1).json();
        assertThat(ask.path("model").asText()).isEqualTo("gpt-5");
        assertThat(ask.path("tools").isEmpty()).isTrue();
        JsonNode trace1 = h.trace("wf_corpus_planning_helper");
        assertThat(path(trace1)).containsExactly("start", "triage", "details_complete", "get_data", "ask_end");
        assertThat(span(trace1, "details_complete").path("branch").asText()).isEqualTo("else");

        // Turn 2: the rest arrives; the triage reads the whole conversation and the planner searches the web.
        h.openai.then(StandInOpenAi.responsesJson("{\"has_all_details\":true,\"initiative_goal\":\"a customer referral "
                        + "programme\",\"target_timeframe\":\"end of March\",\"current_resources\":\"two marketers, 5000 euros\"}"),
                StandInHostedTools.reply()
                        .webSearch("customer referral programme launch best practices")
                        .say("- Start with your most loyal customers and reward both sides. ",
                                new UrlCitation("https://example.org/referral-programmes", "Referral programmes that work"))
                        .say("- Risk: rewards that cost more than a customer brings; cap them per person.")
                        .stream());
        var second = say(server, thread, "By the end of March, with two marketers and a 5000 euro budget.");

        var requests = h.openai.requests();
        assertThat(requests).hasSize(4);
        assertThat(messages(requests.get(2).json())).containsExactly(
                "user: We want to launch a customer referral programme.",
                "assistant: When should it be live, and who and what budget can work on it?",
                "user: By the end of March, with two marketers and a 5000 euro budget.");
        JsonNode plan = requests.get(3).json();
        assertThat(plan.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(plan.path("tools")).singleElement().satisfies(t -> assertThat(t.path("type").asText()).isEqualTo("web_search"));
        assertThat(plan.path("max_output_tokens").asInt()).isEqualTo(2048);
        assertThat(plan.path("temperature").asDouble()).isEqualTo(1.0);
        assertThat(plan.path("top_p").asDouble()).isEqualTo(1.0);
        assertThat(plan.has("reasoning")).isFalse();
        assertThat(lastUserInput(plan)).isEqualTo("Goal: a customer referral programme\nTimeframe: end of March\n"
                + "Resources: two marketers, 5000 euros\n\nMy last message: By the end of March, with two marketers and a 5000 euro budget.");
        assertThat(messages(plan)).hasSize(3).first().isEqualTo("user: We want to launch a customer referral programme.");
        // The triage's JSON never enters the history the later agents read.
        assertThat(messages(plan)).noneMatch(m -> m.contains("has_all_details"));
        assertThat(messages(requests.get(1).json())).noneMatch(m -> m.contains("has_all_details"));

        ThreadItem.AssistantMessage answer = reply(second);
        assertThat(answer.text()).isEqualTo("- Start with your most loyal customers and reward both sides. "
                + "- Risk: rewards that cost more than a customer brings; cap them per person.");
        assertThat(streamed(second)).isEqualTo(answer.text());
        assertThat(answer.content().getFirst().annotations()).extracting(Annotation::source)
                .containsExactly(new Annotation.Source.Url("Referral programmes that work", null, null, null,
                        "https://example.org/referral-programmes", null));
        assertThat(progress(second)).containsSubsequence("Triage", "Launch helper", "Searching the web…");

        JsonNode trace2 = h.trace("wf_corpus_planning_helper");
        assertThat(path(trace2)).containsExactly("start", "triage", "details_complete", "launch_helper", "plan_end");
        assertThat(span(trace2, "details_complete").path("branch").asText()).isEqualTo("complete");
        assertThat(span(trace2, "triage").path("output").path("target_timeframe").asText()).isEqualTo("end of March");
        JsonNode planner = span(trace2, "launch_helper");
        assertThat(planner.path("sources")).singleElement().satisfies(s ->
                assertThat(s.asText()).isEqualTo("https://example.org/referral-programmes"));
        // OpenAI ran the search inside its response: no call of Parley's own is traced.
        assertThat(planner.path("tool_calls")).isEmpty();
    }

    @Test
    void everyCorpusToolsDocumentMatchesTheEditorSchema() throws Exception {
        Path folder = Path.of(CorpusToolsTest.class.getResource("/corpus-tools").toURI());
        List<Path> documents;
        try (var files = Files.list(folder)) {
            documents = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(documents).hasSize(7);
        var registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema schema;
        try (var in = CorpusToolsTest.class.getResourceAsStream("/workflow.schema.json")) {
            schema = registry.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        }
        for (Path doc : documents) {
            assertThat(schema.validate(Files.readString(doc), InputFormat.JSON)).as(doc.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void thePlannerIsRefusedOnAProviderThatCannotSearchTheWeb() {
        var echo = new Workflows(h.store.storage().workflows(), Toolbox.none(new EchoProvider()), "srv_echo");
        assertThatThrownBy(() -> echo.publish(document(PLANNER)))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("launch_helper")
                .hasMessageContaining("web_search");
        assertThat(h.store.storage().workflows().latest("wf_corpus_planning_helper")).isEmpty();
    }
}
