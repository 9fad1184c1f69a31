package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.model.openai.StandInToolCalls;
import dev.parley.model.openai.StandInToolCalls.Call;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.tools.LoopbackServer;
import dev.parley.workflow.tools.WebhookPolicy;
import dev.parley.workflow.tools.Webhooks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/examples/agency-with-tools.json — the seed assistant with file search over the {@code agency} knowledge base
 * and a discovery-call webhook — on the OpenAI provider against the stand-in, which replays Responses function
 * calls: the model searches, books, then answers, and the reply cites the documents the search found.
 */
class AgencyWithToolsTest {
    static final String CLASSIFIED = "{\"category\":\"general_inquiry\",\"confidence\":0.9,\"reason\":\"pricing\"}";

    @TempDir Path dir;
    StandInOpenAi openai;
    OpenAiProvider provider;
    LoopbackServer backend;
    Webhooks webhooks;
    KnowledgeBases knowledge;
    SqliteStore store;
    ChatKitServer server;

    @BeforeEach
    void start() throws Exception {
        openai = StandInOpenAi.start();
        provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
        backend = new LoopbackServer(ex -> LoopbackServer.answer(ex, 200, "{\"booked\":\"Tuesday 10:00\"}"));
        webhooks = new Webhooks(WebhookPolicy.of(List.of(backend.hostEntry()), AgentToolsRunTest.KEY.getBytes(StandardCharsets.UTF_8)));
        knowledge = KnowledgeBases.open(null, dir.resolve("embeddings"));
        store = SqliteStore.open(dir.resolve("parley.db"));
        var workflows = new Workflows(store.storage().workflows(), new Toolbox(provider, webhooks, knowledge, null, null, null), "srv_t");
        String example = Files.readString(Path.of("..", "docs", "examples", "agency-with-tools.json"))
                .replace("https://api.example.com/parley/discovery-call", backend.url("/discovery-call").toString());
        workflows.publish(example);
        server = ChatKitServer.builder().store(store).responder(workflows.responder("wf_agency_tools")).build();
    }

    @AfterEach
    void stop() {
        store.close();
        webhooks.close();
        backend.close();
        provider.close();
        openai.close();
    }

    @Test
    void theAgentSearchesBooksAndAnswersCitingTheKnowledgeBase() {
        openai.then(StandInOpenAi.responsesJson(CLASSIFIED),
                StandInToolCalls.responsesCalling(new Call("call_search", "file_search", "{\"query\":", "\"how much does a website cost\"}")),
                StandInToolCalls.responsesCalling(new Call("call_book", "book_discovery_call",
                        "{\"email\":\"ana@example.com\",\"topic\":\"a new website\"}")),
                StandInOpenAi.responsesStream("Websites start at a fixed price; ", "I booked your call for Tuesday 10:00."));
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + "\"How much is a website? Book me a call, ana@example.com\"}],\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1"))).body().writeTo(events::add);

        var requests = openai.requests();
        assertThat(requests).hasSize(4);
        JsonNode firstAgentCall = requests.get(1).json();
        assertThat(firstAgentCall.path("tools").findValuesAsText("name")).contains("file_search", "book_discovery_call");
        // The search ran in Parley, over the agency base, and its passages went back to the model with their sources.
        JsonNode secondAgentCall = requests.get(2).json();
        String searchOutput = outputOf(secondAgentCall, "call_search");
        assertThat(searchOutput).contains("\"source\":\"agency/");
        assertThat(backend.received).singleElement().satisfies(r ->
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("ana@example.com"));
        assertThat(outputOf(requests.get(3).json(), "call_book")).isEqualTo("{\"booked\":\"Tuesday 10:00\"}");

        assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new ThreadStreamEvent.ProgressUpdate(null, "Searching the knowledge base…")));
        ThreadItem.AssistantMessage reply = events.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage)
                .map(e -> (ThreadItem.AssistantMessage) ((ThreadStreamEvent.ItemDone) e).item()).reduce((a, b) -> b).orElseThrow();
        assertThat(reply.text()).isEqualTo("Websites start at a fixed price; I booked your call for Tuesday 10:00.");
        assertThat(ChatKitJson.writeStorage(reply)).contains("agency/");
    }

    /** {@return the output Parley sent back for {@code callId} in a Responses request's input} */
    static String outputOf(JsonNode request, String callId) {
        for (JsonNode item : request.path("input")) {
            if (item.path("type").asText().equals("function_call_output") && item.path("call_id").asText().equals(callId)) {
                return item.path("output").asText();
            }
        }
        throw new AssertionError("no output for " + callId + " in " + request.path("input"));
    }

    @Test
    void aVectorStoreFileSearchIsPassedThroughToOpenAiAndItsFilesAreCited() {
        var workflows = new Workflows(store.storage().workflows(), new Toolbox(provider, null, null, null, null, null), "srv_t");
        workflows.publish("""
            {"id": "wf_vs", "name": "Handbook", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "handbook", "type": "agent", "instructions": "Answer from the handbook.",
               "tools": [{"type": "file_search", "vector_store_id": "vs_handbook_2026", "max_results": 3}]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__handbook.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "handbook"}, {"from": "handbook", "to": "done"}]}
            """);
        openai.then(dev.parley.model.openai.StandInHostedTools.reply().fileSearch("holiday allowance")
                .say("You get 28 days a year.", new dev.parley.model.openai.StandInHostedTools.FileCitation("file-abc", "handbook.pdf"))
                .stream());
        var vs = ChatKitServer.builder().store(store).responder(workflows.responder("wf_vs")).build();
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + "\"How many holidays do I get?\"}],\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) vs.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u2"))).body().writeTo(events::add);

        JsonNode tool = openai.requests().getFirst().json().path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("file_search");
        assertThat(tool.path("vector_store_ids").get(0).asText()).isEqualTo("vs_handbook_2026");
        assertThat(tool.path("max_num_results").asInt()).isEqualTo(3);
        assertThat(events).contains(new ThreadStreamEvent.ProgressUpdate(null, "Searching the files…"));
        ThreadItem.AssistantMessage reply = events.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage)
                .map(e -> (ThreadItem.AssistantMessage) ((ThreadStreamEvent.ItemDone) e).item()).findFirst().orElseThrow();
        assertThat(reply.text()).isEqualTo("You get 28 days a year.");
        assertThat(ChatKitJson.writeStorage(reply)).contains("handbook.pdf");
    }
}
