package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.testing.KeywordModel;
import dev.parley.web.config.AssistantConfig;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/threads[/{id}]} over real HTTP, with threads of several users answered by the seed workflow. */
class ConversationsAdminTest {
    private static final String TOKEN = "conversations-admin-token-0123456789";
    static TestServer server;
    static TestServer.User alice;
    static TestServer.User bob;
    static String aliceThread;
    static String bobThread;
    static String lateThread;
    static List<String> bobReplies;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel());
        alice = server.newUser();
        bob = server.newUser();
        aliceThread = ProtocolConformanceTest.threadId(alice.stream(WorkflowChatTest.create("I need a landing page")));
        List<JsonNode> events = new ArrayList<>(bob.stream(WorkflowChatTest.create("I need a landing page for my bakery")));
        bobThread = ProtocolConformanceTest.threadId(events);
        events.addAll(bob.stream("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + bobThread
                + "\",\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"Can you also maintain it?\"}],"
                + "\"attachments\":[],\"inference_options\":{}}}}"));
        bobReplies = assistantIds(events);
        var r = bob.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + bobThread
                + "\",\"item_ids\":[\"" + bobReplies.getLast() + "\"],\"kind\":\"negative\"}}");
        assertThat(r.status()).isEqualTo(200);
        List<JsonNode> late = alice.stream(WorkflowChatTest.create("Just saying hello"));
        lateThread = ProtocolConformanceTest.threadId(late);
        // Positive feedback does not count, and does not pass the filter.
        assertThat(alice.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + lateThread
                + "\",\"item_ids\":[\"" + assistantIds(late).getLast() + "\"],\"kind\":\"positive\"}}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static List<String> assistantIds(List<JsonNode> events) {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("thread.item.done") && e.path("item").path("type").asText().equals("assistant_message")) {
                ids.add(e.path("item").path("id").asText());
            }
        }
        return ids;
    }

    private static TestServer.Response get(String path, String token) {
        var request = HttpRequest.newBuilder(server.uri(path)).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        return server.send(request);
    }

    private static List<String> threadIds(TestServer.Response r) {
        List<String> ids = new ArrayList<>();
        r.body().path("data").forEach(t -> ids.add(t.path("thread_id").asText()));
        return ids;
    }

    @Test
    void listsTheThreadsOfEveryUserNewestFirstAndPages() {
        TestServer.Response r = get("/admin/threads", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(threadIds(r)).containsExactly(lateThread, bobThread, aliceThread);
        assertThat(r.body().path("has_more").asBoolean()).isFalse();
        JsonNode bobs = r.body().path("data").get(1);
        assertThat(bobs.path("user_id").asText()).isEqualTo(bob.userId());
        assertThat(bobs.path("title").asText()).isNotBlank();
        assertThat(bobs.path("negative_feedback").asInt()).isEqualTo(1);
        assertThat(bobs.path("last_item_at").asText().compareTo(bobs.path("created_at").asText())).isPositive();
        assertThat(r.body().path("data").get(0).path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(r.body().path("data").get(0).path("negative_feedback").asInt()).isZero();

        TestServer.Response first = get("/admin/threads?limit=2", TOKEN);
        assertThat(threadIds(first)).containsExactly(lateThread, bobThread);
        assertThat(first.body().path("has_more").asBoolean()).isTrue();
        TestServer.Response next = get("/admin/threads?limit=2&after=" + first.body().path("after").asText(), TOKEN);
        assertThat(threadIds(next)).containsExactly(aliceThread);
        assertThat(next.body().path("after").isNull()).isTrue();
    }

    @Test
    void theNegativeFilterKeepsOnlyThreadsWithNegativeFeedback() {
        TestServer.Response r = get("/admin/threads?feedback=negative", TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(threadIds(r)).containsExactly(bobThread);
    }

    @Test
    void aThreadShowsItsItemsWithTheRunOfEachReplyAndItsFeedback() {
        TestServer.Response r = get("/admin/threads/" + bobThread, TOKEN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("thread").path("user_id").asText()).isEqualTo(bob.userId());
        List<String> types = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (JsonNode entry : r.body().path("items")) {
            JsonNode item = entry.path("item");
            types.add(item.path("type").asText());
            if (item.path("type").asText().equals("assistant_message")) runs.add(entry.path("run_id").asText());
            else assertThat(entry.has("run_id")).as("only replies have a run").isFalse();
            if (entry.path("feedback").toString().contains("negative")) negative.add(item.path("id").asText());
        }
        assertThat(types).startsWith("user_message").contains("assistant_message");
        assertThat(types.stream().filter("user_message"::equals)).hasSize(2);
        assertThat(negative).containsExactly(bobReplies.getLast());
        assertThat(r.body().path("items_truncated").asBoolean()).isFalse();

        // Two turns, two runs: each reply names the run of its own turn, as the runs list orders them.
        List<String> threadRuns = new ArrayList<>();
        for (JsonNode run : get("/admin/workflows/wf_seed_agency/runs", TOKEN).body().path("data")) {
            if (run.path("thread_id").asText().equals(bobThread)) threadRuns.addFirst(run.path("run_id").asText());
        }
        assertThat(threadRuns).hasSize(2);
        assertThat(runs).hasSize(bobReplies.size()).containsOnly(threadRuns.toArray(String[]::new));
        assertThat(runs.getFirst()).isEqualTo(threadRuns.getFirst());
        assertThat(runs.getLast()).isEqualTo(threadRuns.getLast());
        TestServer.Response trace = get("/admin/runs/" + runs.getLast(), TOKEN);
        assertThat(trace.body().path("thread_id").asText()).isEqualTo(bobThread);
    }

    @Test
    void badParametersAreRefusedWith400AndAMissingThreadWith404() {
        for (String query : List.of("limit=0", "limit=201", "limit=ten", "feedback=positive", "after=thr_nope",
                "after=%20bad%20")) {
            TestServer.Response r = get("/admin/threads?" + query, TOKEN);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.errorMessage()).as(query).isNotBlank();
        }
        assertThat(get("/admin/threads?feedback=positive", TOKEN).errorMessage()).contains("negative");
        assertThat(get("/admin/threads?after=thr_nope", TOKEN).errorCode()).isEqualTo("invalid_after");
        assertThat(get("/admin/threads/" + "x".repeat(200), TOKEN).status()).isEqualTo(400);
        assertThat(get("/admin/threads/thr_missing", TOKEN).status()).isEqualTo(404);
    }

    @Test
    void withoutTheAdminTokenNothingIsShown() {
        assertThat(get("/admin/threads", null).status()).isEqualTo(401);
        assertThat(get("/admin/threads/" + bobThread, null).status()).isEqualTo(401);
        assertThat(get("/admin/threads", "wrong-token-0123456789-0123456789").status()).isEqualTo(401);
        // An end user's own credentials do not open the admin view either.
        var asUser = bob.authorized(HttpRequest.newBuilder(server.uri("/admin/threads")).GET());
        assertThat(server.send(asUser).status()).isEqualTo(401);
    }
}
