package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.responsesStream;
import static dev.parley.model.openai.StandInToolCalls.responsesCalling;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.Completion;
import dev.parley.model.TextRequest;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.ToolSpec;
import dev.parley.model.Usage;
import dev.parley.model.openai.StandInToolCalls.Call;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Function tools through the Responses API: what goes out, which calls come back, and the round trip. */
class OpenAiToolCallTest {
    static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";
    // "limit" is optional: strict mode would refuse it.
    static final String ORDERS_SCHEMA = """
            {"type":"object","properties":{"email":{"type":"string"},"limit":{"type":"integer"}},"required":["email"]}""";

    private final StandInOpenAi server = StandInOpenAi.start();
    private final OpenAiProvider provider = new OpenAiProvider(
            new OpenAiSettings("sk-test-123", server.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    static List<ToolSpec> tools() throws Exception {
        return List.of(
                new ToolSpec("get_weather", "The current weather in a city.", StandInOpenAi.JSON.readTree(WEATHER_SCHEMA)),
                new ToolSpec("find_orders", "A customer's recent orders.", StandInOpenAi.JSON.readTree(ORDERS_SCHEMA)));
    }

    private static TextRequest request(String input) throws Exception {
        return new TextRequest(null, "Use the tools.", List.of(), input, null, tools(), List.of());
    }

    @Test
    void toolsGoOutAsFunctionToolsWithTheirSchemaStrictOnlyWhenEligible() throws Exception {
        server.then(responsesStream("ok"));

        provider.streamText(request("Weather in Oslo?"), deltas::add);

        JsonNode tools = server.request(0).json().path("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(tools.get(0).path("description").asText()).isEqualTo("The current weather in a city.");
        assertThat(tools.get(0).path("parameters")).isEqualTo(StandInOpenAi.JSON.readTree(WEATHER_SCHEMA));
        assertThat(tools.get(0).path("strict").isBoolean()).isTrue();
        assertThat(tools.get(0).path("strict").asBoolean()).isTrue();
        assertThat(tools.get(1).path("name").asText()).isEqualTo("find_orders");
        assertThat(tools.get(1).path("parameters")).isEqualTo(StandInOpenAi.JSON.readTree(ORDERS_SCHEMA));
        // Sent as false, not left out: the Responses API reads a missing strict as true.
        assertThat(tools.get(1).path("strict").isBoolean()).isTrue();
        assertThat(tools.get(1).path("strict").asBoolean()).isFalse();
    }

    @Test
    void aRequestWithoutToolsSendsNone() {
        server.then(responsesStream("ok"));

        provider.streamText(new TextRequest(null, null, List.of(), "Hi", null), deltas::add);

        assertThat(server.request(0).json().has("tools")).isFalse();
    }

    @Test
    void aStreamedCallComesBackWithItsIdNameAndArgumentText() throws Exception {
        server.then(responsesCalling(new Call("call_Wx81", "get_weather", "{\"ci", "ty\":\"Os", "lo\"}")));

        Completion done = provider.streamText(request("Weather in Oslo?"), deltas::add);

        assertThat(done.toolCalls()).containsExactly(new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(done.text()).isEmpty();
        assertThat(deltas).isEmpty();
        assertThat(done.usage()).isEqualTo(new Usage(11, 7));
    }

    @Test
    void parallelCallsAllComeBackInOrder() throws Exception {
        server.then(responsesCalling(
                new Call("call_Wx81", "get_weather", "{\"city\":", "\"Oslo\"}"),
                new Call("call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}")));

        Completion done = provider.streamText(request("Weather in Oslo, and my orders?"), deltas::add);

        assertThat(done.toolCalls()).containsExactly(
                new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}"));
    }

    @Test
    void withoutStreamingTheCallsComeBackToo() throws Exception {
        server.then(StandInOpenAi.error(400, OpenAiProviderFailureTest.VERIFY, "invalid_request_error", "stream",
                        "unsupported_value"),
                StandInToolCalls.responsesJsonCalling(new Call("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}")));

        Completion done = provider.streamText(request("Weather in Oslo?"), deltas::add);

        assertThat(done.toolCalls()).containsExactly(new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(done.text()).isEmpty();
        assertThat(server.request(1).json().path("tools")).hasSize(2);
    }

    @Test
    void theNextRequestCarriesEachCallThenItsOutputAndTheAnswerStreams() throws Exception {
        server.then(responsesCalling(
                        new Call("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"),
                        new Call("call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}")),
                responsesStream("It is 4 degrees; ", "order 17 shipped."));
        TextRequest first = request("Weather in Oslo, and my orders?");
        List<ToolCall> calls = provider.streamText(first, deltas::add).toolCalls();

        Completion done = provider.streamText(first
                .withExchange(new ToolExchange(calls.get(0), "{\"celsius\":4}"))
                .withExchange(new ToolExchange(calls.get(1), "order 17: shipped")), deltas::add);

        assertThat(done.text()).isEqualTo("It is 4 degrees; order 17 shipped.");
        assertThat(done.toolCalls()).isEmpty();
        assertThat(deltas).containsExactly("It is 4 degrees; ", "order 17 shipped.");
        JsonNode body = server.request(1).json();
        JsonNode input = body.path("input");
        assertThat(input).hasSize(5);
        assertThat(input.get(0).path("role").asText()).isEqualTo("user");
        assertThat(input.get(0).path("content").asText()).isEqualTo("Weather in Oslo, and my orders?");
        assertFunctionCall(input.get(1), "call_Wx81", "get_weather", "{\"city\":\"Oslo\"}");
        assertOutput(input.get(2), "call_Wx81", "{\"celsius\":4}");
        assertFunctionCall(input.get(3), "call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}");
        assertOutput(input.get(4), "call_Or22", "order 17: shipped");
        assertThat(body.path("tools")).hasSize(2);
    }

    private static void assertFunctionCall(JsonNode item, String callId, String name, String arguments) {
        assertThat(item.path("type").asText()).isEqualTo("function_call");
        assertThat(item.path("call_id").asText()).isEqualTo(callId);
        assertThat(item.path("name").asText()).isEqualTo(name);
        assertThat(item.path("arguments").asText()).isEqualTo(arguments);
    }

    private static void assertOutput(JsonNode item, String callId, String output) {
        assertThat(item.path("type").asText()).isEqualTo("function_call_output");
        assertThat(item.path("call_id").asText()).isEqualTo(callId);
        assertThat(item.path("output").asText()).isEqualTo(output);
    }
}
