package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PARLEY_WORKFLOWS_DIR}: workflows kept as files, published at start when they changed. */
class WorkflowsFolderTest {
    @TempDir Path data;
    @TempDir Path folder;

    static String custom(String speciality) {
        return Workflows.bundledSeed().replace("wf_seed_agency", "wf_custom")
                .replace("You are the agency's assistant for websites", "You are the agency's assistant for " + speciality);
    }

    TestServer start() {
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data);
        AssistantConfig assistant = AssistantConfig.defaults().withWorkflowsDir(folder).withWorkflowId("wf_custom");
        return TestServer.startWorkflows(config, assistant, WorkflowChatTest.KEYWORDS, false);
    }

    static String reply(TestServer server) {
        List<JsonNode> events = server.newUser().stream(WorkflowChatTest.create("A landing page for my shop"));
        return events.getLast().path("item").path("content").get(0).path("text").asText();
    }

    @Test
    void filesArePublishedWhenTheyChangeAndOnlyThen() throws IOException {
        Files.writeString(folder.resolve("custom.json"), custom("shopfronts"));
        Files.writeString(folder.resolve("notes.txt"), "not a workflow");
        try (TestServer server = start()) {
            assertThat(reply(server)).isEqualTo("Happy to help with your shopfronts question.");
            assertThat(server.storage().workflows().latest("wf_custom").orElseThrow().version()).isEqualTo(1);
            // The configured workflow is not the seed, so the seed is not published.
            assertThat(server.storage().workflows().latest(Workflows.SEED_ID)).isEmpty();
        }
        try (TestServer server = start()) {
            assertThat(server.storage().workflows().versions("wf_custom")).hasSize(1);
        }
        Files.writeString(folder.resolve("custom.json"), custom("homepages"));
        try (TestServer server = start()) {
            assertThat(server.storage().workflows().latest("wf_custom").orElseThrow().version()).isEqualTo(2);
            assertThat(reply(server)).isEqualTo("Happy to help with your homepages question.");
        }
    }

    @Test
    void aBrokenFileStopsTheStartAndNamesTheFileAndTheFix() throws IOException {
        Files.writeString(folder.resolve("good.json"), custom("shopfronts"));
        Files.writeString(folder.resolve("broken.json"), custom("shopfronts").replace("wf_custom", "wf_broken")
                .replace("__VAR__website_inquiry_agent.output_text__ENDVAR__", "__VAR__website_agent.output_text__ENDVAR__"));
        assertThatThrownBy(this::start).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("broken.json: node `website_inquiry_end`")
                .hasMessageContaining("website_agent");
        // Nothing was published: one broken file holds back the whole folder.
        try (var store = dev.parley.store.sqlite.SqliteStore.open(data.resolve(ParleyServer.DATABASE_FILE))) {
            assertThat(store.storage().workflows().list()).isEmpty();
        }
    }

    @Test
    void theEnvironmentSelectsTheProviderAndRefusesIncompleteSettings() {
        assertThat(AssistantConfig.fromEnv(Map.of()).provider()).isEqualTo(AssistantConfig.Provider.EMBEDDED);
        assertThat(AssistantConfig.fromEnv(Map.of("OPENAI_API_KEY", "sk-test")).provider())
                .isEqualTo(AssistantConfig.Provider.OPENAI);
        assertThat(AssistantConfig.fromEnv(Map.of("OPENAI_API_KEY", "sk-test", "PARLEY_MODEL_PROVIDER", "embedded"))
                .provider()).isEqualTo(AssistantConfig.Provider.EMBEDDED);
        assertThatThrownBy(() -> AssistantConfig.fromEnv(Map.of("PARLEY_MODEL_PROVIDER", "openai-compatible")))
                .hasMessageContaining("OPENAI_BASE_URL").hasMessageContaining("PARLEY_MODEL");
        assertThatThrownBy(() -> AssistantConfig.fromEnv(Map.of("PARLEY_MODEL_PROVIDER", "ollama",
                "PARLEY_ADMIN_TOKEN", "short", "PARLEY_WORKFLOWS_DIR", "/no/such/folder")))
                .hasMessageContaining("PARLEY_MODEL_PROVIDER must be one of embedded, openai, openai-compatible, echo")
                .hasMessageContaining("PARLEY_ADMIN_TOKEN must be at least 24 characters")
                .hasMessageContaining("PARLEY_WORKFLOWS_DIR must be an existing folder")
                .hasMessageNotContaining("short");
        AssistantConfig local = AssistantConfig.fromEnv(Map.of("PARLEY_MODEL_PROVIDER", "openai-compatible",
                "OPENAI_BASE_URL", "http://localhost:11434/v1/", "PARLEY_MODEL", "llama3.2"));
        assertThat(local.baseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(local.toString()).doesNotContain("sk-");
    }
}
