package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A fresh server with nothing configured, exactly as {@code ./parley} starts it: the seed workflow answered by the
 * embedded provider (the bundled MiniLM model and sample knowledge base), no key and no network.
 */
class EmbeddedChatTest {
    static final String TOKEN = "admin-token-for-tests-0123456789";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-embedded-");
        AssistantConfig assistant = AssistantConfig.defaults().withAdminToken(TOKEN);
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        server = TestServer.startWorkflows(config, assistant, Providers.open(assistant, dir), true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode trace(String thread) {
        var runs = server.send(HttpRequest.newBuilder(server.uri("/admin/workflows/wf_seed_agency/runs?limit=100"))
                .header("Authorization", "Bearer " + TOKEN).GET()).body().path("data");
        for (JsonNode run : runs) {
            if (run.path("thread_id").asText().equals(thread)) {
                return server.send(HttpRequest.newBuilder(server.uri("/admin/runs/" + run.path("run_id").asText()))
                        .header("Authorization", "Bearer " + TOKEN).GET()).body();
            }
        }
        throw new AssertionError("No run for " + thread);
    }

    /** The demo page's starter prompts, read from the page the server serves, each answered from a cited passage. */
    @Test
    void theDemoPagesStarterPromptsAreAnsweredWithSources() {
        String page = server.send(HttpRequest.newBuilder(server.uri("/")).GET()).text();
        var prompts = java.util.regex.Pattern.compile("prompt: '([^']+)'").matcher(page).results()
                .map(m -> m.group(1)).toList();
        assertThat(prompts).hasSizeGreaterThanOrEqualTo(2);
        for (String prompt : prompts) {
            List<JsonNode> events = server.newUser().stream(WorkflowChatTest.create(prompt));
            JsonNode content = events.getLast().path("item").path("content").get(0);
            assertThat(content.path("annotations")).as("%s cites a source", prompt).isNotEmpty();
            assertThat(content.path("text").asText()).as(prompt).doesNotStartWith("I can't answer that");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "We'd like a new website for our dental practice with online booking info | website_inquiry_agent",
        "I want to build a marketplace where dog walkers and owners can sign up and pay | web_app_inquiry_agent",
        "Can you make a mortgage calculator we can put on our site? | tool_inquiry_agent",
        "We need our webshop orders to flow into our accounting software automatically | automation_inquiry_agent",
        "Our WordPress site keeps crashing, do you offer maintenance plans? | maintenance_inquiry_agent",
        "How does working with you usually go, what are the steps? | general_inquiry_agent",
        "What can you help me with? | general_inquiry_agent",
        "Will you sign an NDA before we tell you our idea? | general_inquiry_agent",
    })
    void eachInquiryIsRoutedAndAnsweredFromTheKnowledgeBase(String message, String agent) {
        TestServer.User user = server.newUser();
        List<JsonNode> events = user.stream(WorkflowChatTest.create(message));
        assertThat(events).noneMatch(e -> e.path("type").asText().equals("error"));
        long deltas = events.stream()
                .filter(e -> e.path("update").path("type").asText().equals("assistant_message.content_part.text_delta"))
                .count();
        // A passage is streamed a sentence at a time; one of a single sentence comes in one piece.
        assertThat(deltas).as("streamed").isGreaterThanOrEqualTo(1);
        JsonNode content = events.getLast().path("item").path("content").get(0);
        assertThat(content.path("text").asText()).isNotBlank();
        assertThat(content.path("annotations")).as("cites the passages it quotes").isNotEmpty();
        assertThat(content.path("annotations").get(0).path("source").path("filename").asText()).endsWith(".md");

        String thread = events.getFirst().path("thread").path("id").asText();
        List<String> route = new ArrayList<>();
        trace(thread).path("nodes").forEach(n -> route.add(n.path("node_id").asText()));
        assertThat(route).contains(agent);
    }

    @Test
    void aQuestionTheKnowledgeBaseCannotAnswerGetsAnHonestReply() {
        TestServer.User user = server.newUser();
        List<JsonNode> events = user.stream(WorkflowChatTest.create("What is the boiling point of liquid nitrogen in kelvin?"));
        String text = events.getLast().path("item").path("content").get(0).path("text").asText();
        assertThat(text).startsWith("I can't answer that from what I know.");
    }
}
