package dev.parley.workflow.tools;

import static dev.parley.workflow.tools.WebhookToolTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link McpServers} reaches servers: headers, servers that are down, the fallback to the older HTTP+SSE
 * transport, one connection per server across calls, reconnecting after a restart, and closing.
 */
class McpConnectionTest {
    private final McpServers mcp = new McpServers(
            new McpServers.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)));
    private McpTestServer server;

    @AfterEach
    void stop() {
        mcp.close();
        if (server != null) server.close();
    }

    private static McpCallResult.Ok ok(McpCallResult result) {
        assertThat(result).isInstanceOf(McpCallResult.Ok.class);
        return (McpCallResult.Ok) result;
    }

    @Test
    void sendsTheHeadersOnEveryRequestAndIsRefusedWithoutThem() {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP, 0, "s3cret", List.of());
        var anonymous = new McpServers.Server("private", server.url());
        var authorized = new McpServers.Server("private", server.url(), Map.of("Authorization", "Bearer s3cret"));

        McpServers.Listing refused = mcp.tools(anonymous, null);
        McpCallResult refusedCall = mcp.call(anonymous, "echo", json("{\"text\":\"hi\"}"), ToolContext.NONE, null);
        int refusedRequests = server.requests.size();
        McpServers.Listing listing = mcp.tools(authorized, null);
        McpCallResult call = mcp.call(authorized, "echo", json("{\"text\":\"hi\"}"), ToolContext.NONE, null);

        assertThat(refused).isInstanceOf(McpServers.Listing.Unavailable.class);
        assertThat(((McpServers.Listing.Unavailable) refused).detail())
                .contains("MCP server private", "HTTP 401", "refused the credentials");
        assertThat(((McpCallResult.Failed) refusedCall).messageForTheModel())
                .contains("its server refused Parley's credentials").doesNotContain("127.0.0.1");
        // Refused credentials are not a sign of an older server: no fallback GET was tried.
        assertThat(server.requests.subList(0, refusedRequests)).extracting(McpTestServer.Request::method)
                .containsOnly("POST");
        assertThat(listing).isInstanceOf(McpServers.Listing.Available.class);
        assertThat(ok(call).text()).isEqualTo("echo: hi");
        assertThat(server.requests.subList(refusedRequests, server.requests.size()))
                .extracting(McpTestServer.Request::authorization).isNotEmpty().containsOnly("Bearer s3cret");
        assertThat(server.calls).containsExactly("echo {text=hi}");
    }

    @Test
    void aServerThatIsDownIsUnavailableNotAnException() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        var down = new McpServers.Server("down", URI.create("http://127.0.0.1:" + port + "/mcp"));

        long start = System.nanoTime();
        McpServers.Listing listing = mcp.tools(down, null);
        McpCallResult call = mcp.call(down, "echo", json("{\"text\":\"hi\"}"), ToolContext.NONE, null);

        assertThat(listing).isInstanceOf(McpServers.Listing.Unavailable.class);
        assertThat(((McpServers.Listing.Unavailable) listing).detail())
                .contains("MCP server down", "127.0.0.1:" + port + "/mcp", "could not connect");
        assertThat(call).isInstanceOf(McpCallResult.Failed.class);
        assertThat(((McpCallResult.Failed) call).messageForTheModel())
                .isEqualTo("The tool echo failed: its server could not be reached. Tell the user it could not be done"
                        + " right now; do not guess the result.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void anOlderHttpSseServerIsReachedThroughTheFallback() {
        server = new McpTestServer(McpTestServer.Transport.HTTP_SSE, 0, null, List.of());
        var legacy = new McpServers.Server("legacy", server.url(), Map.of("Authorization", "Bearer abc"));

        McpServers.Listing listing = mcp.tools(legacy, List.of("echo", "weather"));
        McpCallResult echo = mcp.call(legacy, "echo", json("{\"text\":\"over sse\"}"), ToolContext.NONE, null);
        McpCallResult weather = mcp.call(legacy, "weather", json("{\"city\":\"Bergen\"}"), ToolContext.NONE, null);

        assertThat(listing).isInstanceOf(McpServers.Listing.Available.class);
        assertThat(((McpServers.Listing.Available) listing).tools()).extracting(Tool::name).containsExactly("echo", "weather");
        assertThat(ok(echo).text()).isEqualTo("echo: over sse");
        assertThat(ok(weather).structured()).isEqualTo(json("{\"city\":\"Bergen\",\"temp_c\":21}"));
        // The spec's procedure: POST initialize to the URL, refused with a 4xx; then GET the URL for the stream.
        // (The SDK's streamable transport sometimes opens its own GET stream before it has read the 404, so there
        // may be two GETs; the first request and where the messages went are what show the fallback.)
        var first = server.requests.get(0);
        assertThat(List.of(first.method(), first.path())).containsExactly("POST", "/sse");
        assertThat(server.requests.subList(1, server.requests.size()))
                .extracting(r -> r.method() + " " + r.path())
                .contains("GET /sse", "POST /message").doesNotContain("POST /sse");
        assertThat(server.requests).extracting(McpTestServer.Request::authorization).containsOnly("Bearer abc");
        assertThat(server.calls).containsExactly("echo {text=over sse}", "weather {city=Bergen}");
    }

    @Test
    void oneConnectionServesEveryCallToTheSameServerAndHeaders() throws Exception {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);
        var target = new McpServers.Server("test", server.url());
        var sameServerOtherLabel = new McpServers.Server("other-label", server.url());

        Tool echo = ((McpServers.Listing.Available) mcp.tools(target, List.of("echo"))).tools().getFirst();
        McpConnection.Live before = connection(target);
        assertThat(echo.call(json("{\"text\":\"one\"}"), ToolContext.NONE)).isEqualTo(new ToolResult.Ok("echo: one"));
        assertThat(echo.call(json("{\"text\":\"two\"}"), ToolContext.NONE)).isEqualTo(new ToolResult.Ok("echo: two"));
        ok(mcp.call(sameServerOtherLabel, "echo", json("{\"text\":\"three\"}"), ToolContext.NONE, null));

        assertThat(connection(target)).isSameAs(before);
        assertThat(initializeRequests()).isEqualTo(1);
        assertThat(server.sessions()).isEqualTo(1);
        assertThat(server.calls).hasSize(3);
    }

    @Test
    void differentHeadersGetTheirOwnConnection() {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);

        ok(mcp.call(new McpServers.Server("a", server.url(), Map.of("X-Tenant", "a")), "echo", json("{\"text\":\"a\"}"), ToolContext.NONE, null));
        ok(mcp.call(new McpServers.Server("b", server.url(), Map.of("X-Tenant", "b")), "echo", json("{\"text\":\"b\"}"), ToolContext.NONE, null));

        assertThat(initializeRequests()).isEqualTo(2);
        assertThat(server.sessions()).isEqualTo(2);
    }

    @Test
    void aRestartedServerIsReachedAgainWithoutTheUserNoticing() {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);
        int port = server.port();
        var target = new McpServers.Server("test", server.url());
        ok(mcp.call(target, "echo", json("{\"text\":\"before\"}"), ToolContext.NONE, null));

        server.close();
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP, port, null, List.of());
        McpCallResult after = mcp.call(target, "echo", json("{\"text\":\"after\"}"), ToolContext.NONE, null);

        // The new server does not know the old session, so nothing ran there; a new session is opened and the
        // call sent once more.
        assertThat(ok(after).text()).isEqualTo("echo: after");
        assertThat(server.calls).containsExactly("echo {text=after}");
        assertThat(initializeRequests()).isEqualTo(1);
    }

    @Test
    void aConnectionThatBrokeIsDroppedAndMadeAgainOnNextUse() {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);
        int port = server.port();
        var target = new McpServers.Server("test", server.url());
        ok(mcp.call(target, "echo", json("{\"text\":\"before\"}"), ToolContext.NONE, null));
        McpConnection.Live before = connection(target);

        server.close();
        McpCallResult whileDown = mcp.call(target, "echo", json("{\"text\":\"lost\"}"), ToolContext.NONE, null);
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP, port, null, List.of());
        McpCallResult after = mcp.call(target, "echo", json("{\"text\":\"after\"}"), ToolContext.NONE, null);

        assertThat(whileDown).isInstanceOf(McpCallResult.Failed.class);
        assertThat(((McpCallResult.Failed) whileDown).messageForTheModel()).contains("failed");
        assertThat(ok(after).text()).isEqualTo("echo: after");
        assertThat(connection(target)).isNotSameAs(before);
        assertThat(server.calls).containsExactly("echo {text=after}");
    }

    @Test
    void closeEndsTheConnectionsAndLeavesNoThreadsBehind() throws Exception {
        server = new McpTestServer(McpTestServer.Transport.STREAMABLE_HTTP);
        try (McpTestServer legacy = new McpTestServer(McpTestServer.Transport.HTTP_SSE)) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            McpServers servers = new McpServers();
            ok(servers.call(new McpServers.Server("a", server.url()), "echo", json("{\"text\":\"x\"}"), ToolContext.NONE, null));
            ok(servers.call(new McpServers.Server("b", legacy.url()), "echo", json("{\"text\":\"y\"}"), ToolContext.NONE, null));
            assertThat(newThreads(before)).anySatisfy(name -> assertThat(name).startsWith("HttpClient-"));

            servers.close();

            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Set<String> left = leftBehind(before);
            while (!left.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
                left = leftBehind(before);
            }
            assertThat(left).as("threads McpServers left running").isEmpty();
            assertThat(servers.tools(new McpServers.Server("a", server.url()), null))
                    .isInstanceOf(McpServers.Listing.Unavailable.class);
            // The streamable session was ended, not left to expire.
            assertThat(server.requests).extracting(McpTestServer.Request::method).contains("DELETE");
        }
    }

    /** Non-daemon threads started since {@code before}, and the HTTP clients' threads (daemon, but per client). */
    private static Set<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> !t.isDaemon() || t.getName().startsWith("HttpClient-"))
                // The stand-in servers' own Tomcat starts utility threads when it likes (later under load): not ours.
                .filter(t -> !t.getName().startsWith("Catalina-"))
                .map(Thread::getName).collect(Collectors.toSet());
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).collect(Collectors.toSet());
    }

    private McpConnection.Live connection(McpServers.Server target) {
        return mcp.connection(target).client().join();
    }

    /** Initialize is the one POST that carries no session id yet. */
    private long initializeRequests() {
        return server.requests.stream().filter(r -> r.method().equals("POST") && r.sessionId() == null).count();
    }
}
