package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.model.echo.EchoProvider;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents' tools on a running server, as an operator sets it up: the workflow in the workflows folder, webhook
 * hosts and secret from the environment, the chat over real HTTP and SSE, and the host's backend a real HTTP server
 * that verifies each request's signature as docs/tools.md tells hosts to.
 */
class AgentToolsServerTest {
    static final String SECRET = "a-deployment-key-of-at-least-32-characters";
    static final String ADMIN = "admin-token-for-the-tools-test-0123456789";

    @TempDir Path dir;
    HttpServer backend;
    final List<String> verified = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger slowCalls = new java.util.concurrent.atomic.AtomicInteger();
    TestServer server;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/book", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String timestamp = exchange.getRequestHeaders().getFirst("Parley-Timestamp");
                String signature = exchange.getRequestHeaders().getFirst("Parley-Signature");
                boolean ok = signature != null && signature.equals("v1=" + hmac(timestamp + "." + new String(body, StandardCharsets.UTF_8)));
                byte[] answer = (ok ? "{\"booked\":\"Tuesday 10:00\"}" : "{\"error\":\"bad signature\"}").getBytes(StandardCharsets.UTF_8);
                if (ok) verified.add(new String(body, StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(ok ? 200 : 401, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        backend.createContext("/slow", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                slowCalls.incrementAndGet();
                Thread.sleep(10_000);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backend.createContext("/broken", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] answer = "java.lang.NullPointerException at com.example.Booking".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(503, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        backend.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        backend.start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        backend.stop(0);
    }

    static String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void start(String tools) throws IOException {
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Files.writeString(workflows.resolve("tools.json"), """
            {"id": "wf_tools", "name": "Tools", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "helper", "type": "agent", "instructions": "Help.", "tools": [%s]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__helper.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "helper"}, {"from": "helper", "to": "done"}]}
            """.formatted(tools));
        AssistantConfig assistant = AssistantConfig.fromEnv(Map.of(
                AssistantConfig.WORKFLOW, "wf_tools",
                AssistantConfig.WORKFLOWS_DIR, workflows.toString(),
                AssistantConfig.MODEL_PROVIDER, "echo",
                AssistantConfig.WEBHOOK_HOSTS, "http://127.0.0.1:" + backend.getAddress().getPort(),
                AssistantConfig.WEBHOOK_SECRET, SECRET,
                AssistantConfig.ADMIN_TOKEN, ADMIN));
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir.resolve("data"));
        server = TestServer.startWorkflows(config, assistant, new EchoProvider(), false);
    }

    String bookingTool() {
        return """
            {"type": "function", "name": "book_discovery_call", "description": "Books a call.", "runs_on": "webhook",
             "url": "http://127.0.0.1:%d/book",
             "parameters": {"type": "object", "properties": {"email": {"type": "string"}, "day": {"type": "string"}},
                            "required": ["email"], "additionalProperties": false}}""".formatted(backend.getAddress().getPort());
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + TestServer.JSON.valueToTree(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static String reply(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("thread.item.updated")
                        && e.path("update").path("type").asText().equals("assistant_message.content_part.text_delta"))
                .map(e -> e.path("update").path("delta").asText()).collect(Collectors.joining());
    }

    @Test
    void aWebhookToolIsCalledSignedAndItsAnswerReachesTheReply() throws IOException {
        start(bookingTool());
        var user = server.newUser();
        List<JsonNode> events = user.stream(create("call book_discovery_call {\"email\": \"ana@example.com\", \"day\": \"Tuesday\"}"));
        assertThat(verified).singleElement().satisfies(body -> assertThat(body).contains("\"email\":\"ana@example.com\""));
        assertThat(reply(events)).isEqualTo("book_discovery_call said: {\"booked\":\"Tuesday 10:00\"}");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("progress_update");
            assertThat(e.path("text").asText()).isEqualTo("Calling book_discovery_call…");
        });
    }

    @Test
    void aClientToolRoundTripsThroughPostChatkit() throws IOException {
        start("""
            {"type": "function", "name": "get_cart", "description": "Reads the visitor's cart.", "runs_on": "client",
             "parameters": {"type": "object", "properties": {}}}""");
        var user = server.newUser();
        List<JsonNode> first = user.stream(create("call get_cart {}"));
        JsonNode call = first.stream().filter(e -> e.path("type").asText().equals("thread.item.done")
                && e.path("item").path("type").asText().equals("client_tool_call")).findFirst().orElseThrow().path("item");
        assertThat(call.path("name").asText()).isEqualTo("get_cart");
        assertThat(call.path("status").asText()).isEqualTo("pending");
        String thread = first.getFirst().path("thread").path("id").asText();

        List<JsonNode> second = user.stream("{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\""
                + thread + "\",\"result\":{\"items\":3}}}");
        assertThat(reply(second)).isEqualTo("get_cart said: {\"items\":3}");
        JsonNode items = TestServer.JSON.readTree(user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"order\":\"asc\"}}").text()).path("data");
        assertThat(items.findValues("type").stream().map(JsonNode::asText).toList())
                .containsSubsequence("user_message", "client_tool_call", "assistant_message");
        assertThat(items.get(1).path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aUserWhoLeavesStopsTheToolCallsStillRunning() throws Exception {
        String slow = """
            {"type": "function", "name": "%s", "description": "Slow.", "runs_on": "webhook", "timeout_ms": 20000,
             "url": "http://127.0.0.1:%d/slow", "parameters": {"type": "object", "properties": {}}}""";
        int port = backend.getAddress().getPort();
        start(slow.formatted("slow_a", port) + "," + slow.formatted("slow_b", port));
        var user = server.newUser();
        long started = System.nanoTime();
        try (var stream = user.open(create("call slow_a {}\ncall slow_b {}"))) {
            JsonNode event;
            do {
                event = stream.next();
            } while (event != null && !event.path("type").asText().equals("progress_update"));
            assertThat(event).as("a progress line before the calls").isNotNull();
        }
        // Both calls reached the backend and would take 10 s; the run ends long before, as cancelled.
        JsonNode trace = null;
        for (int i = 0; i < 80; i++) {
            var traces = server.storage().workflows().recentTraces("wf_tools", 1);
            if (!traces.isEmpty() && traces.getFirst().status().equals("cancelled")) {
                trace = TestServer.JSON.readTree(traces.getFirst().document());
                break;
            }
            Thread.sleep(100);
        }
        assertThat(trace).as("the run ends as cancelled").isNotNull();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(9));
        assertThat(slowCalls.get()).isEqualTo(2);
    }

    @Test
    void aFailingWebhookIsTracedAndTheModelStillAnswers() throws IOException {
        start(bookingTool().replace("/book", "/broken"));
        var user = server.newUser();
        List<JsonNode> events = user.stream(create("call book_discovery_call {\"email\": \"ana@example.com\"}"));
        assertThat(reply(events)).startsWith("book_discovery_call said: The tool book_discovery_call failed")
                .doesNotContain("NullPointerException").doesNotContain("127.0.0.1");
        assertThat(events).noneMatch(e -> e.path("type").asText().equals("error"));
        JsonNode trace = TestServer.JSON.readTree(server.storage().workflows().recentTraces("wf_tools", 1).getFirst().document());
        JsonNode call = trace.path("nodes").findValue("tool_calls").get(0);
        assertThat(call.path("status").asText()).isEqualTo("failed");
        assertThat(call.path("error").asText()).contains("503");
    }

    @Test
    void publishingAWebhookToAHostNotOnTheListIsRefusedWithTheFix() throws IOException {
        start(bookingTool());
        String workflow = Files.readString(dir.resolve("workflows/tools.json"))
                .replace("http://127.0.0.1:" + backend.getAddress().getPort() + "/book", "https://169.254.169.254/latest/meta-data");
        var r = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/admin/workflows"))
                .header("Authorization", "Bearer " + ADMIN).POST(java.net.http.HttpRequest.BodyPublishers.ofString(workflow)));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.text()).contains("tools[0].url").contains("169.254.169.254 is not allowed")
                .contains("PARLEY_WEBHOOK_HOSTS");
        // Nothing already published was lost: the chat still runs version 1.
        assertThat(server.storage().workflows().versions("wf_tools")).hasSize(1);
    }
}
