package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ChatMessage;
import dev.parley.model.testing.KeywordModel;
import dev.parley.model.TextRequest;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.WorkflowStore;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's workflow, published and run through the real dispatcher against a real SQLite file. The model is
 * the model layer's test provider ({@link KeywordModel}).
 */
class WorkflowResponderTest {
    @TempDir Path dir;
    SqliteStore store;
    ChatKitServer server;
    final KeywordModel model = new KeywordModel();
    Workflows workflows;
    final List<TextRequest> textCalls = model.textRequests;

    @BeforeEach
    void publishSeed() throws IOException {
        store = SqliteStore.open(dir.resolve("parley.db"));
        String seed;
        try (var in = getClass().getResourceAsStream("/workflows/seed-agency.json")) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        workflows = new Workflows(store.storage().workflows(), model);
        workflows.publish(seed);
        server = ChatKitServer.builder().store(store)
                .responder(workflows.responder("wf_seed_agency")).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    List<ThreadStreamEvent> create(String text) {
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1")))
                .body().writeTo(events::add);
        return events;
    }

    @ParameterizedTest
    @CsvSource({
        "I need a landing page for my bakery, website_inquiry_agent",
        "We want a customer dashboard with logins, web_app_inquiry_agent",
        "Could you build a price calculator?, tool_inquiry_agent",
        "Connect our CRM to Zapier please, automation_inquiry_agent",
        "Can you maintain our old site?, maintenance_inquiry_agent",
        "What are your opening hours?, general_inquiry_agent",
    })
    void eachInquiryTakesItsRouteAndTheReplyStreams(String message, String agent) {
        List<ThreadStreamEvent> events = create(message);
        List<String> deltas = events.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemUpdated u && u.update() instanceof ThreadItemUpdate.TextDelta)
                .map(e -> ((ThreadItemUpdate.TextDelta) ((ThreadStreamEvent.ItemUpdated) e).update()).delta())
                .toList();
        assertThat(deltas).hasSize(3);
        var done = (ThreadStreamEvent.ItemDone) events.getLast();
        assertThat(ChatKitJson.writeStorage(done.item())).contains("Happy to help with your");
        assertThat(events).filteredOn(e -> e instanceof ThreadStreamEvent.ProgressUpdate).hasSize(2);
        assertThat(events).noneMatch(e -> e instanceof ThreadStreamEvent.Error);

        WorkflowStore.Trace trace = store.storage().workflows().recentTraces("wf_seed_agency", 1).getFirst();
        assertThat(trace.status()).isEqualTo("completed");
        JsonNode nodes = ChatKitJson.readStorage(trace.document(), JsonNode.class).path("nodes");
        List<String> route = new ArrayList<>();
        nodes.forEach(n -> route.add(n.path("node_id").asText()));
        assertThat(route).containsExactly("start", "project_inquiry_classification", "route_inquiry", agent,
                agent.replace("_agent", "_end"));
        assertThat(nodes.get(1).path("usage").path("input_tokens").asLong()).isEqualTo(30);
        assertThat(nodes.get(3).path("inputs").path("user_prompt").asText()).isEqualTo(message);
        assertThat(nodes.get(4).path("output").path("message").asText()).isEqualTo(
                String.join("", deltas));
    }

    @Test
    void aNewThreadsRunThatLeavesNoStateStoresItsTraceButNoStateRowAndTheNextTurnStillRuns() {
        List<ThreadStreamEvent> first = create("I need a landing page");
        String thread = ((ThreadStreamEvent.ThreadCreated) first.getFirst()).thread().id();
        var runs = store.storage().workflows();
        assertThat(runs.loadRunState("u1", thread)).as("an empty state is not written").isEmpty();
        assertThat(runs.recentTraces("wf_seed_agency", 1).getFirst().status()).isEqualTo("completed");

        String body = "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"What are your opening hours?\"}],"
                + "\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> next = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1")))
                .body().writeTo(next::add);
        assertThat(next).noneMatch(e -> e instanceof ThreadStreamEvent.Error);
        assertThat(runs.recentTraces("wf_seed_agency", 2)).extracting(WorkflowStore.Trace::status)
                .containsExactly("completed", "completed");
        // A turn on an older thread writes its state as before, empty or not.
        assertThat(runs.loadRunState("u1", thread)).hasValueSatisfying(s -> assertThat(s).contains("\"state\""));
    }

    @Test
    void aNewPublishIsPickedUpOnTheNextTurnAndHistoryHoldsOnlyTheConversation() throws IOException {
        create("I need a landing page");
        String seed;
        try (var in = getClass().getResourceAsStream("/workflows/seed-agency.json")) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Version 2 turns chat history on for the website agent.
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) ChatKitJson.readStorage(seed, JsonNode.class);
        doc.withArray("nodes").forEach(n -> {
            if (n.path("id").asText().equals("website_inquiry_agent")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("include_chat_history", true);
            }
        });
        workflows.publish(doc.toString());
        List<ThreadStreamEvent> first = create("Another landing page please");
        String thread = ((ThreadStreamEvent.ThreadCreated) first.getFirst()).thread().id();
        String body = "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"And a landing page for events\"}],"
                + "\"attachments\":[],\"inference_options\":{}}}}";
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1")))
                .body().writeTo(e -> {});
        TextRequest last = textCalls.getLast();
        assertThat(last.history()).containsExactly(
                ChatMessage.user("Another landing page please"),
                ChatMessage.assistant(KeywordModel.replyTo(last.instructions())));
        assertThat(store.storage().workflows().recentTraces("wf_seed_agency", 1).getFirst().version()).isEqualTo(2);
    }

    @Test
    void runsLeftRunningAreClosedAsInterruptedByTheirServerOrByAge() {
        create("We need a new website for our bakery");
        WorkflowStore.Trace finished = store.storage().workflows().recentTraces("wf_seed_agency", 1).getFirst();
        assertThat(finished.status()).isEqualTo("completed");
        assertThat(store.storage().workflows().runningTraces()).isEmpty();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        var runs = store.storage().workflows();
        runs.saveTrace(new WorkflowStore.Trace("run_mine", "wf_seed_agency", 1, "u", "thr_1", now, 0, "running",
                "{\"server\":\"" + workflows.serverId() + "\"}"));
        runs.saveTrace(new WorkflowStore.Trace("run_other_old", "wf_seed_agency", 1, "u", "thr_2",
                now.minus(java.time.Duration.ofHours(2)), 0, "running", "{\"server\":\"srv_0000000000000000\"}"));
        runs.saveTrace(new WorkflowStore.Trace("run_other_live", "wf_seed_agency", 1, "u", "thr_3", now, 0, "running",
                "{\"server\":\"srv_0000000000000000\"}"));

        assertThat(workflows.closeInterrupted(workflows.serverId(), now.minus(java.time.Duration.ofHours(1)))).isEqualTo(2);

        assertThat(runs.loadTrace("run_mine").orElseThrow().status()).isEqualTo("interrupted");
        assertThat(runs.loadTrace("run_other_old").orElseThrow().document()).contains("\"status\":\"interrupted\"")
                .contains("server stopped during this run");
        assertThat(runs.loadTrace("run_other_live").orElseThrow().status()).as("may still be running elsewhere")
                .isEqualTo("running");
        assertThat(runs.runningTraces()).extracting(WorkflowStore.Trace::runId).containsExactly("run_other_live");
    }
}
