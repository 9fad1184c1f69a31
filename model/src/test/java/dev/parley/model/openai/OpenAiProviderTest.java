package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.responsesJson;
import static dev.parley.model.openai.StandInOpenAi.responsesStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.ModelException;
import dev.parley.model.ModelSettings;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Responses API provider against the stand-in: what it sends, and what it makes of the replies. */
class OpenAiProviderTest {
    static final String ROUTE_SCHEMA = """
            {"type":"object","properties":{
              "category":{"type":"string","enum":["website_build","support","other"]},
              "confidence":{"type":"number","minimum":0,"maximum":1}},
             "required":["category","confidence"],"additionalProperties":false}""";

    private final StandInOpenAi server = StandInOpenAi.start();
    private final OpenAiProvider provider = new OpenAiProvider(
            new OpenAiSettings("sk-test-123", server.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    @Test
    void streamsDeltasAndReturnsTheWholeTextWithUsage() {
        server.then(responsesStream("Hel", "lo, ", "how can I help?"));

        Completion done = provider.streamText(new TextRequest(null, "You are the agency's assistant.",
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello! What do you need?")),
                "A website, please", null), deltas::add);

        assertThat(deltas).containsExactly("Hel", "lo, ", "how can I help?");
        assertThat(done.text()).isEqualTo("Hello, how can I help?");
        assertThat(done.usage()).isEqualTo(new Usage(11, 7));
        assertThat(provider.name()).isEqualTo("openai");
    }

    @Test
    void aSinkThatAnswersFalseStopsTheStreamAndGetsTheTextSoFar() {
        server.then(responsesStream("One. ", "Two. ", "Three."));

        Completion done = provider.streamText(new TextRequest(null, "Count.", List.of(), "Go", null),
                delta -> deltas.add(delta) && deltas.size() < 2);

        assertThat(deltas).containsExactly("One. ", "Two. ");
        assertThat(done.text()).isEqualTo("One. Two. ");
    }

    @Test
    void sendsModelInstructionsAndHistoryWithRolesAndOnlyTheSettingsThatAreSet() {
        server.then(responsesStream("ok"));

        provider.streamText(new TextRequest(null, "Be brief.",
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!")), "Prices?", null), deltas::add);

        StandInOpenAi.Recorded request = server.request(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/responses");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test-123");
        JsonNode body = request.json();
        assertThat(body.path("model").asText()).isEqualTo("gpt-5-nano");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(roles(body.path("input"))).containsExactly("user:Hi", "assistant:Hello!", "user:Prices?");
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.has("max_output_tokens")).isFalse();
        assertThat(body.has("reasoning")).isFalse();
        assertThat(body.has("text")).isFalse();
    }

    @Test
    void theRequestsModelOverridesTheDefaultAndSettingsAreSent() {
        server.then(responsesStream("ok"));

        provider.streamText(new TextRequest("gpt-5-mini", null, List.of(), "Hi",
                new ModelSettings(0.2, 0.9, 300, "low")), deltas::add);

        JsonNode body = server.request(0).json();
        assertThat(body.path("model").asText()).isEqualTo("gpt-5-mini");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_output_tokens").asInt()).isEqualTo(300);
        assertThat(body.path("reasoning").path("effort").asText()).isEqualTo("low");
        assertThat(body.has("instructions")).isFalse();
    }

    @Test
    void structuredSendsAStrictJsonSchemaFormatAndReturnsTheValidatedValue() throws Exception {
        server.then(responsesJson("{\"category\":\"website_build\",\"confidence\":0.92}"));

        StructuredCompletion done = provider.structured(route("I need a new shop website"));

        JsonNode body = server.request(0).json();
        assertThat(body.has("stream")).isFalse();
        JsonNode format = body.path("text").path("format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("name").asText()).isEqualTo("route");
        assertThat(format.path("strict").asBoolean()).isTrue();
        assertThat(format.path("schema")).isEqualTo(StandInOpenAi.JSON.readTree(ROUTE_SCHEMA));
        assertThat(done.value().path("category").asText()).isEqualTo("website_build");
        assertThat(done.rawText()).contains("0.92");
        assertThat(done.usage()).isEqualTo(new Usage(11, 7));
    }

    @Test
    void aSchemaWithAnOptionalPropertyIsSentNonStrict() throws Exception {
        server.then(responsesJson("{\"name\":\"Ada\"}"));
        var schema = StandInOpenAi.JSON.readTree("""
                {"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string"}},
                 "required":["name"],"additionalProperties":false}""");

        provider.structured(new StructuredRequest(null, null, List.of(), "Ada here", null, "contact", schema));

        JsonNode format = server.request(0).json().path("text").path("format");
        assertThat(format.path("strict").asBoolean(true)).isFalse();
    }

    @Test
    void aSchemaNameOpenAiWouldRefuseIsMadeSafe() {
        server.then(responsesJson("{\"category\":\"other\",\"confidence\":0.5}"));
        StructuredRequest r = route("Hi");

        provider.structured(new StructuredRequest(null, null, List.of(), "Hi", null, "Route inquiry!", r.schema()));

        assertThat(server.request(0).json().path("text").path("format").path("name").asText())
                .isEqualTo("Route_inquiry_");
    }

    @Test
    void invalidOutputGetsOneRepairAttemptThatQuotesTheViolations() {
        server.then(responsesJson("{\"category\":\"website_build\",\"confidence\":3}"),
                responsesJson("{\"category\":\"website_build\",\"confidence\":0.8}"));

        StructuredCompletion done = provider.structured(route("New site please"));

        assertThat(done.value().path("confidence").asDouble()).isEqualTo(0.8);
        assertThat(done.usage()).isEqualTo(new Usage(22, 14));
        assertThat(server.requests()).hasSize(2);
        List<String> repairTurns = roles(server.request(1).json().path("input"));
        assertThat(repairTurns).hasSize(3);
        assertThat(repairTurns.get(0)).isEqualTo("user:New site please");
        assertThat(repairTurns.get(1)).isEqualTo("assistant:{\"category\":\"website_build\",\"confidence\":3}");
        assertThat(repairTurns.get(2)).startsWith("user:").contains("\"route\"").contains("/confidence");
    }

    @Test
    void outputThatIsNotJsonIsRepairedToo() {
        server.then(responsesJson("Sure! It's a website build."),
                responsesJson("```json\n{\"category\":\"website_build\",\"confidence\":0.7}\n```"));

        StructuredCompletion done = provider.structured(route("New site please"));

        assertThat(done.value().path("category").asText()).isEqualTo("website_build");
        assertThat(roles(server.request(1).json().path("input")).get(2)).contains("not valid JSON");
    }

    @Test
    void outputStillInvalidAfterTheRepairFailsNamingTheSchemaPath() {
        server.then(responsesJson("{\"category\":\"website_build\",\"confidence\":3}"),
                responsesJson("{\"category\":\"spam\",\"confidence\":0.5}"));

        assertThatThrownBy(() -> provider.structured(route("New site please")))
                .isInstanceOfSatisfying(ModelException.class, e -> {
                    assertThat(e.getMessage()).contains("schema 'route'").contains("/category")
                            .contains("after one repair attempt");
                    assertThat(e.userMessage()).doesNotContain("/category").doesNotContain("schema");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(server.requests()).hasSize(2);
    }

    static StructuredRequest route(String input) {
        try {
            return new StructuredRequest(null, "Classify the inquiry.", List.of(), input, null, "route",
                    StandInOpenAi.JSON.readTree(ROUTE_SCHEMA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return each input item as role:text} */
    static List<String> roles(JsonNode input) {
        return java.util.stream.StreamSupport.stream(input.spliterator(), false)
                .map(item -> item.path("role").asText() + ":" + item.path("content").asText())
                .toList();
    }
}
