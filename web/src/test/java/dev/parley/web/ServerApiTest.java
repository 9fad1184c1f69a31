package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host backend's side: minting a secret for its logged-in user, posting a message that runs the workflow, and
 * listing the user's threads; state variables set there reach the workflow's {@code state}.
 */
class ServerApiTest {
    static final String TOKEN = WorkflowChatTest.TOKEN;
    static final String WORKFLOW = """
            {"id": "wf_api", "name": "Plans",
             "state": {"plan": {"type": "string", "default": "free"}},
             "nodes": [
               {"id": "start", "type": "start"},
               {"id": "end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                "values": {"message": "'Plan ' + state.plan + ': ' + workflow.input_as_text"}}
             ],
             "edges": [{"from": "start", "to": "end"}]}""";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN).withWorkflowId("wf_api"),
                WorkflowChatTest.KEYWORDS);
        assertThat(post("/admin/workflows", WORKFLOW).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestServer.Response post(String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static TestServer.Response get(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN).GET());
    }

    @Test
    void aBackendMessageRunsTheWorkflowAndShowsInTheUsersHistory() {
        TestServer.Response r = post("/admin/users/alice/messages", "{\"text\":\"Your order shipped\",\"state_variables\":{\"plan\":\"pro\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("reply").asText()).isEqualTo("Plan pro: Your order shipped");
        assertThat(r.body().path("user").asText()).isEqualTo("ext:alice");
        String thread = r.body().path("thread_id").asText();
        assertThat(r.body().path("items").findValuesAsText("type")).contains("user_message", "assistant_message");

        // A follow-up in the same thread, without variables: the state saved by the first turn stays.
        TestServer.Response next = post("/admin/users/alice/messages", "{\"text\":\"And the invoice\",\"thread_id\":\"" + thread + "\"}");
        assertThat(next.body().path("reply").asText()).isEqualTo("Plan pro: And the invoice");

        assertThat(get("/admin/users/alice/threads").body().path("data").findValuesAsText("id")).contains(thread);

        // Alice opens the chat with a secret the backend minted for her: the thread is in her history.
        String secret = post("/admin/users/alice/sessions", "{}").body().path("client_secret").asText();
        TestServer.User alice = server.userWith(null, secret);
        JsonNode items = alice.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}").body();
        assertThat(items.path("data")).hasSize(4);
        // Nobody else sees it.
        assertThat(post("/admin/users/bob/messages", "{\"text\":\"hi\",\"thread_id\":\"" + thread + "\"}").status()).isEqualTo(404);
        assertThat(server.newUser().post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + thread + "\"}}").status())
                .isEqualTo(404);
    }

    @Test
    void sessionVariablesReachTheWorkflowAndAreChecked() {
        TestServer.Response minted = post("/admin/users/carol/sessions", "{\"state_variables\":{\"plan\":\"team\"}}");
        TestServer.User carol = server.userWith(null, minted.body().path("client_secret").asText());
        List<JsonNode> events = carol.stream(WorkflowChatTest.create("hello"));
        assertThat(events.getLast().path("item").path("content").get(0).path("text").asText()).isEqualTo("Plan team: hello");

        TestServer.Response wrongType = post("/admin/users/dave/messages", "{\"text\":\"hi\",\"state_variables\":{\"plan\":7}}");
        assertThat(wrongType.body().path("error").asText()).contains("plan").contains("does not fit");
        assertThat(wrongType.body().path("reply").asText()).isEmpty();

        TestServer.Response notFlat = post("/admin/users/dave/sessions", "{\"state_variables\":{\"plan\":{\"a\":1}}}");
        assertThat(notFlat.status()).isEqualTo(400);
        assertThat(notFlat.errorMessage()).contains("state_variables.plan must be a string, number, boolean or null");
    }

    @Test
    void aStreamedBackendMessageGetsTheBrowsersEvents() {
        TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri("/admin/users/erin/messages"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\",\"stream\":true}")));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> events = TestServer.parseEvents(r.text());
        assertThat(events.getFirst().path("type").asText()).isEqualTo("thread.created");
        assertThat(events.getLast().path("item").path("content").get(0).path("text").asText()).isEqualTo("Plan free: hi");
    }

    @Test
    void theServerApiWantsTheAdminToken() {
        var none = server.send(HttpRequest.newBuilder(server.uri("/admin/users/alice/threads")).GET());
        assertThat(none.status()).isEqualTo(401);
        assertThat(post("/admin/users/bad%20id/messages", "{\"text\":\"x\"}").status()).isEqualTo(400);
        assertThat(post("/admin/users/alice/messages", "{}").errorCode()).isEqualTo("missing_text");
    }
}
