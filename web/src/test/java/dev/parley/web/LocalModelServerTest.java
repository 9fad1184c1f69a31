package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parley pointed at a local model server as the README says, with {@code OPENAI_BASE_URL} and {@code PARLEY_MODEL}
 * and nothing else. The stand-in behaves like Ollama: it serves one model, lists it at {@code /v1/models}, and
 * answers any other model name with 404, so the seed workflow (whose nodes name {@code gpt-5-nano}) works only if
 * Parley sends the served name.
 */
class LocalModelServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVED = "llama3.2";

    OneModelServer local;
    TestServer parley;

    @BeforeEach
    void start() throws IOException {
        local = new OneModelServer(SERVED);
    }

    @AfterEach
    void stop() {
        if (parley != null) parley.close();
        local.close();
    }

    @Test
    void theDefaultWorkflowAnswersThroughTheServerWithTheModelItServes() throws IOException {
        Map<String, String> env = Map.of("OPENAI_BASE_URL", local.baseUrl(), "PARLEY_MODEL", SERVED);
        AssistantConfig assistant = AssistantConfig.fromEnv(env);
        assertThat(assistant.provider()).isEqualTo(AssistantConfig.Provider.OPENAI_COMPATIBLE);
        Path dir = Files.createTempDirectory("parley-local-");
        try (var logs = new LogCapture()) {
            parley = TestServer.startWorkflows(ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir),
                    assistant, Providers.open(assistant, dir), true);
            assertThat(logs.warnings()).as("the model list fits: nothing to warn about").isEmpty();
        }

        List<JsonNode> events = parley.newUser().stream(WorkflowChatTest.create("We need a new website for our bakery"));
        assertThat(events).noneMatch(e -> e.path("type").asText().equals("error"));
        String reply = events.getLast().path("item").path("content").get(0).path("text").asText();
        assertThat(reply).isEqualTo(OneModelServer.REPLY);
        // The classifier and the agent both asked, each for the served model, never the seed's gpt-5-nano.
        assertThat(local.chatModels).hasSizeGreaterThanOrEqualTo(2).containsOnly(SERVED);
    }

    @Test
    void aModelTheServerDoesNotServeIsReportedAtStartWithWhatItServes() {
        AssistantConfig assistant = AssistantConfig.fromEnv(Map.of("OPENAI_BASE_URL", local.baseUrl(),
                "PARLEY_MODEL", "mistral", "PARLEY_MODEL_MAP", "gpt-5=qwen2.5"));
        try (var logs = new LogCapture()) {
            Providers.open(assistant, Path.of("unused"));
            assertThat(logs.warnings()).anyMatch(m -> m.contains("does not serve PARLEY_MODEL 'mistral', "
                    + "PARLEY_MODEL_MAP's 'qwen2.5' (for gpt-5); it serves llama3.2"));
        }
    }

    @Test
    void aBaseUrlWithoutAModelSaysWhichVariableIsMissing() {
        var e = org.assertj.core.api.Assertions.catchThrowable(() -> AssistantConfig.fromEnv(Map.of("OPENAI_BASE_URL",
                local.baseUrl())));
        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENAI_BASE_URL is set without OPENAI_API_KEY")
                .hasMessageContaining("needs PARLEY_MODEL");
    }

    @Test
    void aKeyAndABaseUrlKeepTheResponsesApiAndTheLogSaysHowToChooseOtherwise() {
        AssistantConfig assistant = AssistantConfig.fromEnv(Map.of("OPENAI_BASE_URL", local.baseUrl(),
                "OPENAI_API_KEY", "sk-test"));
        assertThat(assistant.provider()).isEqualTo(AssistantConfig.Provider.OPENAI);
        assertThat(assistant.providerNote()).contains("PARLEY_MODEL_PROVIDER=openai-compatible");
    }

    /** Like Ollama's OpenAI-compatible API, with one model loaded; everything it was asked for is recorded. */
    static final class OneModelServer implements AutoCloseable {
        static final String REPLY = "Happy to help with your bakery's website.";
        final List<String> chatModels = new CopyOnWriteArrayList<>();
        private final String model;
        private final HttpServer server;

        OneModelServer(String model) throws IOException {
            this.model = model;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/models", this::models);
            server.createContext("/v1/chat/completions", this::chat);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        private void models(HttpExchange x) throws IOException {
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            list.putArray("data").addObject().put("id", model).put("object", "model").put("created", 1_764_000_000L)
                    .put("owned_by", "library");
            send(x, 200, "application/json", list.toString());
        }

        private void chat(HttpExchange x) throws IOException {
            JsonNode request = JSON.readTree(x.getRequestBody());
            String asked = request.path("model").asText();
            chatModels.add(asked);
            if (!asked.equals(model)) {
                send(x, 404, "application/json", "{\"error\":{\"message\":\"model \\\"" + asked
                        + "\\\" not found, try pulling it first\",\"type\":\"api_error\",\"param\":null,\"code\":null}}");
                return;
            }
            if (request.path("stream").asBoolean()) {
                ObjectNode chunk = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion.chunk")
                        .put("created", 1_764_000_000L).put("model", model);
                chunk.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("role", "assistant").put("content", REPLY);
                ObjectNode end = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion.chunk")
                        .put("created", 1_764_000_000L).put("model", model);
                end.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
                send(x, 200, "text/event-stream", "data: " + chunk + "\n\ndata: " + end + "\n\ndata: [DONE]\n\n");
                return;
            }
            // A classification: the first category the message names, as the schema asks.
            String content = "{\"category\":\"website_build\",\"confidence\":0.9,\"reason\":\"a website\"}";
            ObjectNode completion = JSON.createObjectNode().put("id", "c2").put("object", "chat.completion")
                    .put("created", 1_764_000_000L).put("model", model);
            ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
            completion.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
            send(x, 200, "application/json", completion.toString());
        }

        private static void send(HttpExchange x, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
