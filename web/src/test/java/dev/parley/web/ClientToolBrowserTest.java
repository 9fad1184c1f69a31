package dev.parley.web;

import static dev.parley.web.WidgetPage.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.echo.EchoProvider;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A workflow's client tool answered by the page: the agent calls it, the widget runs the page's
 * {@code onClientTool}, and the paused run goes on with its output, in Chromium against a running server.
 */
class ClientToolBrowserTest {
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(available(), "Browser tests skipped: install Debian's chromium and chromium-driver");
        Path dir = Files.createTempDirectory("parley-client-tool-");
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Files.writeString(workflows.resolve("colour.json"), """
            {"id": "wf_colour", "name": "Page colour", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "helper", "type": "agent", "instructions": "Ask the page.", "tools": [
                {"type": "function", "name": "get_page_colour", "description": "The page's colour.", "runs_on": "client",
                 "parameters": {"type": "object", "properties": {"what": {"type": "string"}}, "required": ["what"]}}]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__helper.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "helper"}, {"from": "helper", "to": "done"}]}
            """);
        AssistantConfig assistant = AssistantConfig.fromEnv(Map.of(AssistantConfig.WORKFLOW, "wf_colour",
                AssistantConfig.WORKFLOWS_DIR, workflows.toString(), AssistantConfig.MODEL_PROVIDER, "echo"));
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir.resolve("data"));
        server = TestServer.startWorkflows(config, assistant, new EchoProvider(), true);
        launch();
    }

    @AfterAll
    static void stop() {
        quit();
        if (server != null) server.close();
    }

    @Test
    void theWidgetAnswersAWorkflowsClientToolAndTheReplyFollows() {
        visit(server);
        remount("""
                api: { url: '/chatkit' },
                onClientTool: async ({ name, params }) => ({ colour: name === 'get_page_colour' && params.what === 'background' ? 'teal' : '?' })""");
        open();
        send("call get_page_colour {\"what\": \"background\"}");
        waitFor("the reply after the tool", () -> doneReplies() == 1);
        assertThat(lastReplyText()).isEqualTo("get_page_colour said: {\"colour\":\"teal\"}");
    }
}
