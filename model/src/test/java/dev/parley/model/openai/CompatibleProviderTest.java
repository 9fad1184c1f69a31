package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.chatJson;
import static dev.parley.model.openai.StandInOpenAi.chatStream;
import static dev.parley.model.openai.StandInOpenAi.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.ModelException;
import dev.parley.model.ModelSettings;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.TextRequest;
import dev.parley.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Chat Completions provider (Ollama, vLLM, llama.cpp) against the stand-in. */
class CompatibleProviderTest {
    private final StandInOpenAi server = StandInOpenAi.start();
    private final CapturedLog log = new CapturedLog();
    private final CompatibleProvider provider = new CompatibleProvider(
            new OpenAiSettings(null, server.baseUrl(), "llama3.2", Duration.ofSeconds(5), 0));
    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
        log.close();
    }

    @Test
    void aSinkThatAnswersFalseStopsTheStreamAndGetsTheTextSoFar() {
        server.then(chatStream("One. ", "Two. ", "Three."));
        List<String> seen = new java.util.ArrayList<>();

        Completion done = provider.streamText(new TextRequest(null, "Count.", List.of(), "Go", null),
                delta -> seen.add(delta) && seen.size() < 2);

        assertThat(seen).containsExactly("One. ", "Two. ");
        assertThat(done.text()).isEqualTo("One. Two. ");
    }

    @Test
    void streamsChunksUntilDoneAndSendsTheConversationWithRoles() {
        server.then(chatStream("We build ", "shops and ", "blogs."));

        Completion done = provider.streamText(new TextRequest(null, "You are the agency's assistant.",
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!")), "What do you build?", null),
                deltas::add);

        assertThat(deltas).containsExactly("We build ", "shops and ", "blogs.");
        assertThat(done.text()).isEqualTo("We build shops and blogs.");
        assertThat(done.usage()).isEqualTo(new Usage(21, 9));
        StandInOpenAi.Recorded request = server.request(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        JsonNode body = request.json();
        assertThat(body.path("model").asText()).isEqualTo("llama3.2");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(messages(body)).containsExactly("system:You are the agency's assistant.", "user:Hi",
                "assistant:Hello!", "user:What do you build?");
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("response_format")).isFalse();
        assertThat(provider.name()).isEqualTo("openai-compatible");
    }

    @Test
    void theRequestsModelAndSettingsAreSent() {
        server.then(chatStream("ok"));

        provider.streamText(new TextRequest("qwen3:8b", null, List.of(), "Hi", new ModelSettings(0.1, 0.5, 64, "high")),
                deltas::add);

        JsonNode body = server.request(0).json();
        assertThat(body.path("model").asText()).isEqualTo("qwen3:8b");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(messages(body)).containsExactly("user:Hi");
    }

    @Test
    void structuredAsksForAJsonSchemaResponseFormat() throws Exception {
        server.then(chatJson("{\"category\":\"support\",\"confidence\":0.66}"));

        StructuredCompletion done = provider.structured(OpenAiProviderTest.route("My site is down"));

        JsonNode body = server.request(0).json();
        assertThat(body.has("stream")).isFalse();
        JsonNode format = body.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("route");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema"))
                .isEqualTo(StandInOpenAi.JSON.readTree(OpenAiProviderTest.ROUTE_SCHEMA));
        assertThat(messages(body)).containsExactly("system:Classify the inquiry.", "user:My site is down");
        assertThat(done.value().path("category").asText()).isEqualTo("support");
        assertThat(done.usage()).isEqualTo(new Usage(21, 9));
    }

    @Test
    void aServerThatRejectsJsonSchemaGetsJsonObjectWithTheSchemaInTheInstructionsFromThenOn() {
        server.then(error(400, "response_format.type json_schema is not supported", "invalid_request_error",
                        "response_format", null),
                chatJson("```json\n{\"category\":\"other\",\"confidence\":0.4}\n```"),
                chatJson("{\"category\":\"support\",\"confidence\":0.9}"));

        StructuredCompletion first = provider.structured(OpenAiProviderTest.route("Hello?"));
        StructuredCompletion second = provider.structured(OpenAiProviderTest.route("Help!"));

        assertThat(first.value().path("category").asText()).isEqualTo("other");
        assertThat(second.value().path("category").asText()).isEqualTo("support");
        assertThat(server.requests()).hasSize(3);
        JsonNode fallback = server.request(1).json();
        assertThat(fallback.path("response_format").path("type").asText()).isEqualTo("json_object");
        String system = messages(fallback).getFirst();
        assertThat(system).startsWith("system:Classify the inquiry.").contains("JSON Schema")
                .contains("\"confidence\"");
        assertThat(server.request(2).json().path("response_format").path("type").asText())
                .as("the server's answer is remembered").isEqualTo("json_object");
        assertThat(log.warningsAndErrors()).isEmpty();
    }

    @Test
    void invalidOutputIsRepairedOnceThenFailsNamingThePath() {
        server.then(chatJson("{\"category\":\"support\"}"), chatJson("{\"category\":\"support\",\"confidence\":0.7}"),
                chatJson("{\"category\":\"support\"}"), chatJson("{\"confidence\":0.7}"));

        StructuredCompletion repaired = provider.structured(OpenAiProviderTest.route("Broken"));
        assertThat(repaired.value().path("confidence").asDouble()).isEqualTo(0.7);
        List<String> repairTurns = messages(server.request(1).json());
        assertThat(repairTurns).hasSize(4);
        assertThat(repairTurns.get(2)).isEqualTo("assistant:{\"category\":\"support\"}");
        assertThat(repairTurns.get(3)).contains("confidence");

        assertThatThrownBy(() -> provider.structured(OpenAiProviderTest.route("Broken")))
                .isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.getMessage())
                        .contains("schema 'route'").contains("category"));
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void aStreamWithoutAFinishReasonIsACutStream() {
        server.then(StandInOpenAi.chatStreamWithoutFinish("Our office ", "opens at"));

        ModelException e = catchThrowableOfType(ModelException.class, () -> provider.streamText(
                new TextRequest(null, null, List.of(), "Hours?", null), deltas::add));

        assertThat(deltas).containsExactly("Our office ", "opens at");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cut the stream after 19 characters");
    }

    @Test
    void aDroppedConnectionMidStreamKeepsTheDeltasAndFailsRetryable() {
        server.then(StandInOpenAi.chatStreamCut("Our office ", "opens at"));

        ModelException e = catchThrowableOfType(ModelException.class, () -> provider.streamText(
                new TextRequest(null, null, List.of(), "Hours?", null), deltas::add));

        assertThat(deltas).containsExactly("Our office ", "opens at");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).startsWith("The model server at " + server.baseUrl() + " cut the stream");
        assertThat(e.userMessage()).isEqualTo("The reply was interrupted. Please try again.");
    }

    @Test
    void aRejectedKeyNamesTheServerAndTheVariable() {
        server.then(error(401, "Invalid API key", "invalid_request_error", null, "invalid_api_key"));

        ModelException e = catchThrowableOfType(ModelException.class, () -> provider.streamText(
                new TextRequest(null, null, List.of(), "Hi", null), deltas::add));

        assertThat(e.getMessage()).isEqualTo("The model server at " + server.baseUrl()
                + " rejected the API key (401): Invalid API key; check OPENAI_API_KEY");
        assertThat(e.retryable()).isFalse();
        assertThat(log.warningsAndErrors()).containsExactly(e.getMessage());
    }

    @Test
    void anUnverifiedOrganizationFallsBackToAWholeReply() {
        server.then(error(400, OpenAiProviderFailureTest.VERIFY, "invalid_request_error", "stream",
                "unsupported_value"), chatJson("Whole reply"));

        Completion done = provider.streamText(new TextRequest(null, null, List.of(), "Hi", null), deltas::add);

        assertThat(done.text()).isEqualTo("Whole reply");
        assertThat(deltas).containsExactly("Whole reply");
        JsonNode fallback = server.request(1).json();
        assertThat(fallback.has("stream")).isFalse();
        assertThat(fallback.has("stream_options")).as("OpenAI refuses stream_options without stream").isFalse();
    }

    @Test
    void aCompatibleProviderNeedsABaseUrl() {
        assertThatThrownBy(() -> new CompatibleProvider(new OpenAiSettings(null, null, "llama3.2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENAI_BASE_URL")
                .hasMessageContaining("http://localhost:11434/v1");
    }

    /** {@return each message as role:content} */
    static List<String> messages(JsonNode body) {
        return StreamSupport.stream(body.path("messages").spliterator(), false)
                .map(m -> m.path("role").asText() + ":" + m.path("content").asText())
                .toList();
    }
}
