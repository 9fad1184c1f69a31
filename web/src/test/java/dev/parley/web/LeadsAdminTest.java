package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contact details a visitor leaves in the chat: the offline default says it noted them, and they are in the admin
 * API's lead list ({@code GET /admin/leads}), on a fresh server as {@code ./parley} starts it.
 */
class LeadsAdminTest {
    static final String TOKEN = "admin-token-for-tests-0123456789";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-leads-");
        AssistantConfig assistant = AssistantConfig.defaults().withAdminToken(TOKEN);
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        server = TestServer.startWorkflows(config, assistant, Providers.open(assistant, dir), true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAddressLeftAfterAQuestionIsAcknowledgedAndListedOnce() {
        TestServer.User visitor = server.newUser();
        List<JsonNode> first = visitor.stream(WorkflowChatTest.create("Can you build a booking platform for our clinics?"));
        String thread = first.getFirst().path("thread").path("id").asText();
        List<JsonNode> second = visitor.stream(add(thread, "Sure, my email is anna.devries@example.com"));
        String reply = second.getLast().path("item").path("content").get(0).path("text").asText();
        assertThat(reply).contains("noted anna.devries@example.com");
        visitor.stream(add(thread, "again: anna.devries@example.com, or call +31 6 1234 5678"));

        JsonNode leads = admin("/admin/leads").body().path("data");
        assertThat(leads).hasSize(2);
        assertThat(leads.get(0).path("contact").asText()).isEqualTo("+31 6 1234 5678");
        assertThat(leads.get(0).path("kind").asText()).isEqualTo("phone");
        assertThat(leads.get(1).path("contact").asText()).isEqualTo("anna.devries@example.com");
        assertThat(leads.get(1).path("kind").asText()).isEqualTo("email");
        assertThat(leads.get(1).path("thread_id").asText()).isEqualTo(thread);
        assertThat(leads.get(1).path("user_id").asText()).isEqualTo(visitor.userId());
        assertThat(leads.get(1).path("message").asText()).isEqualTo("Sure, my email is anna.devries@example.com");
    }

    @Test
    void theListNeedsTheTokenAndSaysWhatALimitMustBe() {
        var anonymous = server.send(HttpRequest.newBuilder(server.uri("/admin/leads")).GET());
        assertThat(anonymous.status()).isEqualTo(401);
        var bad = admin("/admin/leads?limit=lots");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorMessage()).isEqualTo("limit must be a whole number from 1 to 500, got \"lots\"");
    }

    static TestServer.Response admin(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN).GET());
    }

    static String add(String thread, String text) {
        return "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"" + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
    }
}
