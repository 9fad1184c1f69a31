package dev.parley.model.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The echo's scripted tool calls: what a workflow test or a benchmark can rely on. */
class EchoProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EchoProvider echo = new EchoProvider();
    private final List<String> deltas = new ArrayList<>();

    private static ToolSpec tool(String name) {
        return new ToolSpec(name, "A tool.", JSON.createObjectNode().put("type", "object"));
    }

    @Test
    void piecesAreThoseOfTheWordPattern() {
        var word = java.util.regex.Pattern.compile("\\S+\\s*|\\s+");
        for (String text : List.of("You said: hi there", "  leading and trailing  ", "tabs\tand\nlines\r\n x",
                "one", " ", "a\u00a0b c", "")) {
            List<String> expected = new ArrayList<>();
            var m = word.matcher(text);
            while (m.find()) expected.add(m.group());
            List<String> pieces = new ArrayList<>();
            for (int at = 0, end; at < text.length(); at = end) {
                end = EchoProvider.pieceEnd(text, at);
                pieces.add(text.substring(at, end));
            }
            assertThat(pieces).as(text).isEqualTo(expected);
        }
    }

    @Test
    void callLinesNamingOfferedToolsBecomeCallsInOrderWithNoText() {
        String input = """
                Please check two things.
                call get_weather {"city":"Oslo"}
                call lookup_order   {"order": 42}
                call not_offered {"x":1}
                call get_weather""";

        Completion c = echo.streamText(new TextRequest(null, null, List.of(), input, null,
                List.of(tool("get_weather"), tool("lookup_order")), List.of()), deltas::add);

        assertThat(c.toolCalls()).containsExactly(
                new ToolCall("call_echo_1", "get_weather", "{\"city\":\"Oslo\"}"),
                new ToolCall("call_echo_2", "lookup_order", "{\"order\": 42}"),
                new ToolCall("call_echo_3", "get_weather", "{}"));
        assertThat(c.wantsTools()).isTrue();
        assertThat(c.text()).isEmpty();
        assertThat(deltas).isEmpty();
    }

    @Test
    void withoutOfferedToolsACallLineIsJustEchoed() {
        Completion c = echo.streamText(new TextRequest(null, null, List.of(), "call get_weather {}", null), deltas::add);

        assertThat(c.toolCalls()).isEmpty();
        assertThat(c.text()).isEqualTo("You said: call get_weather {}");
    }

    @Test
    void onceExchangesArePresentItQuotesEachOutputWordByWord() {
        ToolCall weather = new ToolCall("call_echo_1", "get_weather", "{\"city\":\"Oslo\"}");
        ToolCall order = new ToolCall("call_echo_2", "lookup_order", "{\"order\":42}");
        TextRequest first = new TextRequest(null, null, List.of(), "call get_weather {\"city\":\"Oslo\"}", null,
                List.of(tool("get_weather"), tool("lookup_order")), List.of());

        Completion c = echo.streamText(first.withExchange(new ToolExchange(weather, "4 degrees"))
                .withExchange(new ToolExchange(order, "shipped")), deltas::add);

        assertThat(c.toolCalls()).isEmpty();
        assertThat(c.text()).isEqualTo("get_weather said: 4 degrees lookup_order said: shipped");
        assertThat(deltas).hasSize(7);
        assertThat(String.join("", deltas)).isEqualTo(c.text());
    }

    @Test
    void hostedToolsAreIgnoredAndTheEchoIsTheSame() {
        List<HostedTool> started = new ArrayList<>();
        TextSink sink = new TextSink() {
            @Override
            public boolean accept(String delta) {
                deltas.add(delta);
                return true;
            }

            @Override
            public void hostedToolStarted(HostedTool tool) {
                started.add(tool);
            }
        };

        Completion c = echo.streamText(new TextRequest(null, null, List.of(), "search for Oslo", null, List.of(),
                List.of(), List.of(new HostedTool.WebSearch(), new HostedTool.KnowledgeSearch(List.of("agency"), 3))), sink);

        assertThat(c.text()).isEqualTo("You said: search for Oslo");
        assertThat(String.join("", deltas)).isEqualTo(c.text());
        assertThat(c.sources()).isEmpty();
        assertThat(started).isEmpty();
        assertThat(echo.runs(new HostedTool.WebSearch())).isFalse();
    }
}
