package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ModelProvider;
import dev.parley.model.testing.KeywordModel;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.session.SessionService;
import dev.parley.workflow.engine.Workflows;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's workflow on a real server, as an operator runs it: published at start, answering {@code POST /chatkit}
 * over HTTP, administered through {@code /admin}. The model is the model layer's test provider ({@link KeywordModel}):
 * it classifies by keyword and streams "Happy to help with your <speciality> question." in three pieces.
 */
class WorkflowChatTest {
    static final String TOKEN = "admin-token-for-tests-0123456789";
    static TestServer server;
    TestServer.User user;

    static final ModelProvider KEYWORDS = new KeywordModel();

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), KEYWORDS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshUser() {
        user = server.newUser();
    }

    public static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static TestServer.Response admin(String method, String path, String body) {
        var request = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return server.send(request);
    }

    static List<String> route(JsonNode trace) {
        List<String> nodes = new ArrayList<>();
        trace.path("nodes").forEach(n -> nodes.add(n.path("node_id").asText()));
        return nodes;
    }

    @ParameterizedTest
    @CsvSource({
        "I need a landing page for my bakery, website_inquiry_agent, websites",
        "We want a customer dashboard with logins, web_app_inquiry_agent, web",
        "Could you build a price calculator?, tool_inquiry_agent, small",
        "Connect our CRM to Zapier please, automation_inquiry_agent, automation",
        "Can you maintain our old site?, maintenance_inquiry_agent, maintenance",
        "What are your opening hours?, general_inquiry_agent, general",
    })
    void aFreshServerRunsTheSeedAndEachInquiryTakesItsRoute(String message, String agent, String speciality) {
        List<JsonNode> events = user.stream(create(message));
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).startsWith("thread.created", "thread.item.done", "stream_options")
                .contains("progress_update").endsWith("thread.item.done").doesNotContain("error", "thread.updated");
        // Titled as it is created, so nothing renames it later in the turn.
        assertThat(events.getFirst().path("thread").path("title").asText()).isEqualTo(message);
        List<String> deltas = events.stream()
                .filter(e -> e.path("update").path("type").asText().equals("assistant_message.content_part.text_delta"))
                .map(e -> e.path("update").path("delta").asText()).toList();
        assertThat(deltas).hasSize(3);
        String reply = String.join("", deltas);
        assertThat(reply).startsWith("Happy to help with your " + speciality);
        assertThat(events.getLast().path("item").path("content").get(0).path("text").asText()).isEqualTo(reply);

        String thread = events.getFirst().path("thread").path("id").asText();
        JsonNode run = admin("GET", "/admin/workflows/wf_seed_agency/runs?limit=100", null).body().path("data").findParents("thread_id")
                .stream().filter(r -> r.path("thread_id").asText().equals(thread)).findFirst().orElseThrow();
        assertThat(run.path("status").asText()).isEqualTo("completed");
        JsonNode trace = admin("GET", "/admin/runs/" + run.path("run_id").asText(), null).body();
        assertThat(route(trace)).containsExactly("start", "project_inquiry_classification", "route_inquiry", agent,
                agent.replace("_agent", "_end"));
        assertThat(trace.path("nodes").get(4).path("output").path("message").asText()).isEqualTo(reply);

        // The reply is stored: reading the thread back gives the same text.
        JsonNode items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}").body();
        assertThat(items.path("data").get(1).path("content").get(0).path("text").asText()).isEqualTo(reply);
    }

    @Test
    void theSeedIsPublishedOnceAndListed() {
        JsonNode list = admin("GET", "/admin/workflows", null).body();
        assertThat(list.path("data").findValuesAsText("workflow_id")).contains(Workflows.SEED_ID);
        JsonNode latest = admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body();
        assertThat(latest.path("document").path("nodes").size()).isGreaterThan(5);
        assertThat(admin("GET", "/admin/workflows/wf_nope/versions", null).status()).isEqualTo(404);
    }

    @Test
    void aBrokenPublishIsRefusedWithTheFixAndTheRunningVersionStays() {
        int before = admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body().path("version").asInt();
        // The seed's first mistake: a condition on the classifier's text instead of its parsed category.
        String broken = Workflows.bundledSeed().replaceFirst(
                "project_inquiry_classification\\.output_parsed\\.category == \\\\\"website_build\\\\\"",
                "project_inquiry_classification.output_text == \\\\\"website_build\\\\\"");
        assertThat(broken).isNotEqualTo(Workflows.bundledSeed());
        TestServer.Response r = admin("POST", "/admin/workflows", broken);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorCode()).isEqualTo("invalid_workflow");
        JsonNode error = r.body().path("error").path("errors").get(0);
        assertThat(error.path("node_id").asText()).isEqualTo("route_inquiry");
        assertThat(error.path("message").asText()).contains("output_text");
        assertThat(error.path("fix").asText()).contains("output_parsed");
        assertThat(admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body().path("version").asInt())
                .isEqualTo(before);

        JsonNode validated = admin("POST", "/admin/workflows/validate", broken).body();
        assertThat(validated.path("ok").asBoolean()).isFalse();
        assertThat(admin("POST", "/admin/workflows/validate", "{not json").body().path("errors").get(0)
                .path("message").asText()).contains("not valid JSON");
    }

    @Test
    void aNewVersionIsPickedUpOnTheNextTurnWithoutARestart() {
        String changed = Workflows.bundledSeed().replace("You are the agency's assistant for websites",
                "You are the agency's assistant for homepages");
        TestServer.Response r = admin("POST", "/admin/workflows", changed);
        assertThat(r.status()).isEqualTo(201);
        int version = r.body().path("version").asInt();
        assertThat(version).isGreaterThan(1);
        assertThat(r.headers().firstValue("Location")).hasValue("/admin/workflows/wf_seed_agency/versions/" + version);
        List<JsonNode> events = user.stream(create("A landing page for our gym"));
        assertThat(events.getLast().path("item").path("content").get(0).path("text").asText())
                .isEqualTo("Happy to help with your homepages question.");
        // Put the original back for the other tests.
        assertThat(admin("POST", "/admin/workflows", Workflows.bundledSeed()).status()).isEqualTo(201);
    }

    @Test
    void aDraftPreviewsWithItsTraceAndIsNotPublished() {
        int before = admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body().path("version").asInt();
        String draft = Workflows.bundledSeed().replace("You are the agency's assistant for small",
                "You are the agency's assistant for tiny");
        TestServer.Response r = admin("POST", "/admin/workflows/preview",
                "{\"message\":\"A calculator for roof tiles\",\"workflow\":" + draft + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("reply").asText()).isEqualTo("Happy to help with your tiny question.");
        assertThat(route(r.body().path("trace"))).contains("tool_inquiry_agent");
        assertThat(r.body().path("trace").path("version").asInt()).isZero();
        assertThat(admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body().path("version").asInt())
                .isEqualTo(before);

        TestServer.Response bad = admin("POST", "/admin/workflows/preview", "{\"workflow\":{}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorMessage()).contains("\"message\"");
    }

    @Test
    void theAdminApiWantsItsToken() {
        var none = server.send(HttpRequest.newBuilder(server.uri("/admin/workflows")).GET());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        var wrong = server.send(HttpRequest.newBuilder(server.uri("/admin/workflows"))
                .header("Authorization", "Bearer " + TOKEN + "x").GET());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("invalid_token");
        // A user's client secret is not an admin token.
        assertThat(user.get("/admin/workflows").status()).isEqualTo(401);
    }

    @Test
    void aSessionPinnedToAVersionKeepsRunningItAfterANewPublish() {
        int current = admin("GET", "/admin/workflows/wf_seed_agency/versions/latest", null).body().path("version").asInt();
        TestServer.User pinned = server.newUser("{\"workflow\": {\"version\": \"" + current + "\"}}");
        String changed = Workflows.bundledSeed().replace("You are the agency's assistant for websites",
                "You are the agency's assistant for storefronts");
        assertThat(admin("POST", "/admin/workflows", changed).status()).isEqualTo(201);
        try {
            List<JsonNode> old = pinned.stream(create("A landing page for our gym"));
            assertThat(old.getLast().path("item").path("content").get(0).path("text").asText())
                    .isEqualTo("Happy to help with your websites question.");
            List<JsonNode> latest = server.newUser("{\"workflow\": {\"version\": \"latest\"}}").stream(create("A landing page"));
            assertThat(latest.getLast().path("item").path("content").get(0).path("text").asText())
                    .isEqualTo("Happy to help with your storefronts question.");
        } finally {
            assertThat(admin("POST", "/admin/workflows", Workflows.bundledSeed()).status()).isEqualTo(201);
        }
        var unknown = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\": {\"version\": 999}}")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("unknown_workflow_version");
        var garbage = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH))
                .POST(HttpRequest.BodyPublishers.ofString("{\"workflow\": {\"version\": \"three\"}}")));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.errorMessage()).contains("published version number");
    }
}
