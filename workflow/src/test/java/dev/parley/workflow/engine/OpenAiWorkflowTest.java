package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed workflow on the real OpenAI provider, against a stand-in OpenAI on loopback that replays the Responses
 * API's wire format: what a user sees when the model answers, when its stream is cut, and when the key is wrong.
 */
class OpenAiWorkflowTest {
    static final String CLASSIFIED = "{\"category\":\"website_build\",\"confidence\":0.93,\"reason\":\"a new site\"}";

    @TempDir Path dir;
    StandInOpenAi openai;
    OpenAiProvider provider;
    SqliteStore store;
    ChatKitServer server;

    @BeforeEach
    void start() {
        openai = StandInOpenAi.start();
        provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
        store = SqliteStore.open(dir.resolve("parley.db"));
        var workflows = new Workflows(store.storage().workflows(), provider);
        workflows.publishBundledSeed();
        server = ChatKitServer.builder().store(store).responder(workflows.responder(Workflows.SEED_ID)).build();
    }

    @AfterEach
    void stop() {
        store.close();
        provider.close();
        openai.close();
    }

    List<ThreadStreamEvent> ask(String text) {
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1"))).body().writeTo(events::add);
        return events;
    }

    static List<String> deltas(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemUpdated u && u.update() instanceof ThreadItemUpdate.TextDelta)
                .map(e -> ((ThreadItemUpdate.TextDelta) ((ThreadStreamEvent.ItemUpdated) e).update()).delta()).toList();
    }

    List<ThreadItem> stored(List<ThreadStreamEvent> events) {
        String thread = ((ThreadStreamEvent.ThreadCreated) events.getFirst()).thread().id();
        return store.loadItems("u1", thread, null, 50, Order.ASC).data();
    }

    @Test
    void theClassifierRoutesAndTheAgentStreamsItsReply() {
        openai.then(StandInOpenAi.responsesJson(CLASSIFIED), StandInOpenAi.responsesStream("Happy to ", "plan your ", "site."));
        List<ThreadStreamEvent> events = ask("We need a new website for our bakery");
        assertThat(deltas(events)).containsExactly("Happy to ", "plan your ", "site.");
        assertThat(events).noneMatch(e -> e instanceof ThreadStreamEvent.Error);

        JsonNode classify = openai.requests().get(0).json();
        assertThat(classify.path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(classify.path("model").asText()).isEqualTo("gpt-5-nano");
        JsonNode agent = openai.requests().get(1).json();
        assertThat(agent.path("stream").asBoolean()).isTrue();
        assertThat(agent.path("instructions").asText()).contains("assistant for websites");
        assertThat(agent.path("reasoning").path("effort").asText()).isEqualTo("low");
    }

    @Test
    void aStreamCutMidReplyKeepsThePartialTextAndOffersARetry() {
        openai.then(StandInOpenAi.responsesJson(CLASSIFIED), StandInOpenAi.responsesStreamCut(true, "We can ", "build "));
        List<ThreadStreamEvent> events = ask("We need a new website for our bakery");
        assertThat(deltas(events)).containsExactly("We can ", "build ");
        var error = (ThreadStreamEvent.Error) events.getLast();
        assertThat(error.allowRetry()).isTrue();
        assertThat(error.message()).isNotBlank().doesNotContain("Exception");
        // The user saw two pieces of the reply; they stay in the thread, as after a cancel.
        assertThat(stored(events)).filteredOn(i -> i instanceof ThreadItem.AssistantMessage)
                .singleElement().extracting(i -> ((ThreadItem.AssistantMessage) i).text()).isEqualTo("We can build ");
        JsonNode trace = ChatKitJson.readStorage(store.storage().workflows().recentTraces(Workflows.SEED_ID, 1).getFirst().document(), JsonNode.class);
        assertThat(trace.path("status").asText()).isEqualTo("failed");
        assertThat(trace.path("nodes").get(3).path("error").asText()).isNotBlank();
    }

    @Test
    void aWrongKeyTellsTheUserPlainlyAndTheOperatorExactly() {
        openai.then(StandInOpenAi.error(401, "Incorrect API key provided: sk-test.", "invalid_request_error", null, "invalid_api_key"));
        List<ThreadStreamEvent> events = ask("We need a new website for our bakery");
        var error = (ThreadStreamEvent.Error) events.getLast();
        assertThat(error.allowRetry()).isFalse();
        assertThat(error.message()).doesNotContain("sk-test").doesNotContain("401");
        assertThat(stored(events)).noneMatch(i -> i instanceof ThreadItem.AssistantMessage);
        JsonNode trace = ChatKitJson.readStorage(store.storage().workflows().recentTraces(Workflows.SEED_ID, 1).getFirst().document(), JsonNode.class);
        assertThat(trace.path("nodes").get(1).path("error").asText()).contains("401").contains("OPENAI_API_KEY");
    }
}
