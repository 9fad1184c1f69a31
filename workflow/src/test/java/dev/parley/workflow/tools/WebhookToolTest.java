package dev.parley.workflow.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhook tools against a real HTTP server on the loopback interface. */
class WebhookToolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "test-secret-0123456789abcdef-0123456789";
    static final JsonNode ORDER_PARAMS = json("""
            {"type": "object", "properties": {"order_id": {"type": "string", "pattern": "^A-[0-9]+$"}},
             "required": ["order_id"], "additionalProperties": false}""");

    private LoopbackServer server;
    private Webhooks webhooks;

    @AfterEach
    void stop() {
        if (webhooks != null) webhooks.close();
        if (server != null) server.close();
    }

    private WebhookTool start(LoopbackServer.Handler handler, String path, Duration timeout) {
        server = new LoopbackServer(handler);
        webhooks = new Webhooks(WebhookPolicy.of(List.of(server.hostEntry()), SECRET.getBytes(StandardCharsets.UTF_8)));
        return webhooks.tool("get_order_status", "Where an order is.", ORDER_PARAMS, server.url(path), timeout);
    }

    /**
     * The host's side of the signature, written from the rule in docs/tools.md and not from Parley's code: the
     * key is the secret's UTF-8 bytes, the message is the timestamp header, a dot and the raw body, the header
     * holds {@code v1=} and the lower-case hex HMAC-SHA256, and timestamps more than 5 minutes off are refused.
     */
    static boolean hostVerifies(String secret, String timestamp, String signatureHeader, byte[] body, long nowSeconds)
            throws Exception {
        if (timestamp == null || signatureHeader == null) return false;
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - sent) > 300) return false;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        for (String part : signatureHeader.split(",")) {
            part = part.strip();
            if (part.startsWith("v1=")
                    && MessageDigest.isEqual(expected, part.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void postsTheSignedArgumentsAndGivesTheModelTheAnswer() throws Exception {
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 200, "{\"status\":\"shipped\"}"), "/tools/order", null);

        ToolResult result = tool.call(json("{\"order_id\":\"A-17\"}"), new ToolContext("run_1", "user é/1", "thr_9"));

        assertThat(result).isEqualTo(new ToolResult.Ok("{\"status\":\"shipped\"}"));
        assertThat(server.received).hasSize(1);
        LoopbackServer.Received got = server.received.getFirst();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.path()).isEqualTo("/tools/order");
        assertThat(JSON.readTree(got.body())).isEqualTo(json("{\"order_id\":\"A-17\"}"));
        assertThat(got.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(got.headers().getFirst("Parley-Tool")).isEqualTo("get_order_status");
        assertThat(got.headers().getFirst("Parley-Run")).isEqualTo("run_1");
        assertThat(got.headers().getFirst("Parley-User")).isEqualTo("user+%C3%A9%2F1");
        assertThat(got.headers().getFirst("Parley-Thread")).isEqualTo("thr_9");
        long now = System.currentTimeMillis() / 1000;
        assertThat(Long.parseLong(got.headers().getFirst("Parley-Timestamp"))).isBetween(now - 5, now);
        assertThat(hostVerifies(SECRET, got.headers().getFirst("Parley-Timestamp"),
                got.headers().getFirst("Parley-Signature"), got.body(), now)).isTrue();
    }

    @Test
    void aTamperedReplayedOrForeignRequestFailsTheHostsVerification() throws Exception {
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 200, "{}"), "/t", null);
        tool.call(json("{\"order_id\":\"A-17\"}"), ToolContext.NONE);
        LoopbackServer.Received got = server.received.getFirst();
        String ts = got.headers().getFirst("Parley-Timestamp");
        String sig = got.headers().getFirst("Parley-Signature");
        long now = Long.parseLong(ts);

        assertThat(hostVerifies(SECRET, ts, sig, got.body(), now)).isTrue();
        byte[] tampered = new String(got.body(), StandardCharsets.UTF_8).replace("A-17", "A-18").getBytes(StandardCharsets.UTF_8);
        assertThat(hostVerifies(SECRET, ts, sig, tampered, now)).isFalse();
        assertThat(hostVerifies(SECRET, Long.toString(now - 1), sig, got.body(), now)).isFalse(); // timestamp moved
        assertThat(hostVerifies(SECRET, ts, sig, got.body(), now + 301)).isFalse(); // replayed later
        assertThat(hostVerifies(SECRET.replace('0', '1'), ts, sig, got.body(), now)).isFalse(); // another key
    }

    @Test
    void invalidArgumentsAreAResultNamingThePathAndTheServerIsNeverCalled() {
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 200, "{}"), "/t", null);

        ToolResult wrongType = tool.call(json("{\"order_id\": 17}"), ToolContext.NONE);
        ToolResult missing = tool.call(json("{}"), ToolContext.NONE);
        ToolResult extra = tool.call(json("{\"order_id\":\"A-1\",\"drop\":true}"), ToolContext.NONE);

        assertThat(wrongType).isInstanceOf(ToolResult.Failed.class);
        assertThat(wrongType.forModel()).startsWith("The tool get_order_status was not called")
                .contains("/order_id").contains("Call it again");
        assertThat(missing.forModel()).contains("order_id");
        assertThat(extra.forModel()).contains("drop");
        assertThat(server.received).isEmpty();
    }

    @Test
    void aServerErrorIsAFailureWithTheStatusAndTheTraceGetsTheExcerpt() {
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 500, "NullPointerException at OrderDao.java:42"), "/t", null);

        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);

        assertThat(result).isInstanceOf(ToolResult.Failed.class);
        var failed = (ToolResult.Failed) result;
        assertThat(failed.messageForTheModel()).contains("HTTP 500").contains("do not guess")
                .doesNotContain("OrderDao");
        assertThat(failed.detailForTheTrace()).contains("HTTP 500").contains(server.url("/t").toString())
                .contains("NullPointerException at OrderDao.java:42");
    }

    @Test
    void aClientErrorShowsTheModelTheHostsExplanationSoItCanCorrectItself() {
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 404, "no order A-1"), "/t", null);

        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);

        assertThat(result.forModel()).contains("HTTP 404: no order A-1").contains("call it again with corrected");
    }

    @Test
    void aSlowServerIsAFailureWithinTheTimeout() {
        WebhookTool tool = start(ex -> {
            Thread.sleep(5_000);
            LoopbackServer.answer(ex, 200, "{}");
        }, "/t", Duration.ofMillis(300));

        long start = System.nanoTime();
        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.forModel()).isEqualTo("The tool get_order_status failed: it did not answer within 0.3 s."
                + " Tell the user it could not be done right now; do not guess the result.");
        assertThat(ms).isBetween(290L, 1_300L);
    }

    @Test
    void aServerThatSendsHeadersButStallsTheBodyIsAlsoCutAtTheTimeout() {
        WebhookTool tool = start(ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: headers now, the body never
            ex.getResponseBody().write("{\"par".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            Thread.sleep(5_000);
        }, "/t", Duration.ofMillis(300));

        long start = System.nanoTime();
        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(result.forModel()).contains("did not answer within 0.3 s");
        assertThat(ms).isBetween(290L, 1_300L);
    }

    @Test
    void aHostNotAllowedIsRefusedWithoutAConnection() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (var listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (var ignored = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            int port = listener.getLocalPort();
            // Allowed: the name, and the address on another port. Not: the address and port the tool names.
            webhooks = new Webhooks(WebhookPolicy.of(List.of("http://localhost:" + port, "http://127.0.0.1:" + (port + 1)),
                    SECRET.getBytes(StandardCharsets.UTF_8)));
            URI url = URI.create("http://127.0.0.1:" + port + "/t");
            WebhookTool tool = webhooks.tool("get_order_status", "", ORDER_PARAMS, url, null);

            ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);
            Thread.sleep(200); // a connection, had one been opened, would be counted by now

            assertThat(result).isInstanceOf(ToolResult.Failed.class);
            assertThat(result.forModel()).contains("not allowed");
            assertThat(((ToolResult.Failed) result).detailForTheTrace())
                    .contains("add http://127.0.0.1:" + port + " to PARLEY_WEBHOOK_HOSTS");
            assertThat(webhooks.check(url)).isPresent();
            assertThat(connections).hasValue(0);
            // The same listener does count a connection, so the zero above means something.
            try (var probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.sleep(200);
            }
            assertThat(connections).hasValue(1);
        }
    }

    @Test
    void aRedirectIsNotFollowedEvenToAnAllowedHost() {
        WebhookTool tool = start(ex -> {
            if (ex.getRequestURI().getPath().equals("/old")) {
                ex.getResponseHeaders().set("Location", "/new");
                ex.sendResponseHeaders(307, -1);
            } else {
                LoopbackServer.answer(ex, 200, "{\"followed\":true}");
            }
        }, "/old", null);

        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);

        assertThat(result).isInstanceOf(ToolResult.Failed.class);
        assertThat(((ToolResult.Failed) result).detailForTheTrace()).contains("HTTP 307").contains("to /new")
                .contains("set the tool's url to the final address");
        assertThat(server.received).extracting(LoopbackServer.Received::path).containsExactly("/old");
    }

    @Test
    void aLongAnswerIsCutAtTheCapWithANote() {
        String big = "x".repeat(200 * 1024);
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 200, big), "/t", null);

        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);

        assertThat(result).isInstanceOf(ToolResult.Ok.class);
        String content = result.forModel();
        assertThat(content).startsWith("x".repeat(Webhooks.MAX_RESULT_BYTES))
                .doesNotStartWith("x".repeat(Webhooks.MAX_RESULT_BYTES + 1))
                .endsWith("was cut here; the rest is missing.]");
        assertThat(content.length()).isLessThan(Webhooks.MAX_RESULT_BYTES + 200);
    }

    @Test
    void anAnswerExactlyAtTheCapIsWhole() {
        String exact = "y".repeat(Webhooks.MAX_RESULT_BYTES);
        WebhookTool tool = start(ex -> LoopbackServer.answer(ex, 200, exact), "/t", null);

        assertThat(tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE)).isEqualTo(new ToolResult.Ok(exact));
    }

    @Test
    void aServiceThatIsDownIsAFailureTheModelCanReportAtOnce() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        webhooks = new Webhooks(WebhookPolicy.of(List.of("http://127.0.0.1:" + port), SECRET.getBytes(StandardCharsets.UTF_8)));
        WebhookTool tool = webhooks.tool("get_order_status", "", ORDER_PARAMS, URI.create("http://127.0.0.1:" + port + "/t"), null);

        long start = System.nanoTime();
        ToolResult result = tool.call(json("{\"order_id\":\"A-1\"}"), ToolContext.NONE);

        assertThat(result.forModel()).contains("could not be reached");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void aToolThatIsNotUsableIsRefusedWhenMadeSayingWhy() {
        webhooks = new Webhooks(WebhookPolicy.of(List.of(), SECRET.getBytes(StandardCharsets.UTF_8)));
        URI url = URI.create("https://api.example.com/t");

        assertThatThrownBy(() -> webhooks.tool("get order", "", ORDER_PARAMS, url, null))
                .hasMessageContaining("letters, digits, _ or -");
        assertThatThrownBy(() -> webhooks.tool("t", "", json("[]"), url, null))
                .hasMessageContaining("parameters must be a JSON Schema object");
        assertThatThrownBy(() -> webhooks.tool("t", "", ORDER_PARAMS, url, Duration.ofSeconds(61)))
                .hasMessageContaining("timeout_ms must be from 1 to 60000, got 61000");
        assertThatThrownBy(() -> webhooks.tool("t", "", ORDER_PARAMS, url, Duration.ZERO))
                .hasMessageContaining("timeout_ms must be from 1");
        assertThat(webhooks.tool("t", "", ORDER_PARAMS, url, null).timeout()).isEqualTo(Webhooks.DEFAULT_TIMEOUT);
    }

    @Test
    void noArgumentsAndNoContextAreAnEmptyObjectNotACrash() {
        server = new LoopbackServer(ex -> LoopbackServer.answer(ex, 204, ""));
        webhooks = new Webhooks(WebhookPolicy.of(List.of(server.hostEntry()), SECRET.getBytes(StandardCharsets.UTF_8)));
        WebhookTool tool = webhooks.tool("ping", "", json("{\"type\":\"object\"}"), server.url("/p"), null);

        ToolResult result = tool.call(null, null);

        assertThat(result).isEqualTo(new ToolResult.Ok("(the tool answered with no content)"));
        assertThat(new String(server.received.getFirst().body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(server.received.getFirst().headers().containsKey("Parley-Run")).isFalse();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
