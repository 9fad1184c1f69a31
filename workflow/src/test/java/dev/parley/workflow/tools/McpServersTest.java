package dev.parley.workflow.tools;

import static dev.parley.workflow.tools.WebhookToolTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing and calling tools of the MCP SDK's own server, started on loopback, over streamable HTTP. */
class McpServersTest {
    private final McpTestServer server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);
    private McpServers mcp = new McpServers();

    @AfterEach
    void stop() {
        mcp.close();
        server.close();
    }

    private McpServers.Server target() {
        return new McpServers.Server("test", server.url());
    }

    private List<Tool> listed(List<String> allowed) {
        McpServers.Listing listing = mcp.tools(target(), allowed);
        assertThat(listing).isInstanceOf(McpServers.Listing.Available.class);
        return ((McpServers.Listing.Available) listing).tools();
    }

    private Tool tool(String name) {
        return listed(List.of(name)).getFirst();
    }

    @Test
    void listsTheServersToolsWithTheirDescriptionsAndSchemas() {
        McpServers.Listing listing = mcp.tools(target(), null);

        assertThat(listing).isInstanceOf(McpServers.Listing.Available.class);
        var available = (McpServers.Listing.Available) listing;
        assertThat(available.tools()).extracting(Tool::name)
                .containsExactly("echo", "weather", "find_order", "slow", "picture", "big");
        Tool echo = available.tools().getFirst();
        assertThat(echo.description()).isEqualTo("Repeats the text.");
        assertThat(echo.parameters().at("/properties/text/type").asText()).isEqualTo("string");
        assertThat(echo.parameters().at("/required/0").asText()).isEqualTo("text");
        // dotted.name is a valid MCP name but not a function name a model can call.
        assertThat(available.notes()).singleElement().asString()
                .contains("dotted.name", "not one a model can call", "MCP server test");
    }

    @Test
    void nothingIsSentBeforeTheFirstUse() {
        McpServers.Server target = target();

        assertThat(server.requests).isEmpty();
        assertThat(mcp.tools(target, null)).isInstanceOf(McpServers.Listing.Available.class);
        assertThat(server.requests).isNotEmpty();
    }

    @Test
    void offersOnlyTheAllowedToolsAndNotesAllowedNamesTheServerLacks() {
        var listing = (McpServers.Listing.Available) mcp.tools(target(), List.of("weather", "echo", "send_email"));

        assertThat(listing.tools()).extracting(Tool::name).containsExactly("echo", "weather");
        assertThat(listing.notes()).singleElement().asString().contains("send_email", "does not offer");
    }

    @Test
    void aCallGivesTheModelTheToolsText() {
        ToolResult result = tool("echo").call(json("{\"text\":\"hello\"}"), ToolContext.NONE);

        assertThat(result).isEqualTo(new ToolResult.Ok("echo: hello"));
        assertThat(server.calls).containsExactly("echo {text=hello}");
    }

    @Test
    void aDirectCallKeepsTheStructuredContentBesideTheText() {
        McpCallResult result = mcp.call(target(), "weather", json("{\"city\":\"Oslo\"}"), ToolContext.NONE, null);

        assertThat(result).isInstanceOf(McpCallResult.Ok.class);
        var ok = (McpCallResult.Ok) result;
        assertThat(ok.text()).isEqualTo("21 °C in Oslo");
        assertThat(ok.structured()).isEqualTo(json("{\"city\":\"Oslo\",\"temp_c\":21}"));
    }

    @Test
    void aDirectCallReachesToolsWhoseNamesAModelCouldNotCall() {
        McpCallResult result = mcp.call(target(), "dotted.name", null, ToolContext.NONE, Duration.ofSeconds(5));

        assertThat(result).isEqualTo(new McpCallResult.Ok("dotted ok", null));
    }

    @Test
    void aDirectCallToAToolTheServerLacksFailsWithoutSendingIt() {
        McpCallResult result = mcp.call(target(), "send_email", json("{}"), ToolContext.NONE, null);

        assertThat(result).isInstanceOf(McpCallResult.Failed.class);
        var failed = (McpCallResult.Failed) result;
        assertThat(failed.messageForTheModel()).contains("send_email", "does not offer it");
        assertThat(failed.detailForTheTrace()).contains("no tool send_email", "echo");
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aToolThatReportsAnErrorGivesTheModelItsWords() {
        ToolResult result = tool("find_order").call(json("{\"order_id\":\"A-17\"}"), ToolContext.NONE);

        assertThat(result).isInstanceOf(ToolResult.Failed.class);
        var failed = (ToolResult.Failed) result;
        assertThat(failed.messageForTheModel()).contains("find_order reported an error: no order A-17",
                "call it again with corrected ones");
        assertThat(failed.detailForTheTrace()).contains("isError", "MCP server test", "/mcp");
        assertThat(server.calls).containsExactly("find_order {order_id=A-17}");
    }

    @Test
    void invalidArgumentsAreNeverSent() {
        Tool echo = tool("echo");

        ToolResult wrongType = echo.call(json("{\"text\":5}"), ToolContext.NONE);
        ToolResult missing = echo.call(json("{}"), ToolContext.NONE);
        ToolResult notAnObject = echo.call(json("[\"hello\"]"), ToolContext.NONE);

        assertThat(wrongType).isInstanceOf(ToolResult.Failed.class);
        assertThat(wrongType.forModel()).contains("echo was not called", "/text", "string");
        assertThat(((ToolResult.Failed) wrongType).detailForTheTrace()).startsWith("invalid arguments, not sent");
        assertThat(missing.forModel()).contains("was not called", "text");
        assertThat(notAnObject.forModel()).contains("was not called", "JSON object");
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aToolSlowerThanTheDeadlineFailsWithinIt() {
        mcp.close();
        mcp = new McpServers(new McpServers.Settings(Duration.ofMillis(700), Duration.ofSeconds(10), Duration.ofSeconds(60)));
        Tool slow = tool("slow");

        long start = System.nanoTime();
        ToolResult result = slow.call(json("{\"ms\":10000}"), ToolContext.NONE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(ToolResult.Failed.class);
        assertThat(result.forModel()).isEqualTo("The tool slow failed: it did not answer within 0.7 s. Tell the user it"
                + " could not be done right now; do not guess the result.");
        assertThat(((ToolResult.Failed) result).detailForTheTrace()).contains("no answer within 700 ms");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700)).isLessThan(Duration.ofMillis(2000));
        // The connection survives a slow tool: the next call is answered at once.
        assertThat(tool("echo").call(json("{\"text\":\"after\"}"), ToolContext.NONE)).isEqualTo(new ToolResult.Ok("echo: after"));
    }

    @Test
    void aDirectCallsOwnTimeoutApplies() {
        long start = System.nanoTime();
        McpCallResult result = mcp.call(target(), "slow", json("{\"ms\":10000}"), ToolContext.NONE, Duration.ofMillis(500));

        assertThat(result).isInstanceOf(McpCallResult.Failed.class);
        assertThat(((McpCallResult.Failed) result).messageForTheModel()).contains("did not answer within 0.5 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThatThrownBy(() -> mcp.call(target(), "echo", null, ToolContext.NONE, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void otherContentKindsAreDescribedForTheModel() {
        ToolResult result = tool("picture").call(json("{}"), ToolContext.NONE);

        assertThat(result).isEqualTo(new ToolResult.Ok("a cat\n[image: image/png]"));
    }

    @Test
    void aLongAnswerIsCutAt64KiBOnACharacterBoundary() {
        ToolResult result = tool("big").call(json("{}"), ToolContext.NONE);

        assertThat(result).isInstanceOf(ToolResult.Ok.class);
        String text = result.forModel();
        assertThat(text).contains("[Parley: the answer was longer than 64 KiB and was cut here; the rest is missing.]");
        String kept = text.substring(0, text.indexOf("\n\n[Parley"));
        assertThat(kept).matches("é+");
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(McpServers.MAX_RESULT_BYTES);
    }

    @Test
    void theToolListIsReusedUntilItIsStale() throws InterruptedException {
        mcp.close();
        mcp = new McpServers(new McpServers.Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(400)));

        listed(null);
        listed(List.of("echo"));
        mcp.call(target(), "echo", json("{\"text\":\"x\"}"), ToolContext.NONE, null);
        assertThat(server.listings).hasValue(1);

        Thread.sleep(500);
        listed(null);
        assertThat(server.listings).hasValue(2);
    }

    @Test
    void aServerSchemaWithARemoteRefIsNotCompiledAndTheToolIsLeftOut() {
        try (LoopbackServer schemaHost = new LoopbackServer(ex -> LoopbackServer.answer(ex, 200, "{\"type\":\"string\"}"));
             McpTestServer odd = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP, 0, null, List.of(
                     McpTestServer.tool("fetches", "Refers elsewhere.", """
                             {"type":"object","properties":{"a":{"$ref":"%s"}}}""".formatted(schemaHost.url("/a.json")),
                             (exchange, call) -> McpTestServer.text("never"))))) {
            var listing = (McpServers.Listing.Available) mcp.tools(new McpServers.Server("odd", odd.url()), null);

            assertThat(listing.tools()).extracting(Tool::name).doesNotContain("fetches").contains("echo");
            assertThat(listing.notes()).anySatisfy(n -> assertThat(n).contains("fetches", "remote $ref"));
            // The direct path does not compile it either.
            assertThat(mcp.call(new McpServers.Server("odd", odd.url()), "fetches", json("{}"), ToolContext.NONE, null))
                    .isInstanceOf(McpCallResult.Failed.class);
            assertThat(schemaHost.received).isEmpty();
            assertThat(odd.calls).isEmpty();
        }
    }

    @Test
    void serverRecordsRefuseHeadersTheTransportOwnsAndHideValues() {
        var server = new McpServers.Server("s", URI.create("https://mcp.example.com/mcp?key=k"),
                Map.of("Authorization", "Bearer secret-token"));

        assertThat(server.toString()).contains("Authorization").doesNotContain("secret-token", "key=k");
        assertThatThrownBy(() -> new McpServers.Server("s", URI.create("https://x.example/mcp"), Map.of("Host", "evil")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Host");
        assertThatThrownBy(() -> new McpServers.Server("s", URI.create("https://x.example/mcp"), Map.of("X-A", "1\r\nX-B: 2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> new McpServers.Server("s", URI.create("ftp://x.example/mcp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
    }
}
