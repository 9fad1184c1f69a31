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

/** Drafts kept on the server and chatting with a draft through its own ChatKit endpoint, over real HTTP. */
class DraftsAndPreviewsTest {
    private static final String TOKEN = "drafts-previews-admin-token-0123456789";
    /** Answers with what the visitor said, so the test can tell the draft's answer from the published one's. */
    private static final String DRAFT = """
            {"id": "wf_draft_only", "name": "Draft",
             "nodes": [
               {"id": "start", "type": "start"},
               {"id": "end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                "values": {"message": "'Draft heard: ' + workflow.input_as_text"}}
             ],
             "edges": [{"from": "start", "to": "end"}]}""";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static TestServer.Response call(String method, String path, String body, String token) {
        var request = HttpRequest.newBuilder(server.uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return server.send(request);
    }

    @Test
    void aDraftIsSavedReadListedAndDeletedWithoutTouchingWhatIsPublished() {
        String seed = call("GET", "/admin/workflows", null, TOKEN).body().path("data").get(0).path("workflow_id").asText();
        int published = server.storage().workflows().latest(seed).orElseThrow().version();
        var saved = call("PUT", "/admin/workflows/" + seed + "/draft",
                "{\"document\": {\"id\": \"" + seed + "\", \"nodes\": [], \"half\": \"done\"}, \"base_version\": " + published + "}", TOKEN);
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.body().path("base_version").asInt()).isEqualTo(published);

        var read = call("GET", "/admin/workflows/" + seed + "/draft", null, TOKEN);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().path("document").path("half").asText()).isEqualTo("done");
        assertThat(read.body().path("saved_at").asText()).isEqualTo(saved.body().path("saved_at").asText());
        assertThat(call("GET", "/admin/drafts", null, TOKEN).body().findValuesAsText("workflow_id")).contains(seed);
        // The draft (not even a valid workflow) did not become a version.
        assertThat(server.storage().workflows().latest(seed).orElseThrow().version()).isEqualTo(published);

        assertThat(call("DELETE", "/admin/workflows/" + seed + "/draft", null, TOKEN).status()).isEqualTo(204);
        var gone = call("GET", "/admin/workflows/" + seed + "/draft", null, TOKEN);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorMessage()).contains("PUT /admin/workflows/" + seed + "/draft");
        assertThat(call("DELETE", "/admin/workflows/" + seed + "/draft", null, TOKEN).status()).isEqualTo(404);
    }

    @Test
    void badDraftsAreRefusedWithWhatToSendAndKeepTheDraftBefore() {
        assertThat(call("PUT", "/admin/workflows/wf_x/draft", "{\"document\": {\"id\": \"wf_x\"}}", TOKEN).status()).isEqualTo(200);
        var notObject = call("PUT", "/admin/workflows/wf_x/draft", "{\"document\": [1, 2]}", TOKEN);
        assertThat(notObject.status()).isEqualTo(400);
        assertThat(notObject.errorCode()).isEqualTo("invalid_draft");
        assertThat(notObject.errorMessage()).contains("\"document\"");
        var badBase = call("PUT", "/admin/workflows/wf_x/draft", "{\"document\": {}, \"base_version\": -1}", TOKEN);
        assertThat(badBase.status()).isEqualTo(400);
        assertThat(badBase.errorCode()).isEqualTo("invalid_base_version");
        assertThat(call("PUT", "/admin/workflows/wf_x/draft", "{not json", TOKEN).errorCode()).isEqualTo("invalid_json");
        assertThat(call("PUT", "/admin/workflows/wf%20x%3Cb%3E/draft", "{\"document\": {}}", TOKEN).errorCode())
                .isEqualTo("invalid_workflow_id");
        assertThat(call("PUT", "/admin/workflows/wf_x/draft", "{\"document\": {}}", null).status()).isEqualTo(401);
        // Nothing above replaced the draft saved first.
        assertThat(call("GET", "/admin/workflows/wf_x/draft", null, TOKEN).body().path("document").path("id").asText())
                .isEqualTo("wf_x");
    }

    @Test
    void aPreviewChatsWithTheDraftOverTheChatKitProtocolAndListsItsRuns() {
        var created = call("POST", "/admin/previews", "{\"workflow\": " + DRAFT + "}", TOKEN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String chatkit = created.body().path("chatkit_url").asText();
        assertThat(chatkit).startsWith("/admin/previews/pv_").endsWith("/chatkit");

        List<JsonNode> first = TestServer.parseEvents(call("POST", chatkit,
                WorkflowChatTest.create("book a call"), TOKEN).text());
        String thread = ProtocolConformanceTest.threadId(first);
        assertThat(replies(first)).containsExactly("Draft heard: book a call");
        List<JsonNode> second = TestServer.parseEvents(call("POST", chatkit, "{\"type\":\"threads.add_user_message\","
                + "\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"and a quote\"}],\"attachments\":[],\"inference_options\":{}}}}", TOKEN).text());
        assertThat(replies(second)).containsExactly("Draft heard: and a quote");

        // The preview's other requests work too: its thread is listed under the preview's own user.
        var list = call("POST", chatkit, "{\"type\":\"threads.list\",\"params\":{}}", TOKEN);
        assertThat(list.body().findValuesAsText("id")).contains(thread);

        var runs = call("GET", chatkit.replace("/chatkit", "/runs"), null, TOKEN);
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.body().path("data")).hasSize(2);
        var trace = call("GET", "/admin/runs/" + runs.body().path("data").get(0).asText(), null, TOKEN);
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.text()).contains("and a quote").doesNotContain("book a call");

        // No visitor sees the preview's threads.
        TestServer.User visitor = server.newUser();
        assertThat(visitor.post("{\"type\":\"threads.list\",\"params\":{}}").body().findValuesAsText("id")).doesNotContain(thread);
    }

    @Test
    void previewsRefuseDraftsThatCannotRunAndSayWhenTheyAreGone() {
        var invalid = call("POST", "/admin/previews",
                "{\"workflow\": " + DRAFT.replace("workflow.input_as_text", "workflow.input_as_txt") + "}", TOKEN);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().path("error").path("errors").get(0).path("node_id").asText()).isEqualTo("end");
        var noDraft = call("POST", "/admin/previews", "{\"message\": \"hi\"}", TOKEN);
        assertThat(noDraft.status()).isEqualTo(400);
        assertThat(noDraft.errorMessage()).contains("\"workflow\"");
        var gone = call("POST", "/admin/previews/pv_000000000000000000000000/chatkit", WorkflowChatTest.create("hi"), TOKEN);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorMessage()).contains("POST /admin/previews");
        assertThat(call("POST", "/admin/previews/../chatkit", WorkflowChatTest.create("hi"), TOKEN).status()).isIn(400, 404);
        assertThat(call("POST", "/admin/previews", "{\"workflow\": " + DRAFT + "}", null).status()).isEqualTo(401);
    }

    private static List<String> replies(List<JsonNode> events) {
        List<String> texts = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode item = e.path("item");
            if (e.path("type").asText().equals("thread.item.done") && item.path("type").asText().equals("assistant_message")) {
                texts.add(item.path("content").get(0).path("text").asText());
            }
        }
        return texts;
    }
}
