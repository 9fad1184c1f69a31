package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent Builder workflows of our own, imported through {@code POST /admin/workflows/import?publish=true} on a running
 * server and then chatted with through {@code POST /chatkit}, the OpenAI provider answering from the stand-in:
 * a triage agent with a JSON-schema output routing by if/else, a file search over a knowledge base standing in for
 * the vector store, and a user approval. The chat runs the imported workflow named by {@code CHATKIT_WORKFLOW_ID},
 * as a team moving in would have it set.
 */
class AgentBuilderImportServerTest {
    static final String ADMIN = "admin-token-for-the-import-test-0123456789";

    @TempDir Path dir;
    StandInOpenAi openai;
    OpenAiProvider provider;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (provider != null) provider.close();
        if (openai != null) openai.close();
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = AgentBuilderImportServerTest.class.getResourceAsStream("/agentbuilder/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    void start(String fixture, Map<String, String> env) throws IOException {
        String id = TestServer.JSON.readTree(fixture(fixture)).path("id").asText();
        openai = StandInOpenAi.start();
        provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
        Map<String, String> all = new HashMap<>(env);
        all.put("CHATKIT_WORKFLOW_ID", id);
        all.put(AssistantConfig.ADMIN_TOKEN, ADMIN);
        AssistantConfig assistant = AssistantConfig.fromEnv(all);
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir.resolve("data"));
        var knowledge = Providers.knowledge(assistant, config.dataDir());
        server = TestServer.of(ParleyServer.start(config, assistant, provider, dev.parley.web.config.HostedConfig.self(),
                knowledge));
    }

    TestServer.Response importFile(String body, boolean publish) {
        return server.send(HttpRequest.newBuilder(server.uri("/admin/workflows/import" + (publish ? "?publish=true" : "")))
                .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + TestServer.JSON.valueToTree(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static String say(String thread, String text) {
        return "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":" + TestServer.JSON.valueToTree(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static String reply(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("thread.item.updated")
                        && e.path("update").path("type").asText().equals("assistant_message.content_part.text_delta"))
                .map(e -> e.path("update").path("delta").asText()).collect(Collectors.joining());
    }

    @Test
    void anImportedTriageRoutesByItsJsonOutputAndTheChosenAgentAnswers() throws IOException {
        start("triage.agentbuilder.json", Map.of());
        var preview = importFile(fixture("triage.agentbuilder.json"), false);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(preview.text()).path("report").path("errors")).isEmpty();
        assertThat(server.storage().workflows().list()).noneMatch(s -> s.workflowId().startsWith("wf_6900"));

        var published = importFile(fixture("triage.agentbuilder.json"), true);
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        JsonNode body = TestServer.JSON.readTree(published.text());
        assertThat(body.path("workflow").path("id").asText()).isEqualTo("wf_6900aa00bb11cc22dd33ee44ff556677");

        openai.then(StandInOpenAi.responsesJson("{\"topic\":\"billing\"}"),
                StandInOpenAi.responsesStream("Refunds reach your card ", "within five days."));
        var user = server.newUser();
        List<JsonNode> events = user.stream(create("Where is my refund for invoice 42?"));
        assertThat(reply(events)).isEqualTo("Refunds reach your card within five days.");
        var requests = openai.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).json().path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(requests.get(1).json().path("instructions").asText()).contains("billing questions");
    }

    @Test
    void anImportedApprovalAsksAndGoesOnWhenTheUserApproves() throws IOException {
        start("approval.agentbuilder.json", Map.of());
        assertThat(importFile(fixture("approval.agentbuilder.json"), true).status()).isEqualTo(201);
        var user = server.newUser();
        List<JsonNode> first = user.stream(create("I want my money back"));
        JsonNode widget = first.stream().filter(e -> e.path("type").asText().equals("thread.item.done")
                && e.path("item").path("type").asText().equals("widget")).findFirst().orElseThrow().path("item");
        assertThat(widget.toString()).contains("Shall I start the refund for your last order?");
        assertThat(openai.requests()).isEmpty();

        openai.then(StandInOpenAi.responsesStream("The refund has started."));
        String thread = first.getFirst().path("thread").path("id").asText();
        assertThat(reply(user.stream(say(thread, "yes")))).isEqualTo("The refund has started.");
    }

    @Test
    void anImportThatWouldNotRunHereIsRefusedWithTheReportAndNothingIsStored() throws IOException {
        start("search.agentbuilder.json", Map.of());
        // No knowledge base stands in for the vector store on this server: the publish checks say which to create.
        var r = importFile(fixture("search.agentbuilder.json"), true);
        assertThat(r.status()).isEqualTo(422);
        JsonNode body = TestServer.JSON.readTree(r.text());
        assertThat(body.path("error").path("code").asText()).isEqualTo("import_refused");
        assertThat(body.path("report").path("warnings").toString()).contains("vs_manuals");
        assertThat(server.storage().workflows().list()).noneMatch(s -> s.workflowId().equals("wf_6900aa00bb11cc22dd33ee44ff5566bb"));
    }

    @Test
    void anImportedFileSearchRunsOverTheKnowledgeBaseStandingInForTheVectorStore() throws IOException {
        Path knowledge = Files.createDirectories(dir.resolve("knowledge"));
        Path base = Files.createDirectories(knowledge.resolve(KNOWLEDGE_BASE));
        Files.writeString(base.resolve("kettle.md"), """
                # Kettle K2

                To descale the K2 kettle, boil a mix of water and white vinegar, leave it for an hour and rinse twice.
                """);
        start("search.agentbuilder.json", Map.of(AssistantConfig.KNOWLEDGE_DIR, knowledge.toString()));
        var r = importFile(fixture("search.agentbuilder.json"), true);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        openai.then(StandInOpenAi.responsesStream("Boil water with vinegar, wait an hour, rinse."));
        var user = server.newUser();
        assertThat(reply(user.stream(create("How do I descale my kettle?")))).isEqualTo("Boil water with vinegar, wait an hour, rinse.");
        JsonNode trace = TestServer.JSON.readTree(server.storage().workflows().recentTraces(
                "wf_6900aa00bb11cc22dd33ee44ff5566bb", 1).getFirst().document());
        assertThat(trace.toString()).contains("kettle.md");
    }

    /** The knowledge base id the importer gives vector store {@code vs_manuals} (see the import's warning). */
    static final String KNOWLEDGE_BASE = "vs_manuals";
}
