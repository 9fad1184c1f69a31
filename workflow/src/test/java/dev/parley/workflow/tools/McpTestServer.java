package dev.parley.workflow.tools;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The MCP SDK's own server, on Tomcat on 127.0.0.1, with a few tools; it records what reaches it so tests can
 * check what Parley sent (and did not send).
 */
public final class McpTestServer implements AutoCloseable {
    public enum Transport { STREAMABLE_HTTP, HTTP_SSE }

    // Tomcat's leak checks at stop flag the SDK's Reactor threads, which are shared by the whole JVM by design;
    // a strong reference keeps the level set.
    private static final Logger CATALINA = Logger.getLogger("org.apache.catalina");

    static {
        CATALINA.setLevel(Level.SEVERE);
    }

    /** One HTTP request as it arrived, before the MCP servlet saw it. */
    record Request(String method, String path, String authorization, String sessionId) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Each tool call that reached a tool: name and arguments. */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** How often a client asked for the tool list. */
    final AtomicInteger listings = new AtomicInteger();
    /** Released when the server closes, so a "slow" tool does not outlive the test. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private final Transport transport;
    private final Tomcat tomcat;
    private final McpSyncServer mcp;
    private final Path baseDir;
    private final int port;

    /**
     * @param port   0 for any free port; a port to restart a server where a client expects it
     * @param bearer the token requests must carry as {@code Authorization: Bearer …}; null for none
     * @param extra  more tools beside the standard ones
     */
    public McpTestServer(Transport transport, int port, String bearer, List<SyncToolSpecification> extra) {
        this.transport = transport;
        HttpServlet servlet;
        List<SyncToolSpecification> tools = new ArrayList<>(standardTools());
        for (SyncToolSpecification t : extra) tools.add(recorded(t));
        if (transport == Transport.STREAMABLE_HTTP) {
            var provider = HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
            servlet = provider;
            mcp = configure(McpServer.sync(provider), tools);
        } else {
            var provider = HttpServletSseServerTransportProvider.builder()
                    .sseEndpoint("/sse").messageEndpoint("/message").build();
            servlet = provider;
            mcp = configure(McpServer.sync(provider), tools);
        }
        try {
            baseDir = Files.createTempDirectory("parley-mcp-tomcat");
            tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", null);
            Tomcat.addServlet(context, "mcp", servlet).setAsyncSupported(true);
            context.addServletMappingDecoded("/*", "mcp");
            addFilter(context, recordAndCheck(bearer));
            tomcat.start();
            this.port = connector.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    public McpTestServer(Transport transport) {
        this(transport, 0, null, List.of());
    }

    private McpSyncServer configure(McpServer.SyncSpecification<?> spec, List<SyncToolSpecification> tools) {
        return spec.serverInfo("parley-test", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .addToolFilter((context, tool) -> {
                    if (tool.name().equals("echo")) listings.incrementAndGet();
                    return true;
                })
                .tools(tools)
                .build();
    }

    private Filter recordAndCheck(String bearer) {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String authorization = http.getHeader("Authorization");
            requests.add(new Request(http.getMethod(), http.getRequestURI(), authorization, http.getHeader("Mcp-Session-Id")));
            if (bearer != null && !("Bearer " + bearer).equals(authorization)) {
                HttpServletResponse refused = (HttpServletResponse) response;
                refused.setHeader("WWW-Authenticate", "Bearer");
                refused.sendError(401);
                return;
            }
            chain.doFilter(request, response);
        };
    }

    private static void addFilter(Context context, Filter filter) {
        FilterDef def = new FilterDef();
        def.setFilterName("record");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("record");
        map.addURLPattern("/*");
        context.addFilterMap(map);
    }

    public int port() {
        return port;
    }

    /** {@return the URL a client is configured with: the MCP endpoint, or the event stream of an older server} */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + (transport == Transport.STREAMABLE_HTTP ? "/mcp" : "/sse"));
    }

    private List<SyncToolSpecification> standardTools() {
        return Stream.of(
                tool("echo", "Repeats the text.", """
                        {"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}""",
                        (exchange, call) -> text("echo: " + call.arguments().get("text"))),
                tool("weather", "Weather for a city.", """
                        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""",
                        (exchange, call) -> McpSchema.CallToolResult.builder()
                                .addTextContent("21 °C in " + call.arguments().get("city"))
                                .structuredContent(Map.of("city", call.arguments().get("city"), "temp_c", 21))
                                .build()),
                tool("find_order", "Finds an order.", """
                        {"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""",
                        (exchange, call) -> McpSchema.CallToolResult.builder()
                                .addTextContent("no order " + call.arguments().get("order_id"))
                                .isError(true).build()),
                tool("slow", "Takes its time.", """
                        {"type":"object","properties":{"ms":{"type":"integer"}},"required":["ms"]}""",
                        (exchange, call) -> {
                            try {
                                closing.await(((Number) call.arguments().get("ms")).longValue(), TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return text("done");
                        }),
                tool("picture", "Draws.", "{\"type\":\"object\"}", (exchange, call) -> McpSchema.CallToolResult.builder()
                        .addTextContent("a cat")
                        .addContent(new McpSchema.ImageContent(null, "iVBORw0KGgo=", "image/png"))
                        .build()),
                tool("big", "Says a lot.", "{\"type\":\"object\"}", (exchange, call) -> text("é".repeat(40_000))),
                tool("dotted.name", "Has a name models cannot call.", "{\"type\":\"object\"}",
                        (exchange, call) -> text("dotted ok")))
                .map(this::recorded).toList();
    }

    /** A tool answering with {@code handler}; the server records each call that reaches it. */
    static SyncToolSpecification tool(String name, String description, String inputSchema,
                                      BiFunction<Object, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
                .inputSchema(WebhookToolTest.JSON.convertValue(WebhookToolTest.json(inputSchema), Map.class))
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler(handler::apply).build();
    }

    private SyncToolSpecification recorded(SyncToolSpecification spec) {
        return SyncToolSpecification.builder().tool(spec.tool()).callHandler((exchange, call) -> {
            calls.add(spec.tool().name() + " " + call.arguments());
            return spec.callHandler().apply(exchange, call);
        }).build();
    }

    static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }

    /** {@return the requests that carried a session id, by id: one per MCP session the client opened} */
    long sessions() {
        return requests.stream().map(Request::sessionId).filter(id -> id != null).distinct().count();
    }

    /** Closes once: a test that stops the server midway leaves the second close to its clean-up. */
    @Override
    public void close() {
        if (closing.getCount() == 0) return;
        closing.countDown();
        try {
            mcp.close();
        } catch (RuntimeException e) {
            // Already broken by the test; Tomcat's stop below is what frees the port.
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temp directory left behind is harmless.
            }
        }
    }
}
