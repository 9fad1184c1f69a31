package dev.parley.model.openai;

import static dev.parley.model.openai.StandInOpenAi.chatStream;
import static dev.parley.model.openai.StandInToolCalls.chatCalling;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.Completion;
import dev.parley.model.TextRequest;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.Usage;
import dev.parley.model.openai.StandInToolCalls.Call;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Function tools through Chat Completions: tools in the body, calls assembled from pieces, the round trip. */
class CompatibleToolCallTest {
    private final StandInOpenAi server = StandInOpenAi.start();
    private final CompatibleProvider provider = new CompatibleProvider(
            new OpenAiSettings(null, server.baseUrl(), "llama3.2", Duration.ofSeconds(5), 0));
    private final List<String> deltas = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static TextRequest request(String input) throws Exception {
        return new TextRequest(null, "Use the tools.", List.of(), input, null, OpenAiToolCallTest.tools(), List.of());
    }

    @Test
    void toolsGoOutAsFunctionsWithTheirSchemaStrictOnlyWhenEligible() throws Exception {
        server.then(chatStream("ok"));

        provider.streamText(request("Weather in Oslo?"), deltas::add);

        JsonNode tools = server.request(0).json().path("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
        JsonNode weather = tools.get(0).path("function");
        assertThat(weather.path("name").asText()).isEqualTo("get_weather");
        assertThat(weather.path("description").asText()).isEqualTo("The current weather in a city.");
        assertThat(weather.path("parameters")).isEqualTo(StandInOpenAi.JSON.readTree(OpenAiToolCallTest.WEATHER_SCHEMA));
        assertThat(weather.path("strict").asBoolean()).isTrue();
        JsonNode orders = tools.get(1).path("function");
        assertThat(orders.path("name").asText()).isEqualTo("find_orders");
        assertThat(orders.path("parameters")).isEqualTo(StandInOpenAi.JSON.readTree(OpenAiToolCallTest.ORDERS_SCHEMA));
        assertThat(orders.has("strict")).isFalse();
    }

    @Test
    void aRequestWithoutToolsSendsNone() {
        server.then(chatStream("ok"));

        provider.streamText(new TextRequest(null, null, List.of(), "Hi", null), deltas::add);

        assertThat(server.request(0).json().has("tools")).isFalse();
    }

    @Test
    void aCallStreamedInPiecesIsAssembled() throws Exception {
        server.then(chatCalling(null, new Call("call_Wx81", "get_weather", "{\"", "city", "\":\"", "Oslo", "\"}")));

        Completion done = provider.streamText(request("Weather in Oslo?"), deltas::add);

        assertThat(done.toolCalls()).containsExactly(new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(done.text()).isEmpty();
        assertThat(deltas).isEmpty();
        assertThat(done.usage()).isEqualTo(new Usage(82, 17));
    }

    @Test
    void parallelCallsComeBackByIndexAndTextBeforeThemIsKept() throws Exception {
        server.then(chatCalling("Let me check both.",
                new Call("call_Wx81", "get_weather", "{\"city\":", "\"Oslo\"}"),
                new Call("call_Or22", "find_orders", "{\"email\":", "\"ana@example.com\"}")));

        Completion done = provider.streamText(request("Weather in Oslo, and my orders?"), deltas::add);

        assertThat(done.toolCalls()).containsExactly(
                new ToolCall("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}"));
        assertThat(done.text()).isEqualTo("Let me check both.");
        assertThat(deltas).containsExactly("Let me check both.");
    }

    @Test
    void theNextRequestCarriesTheCallsAsAnAssistantMessageThenOneToolMessageEach() throws Exception {
        server.then(chatCalling(null,
                        new Call("call_Wx81", "get_weather", "{\"city\":\"Oslo\"}"),
                        new Call("call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}")),
                chatStream("It is 4 degrees; ", "order 17 shipped."));
        TextRequest first = request("Weather in Oslo, and my orders?");
        List<ToolCall> calls = provider.streamText(first, deltas::add).toolCalls();

        Completion done = provider.streamText(first
                .withExchange(new ToolExchange(calls.get(0), "{\"celsius\":4}"))
                .withExchange(new ToolExchange(calls.get(1), "order 17: shipped")), deltas::add);

        assertThat(done.text()).isEqualTo("It is 4 degrees; order 17 shipped.");
        assertThat(done.toolCalls()).isEmpty();
        assertThat(deltas).containsExactly("It is 4 degrees; ", "order 17 shipped.");
        JsonNode messages = server.request(1).json().path("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("user");
        JsonNode assistant = messages.get(2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        JsonNode toolCalls = assistant.path("tool_calls");
        assertThat(toolCalls).hasSize(2);
        assertToolCall(toolCalls.get(0), "call_Wx81", "get_weather", "{\"city\":\"Oslo\"}");
        assertToolCall(toolCalls.get(1), "call_Or22", "find_orders", "{\"email\":\"ana@example.com\"}");
        assertToolMessage(messages.get(3), "call_Wx81", "{\"celsius\":4}");
        assertToolMessage(messages.get(4), "call_Or22", "order 17: shipped");
    }

    private static void assertToolCall(JsonNode call, String id, String name, String arguments) {
        assertThat(call.path("id").asText()).isEqualTo(id);
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo(name);
        assertThat(call.path("function").path("arguments").asText()).isEqualTo(arguments);
    }

    private static void assertToolMessage(JsonNode message, String callId, String content) {
        assertThat(message.path("role").asText()).isEqualTo("tool");
        assertThat(message.path("tool_call_id").asText()).isEqualTo(callId);
        assertThat(message.path("content").asText()).isEqualTo(content);
    }
}
