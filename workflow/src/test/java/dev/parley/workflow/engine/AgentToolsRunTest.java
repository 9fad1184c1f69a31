package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.echo.EchoProvider;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.tools.LoopbackServer;
import dev.parley.workflow.tools.WebhookPolicy;
import dev.parley.workflow.tools.Webhooks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool loop, through the real dispatcher and a real SQLite file: the echo provider calls tools as the user's
 * message scripts it ({@code call <tool> <json>}), and webhook tools reach a real HTTP server on loopback.
 */
class AgentToolsRunTest {
    static final String KEY = "0123456789abcdef0123456789abcdef-test-key";

    @TempDir Path dir;
    SqliteStore store;
    LoopbackServer backend;
    Webhooks webhooks;
    Workflows workflows;
    ChatKitServer server;

    @BeforeEach
    void start() {
        store = SqliteStore.open(dir.resolve("parley.db"));
        backend = new LoopbackServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(backend.received.getLast().body(), StandardCharsets.UTF_8);
            switch (path) {
                case "/order" -> LoopbackServer.answer(exchange, 200, "{\"status\":\"shipped\",\"echo\":" + body + "}");
                case "/broken" -> LoopbackServer.answer(exchange, 500, "database on fire");
                case "/slow" -> {
                    Thread.sleep(3_000);
                    LoopbackServer.answer(exchange, 200, "{\"late\":true}");
                }
                default -> LoopbackServer.answer(exchange, 404, "no such tool");
            }
        });
        webhooks = new Webhooks(WebhookPolicy.of(List.of(backend.hostEntry()), KEY.getBytes(StandardCharsets.UTF_8)));
        open();
    }

    /** A server on the same database: what another node of the cluster, or this one after a restart, sees. */
    void open() {
        var toolbox = new Toolbox(new EchoProvider(), webhooks, null, null, null, null);
        workflows = new Workflows(store.storage().workflows(), toolbox, "srv_test");
        server = ChatKitServer.builder().store(store).responder(workflows.responder("wf_tools")).build();
    }

    @AfterEach
    void close() {
        webhooks.close();
        backend.close();
        store.close();
    }

    String webhook(String name, String path, Integer timeoutMs) {
        return """
            {"type": "function", "name": "%s", "description": "Looks things up.", "runs_on": "webhook",
             "url": "%s", %s
             "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}, "password": {"type": "string"}},
                            "additionalProperties": false}}""".formatted(name, backend.url(path),
                timeoutMs == null ? "" : "\"timeout_ms\": " + timeoutMs + ",");
    }

    static String client(String name) {
        return """
            {"type": "function", "name": "%s", "description": "Asks the page.", "runs_on": "client",
             "parameters": {"type": "object", "properties": {"what": {"type": "string"}}}}""".formatted(name);
    }

    void publish(String... tools) {
        workflows.publish("""
            {"id": "wf_tools", "name": "Tools", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "helper", "type": "agent", "label": "Helper", "instructions": "Use the tools.", "tools": [%s]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__helper.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "helper"}, {"from": "helper", "to": "done"}]}
            """.formatted(String.join(",", tools)));
    }

    List<ThreadStreamEvent> send(String body) {
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1")))
                .body().writeTo(events::add);
        return events;
    }

    List<ThreadStreamEvent> create(String text) {
        return send("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}");
    }

    static String threadId(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ThreadCreated).map(e -> ((ThreadStreamEvent.ThreadCreated) e).thread().id())
                .findFirst().orElseThrow();
    }

    static String replyText(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemUpdated u && u.update() instanceof ThreadItemUpdate.TextDelta)
                .map(e -> ((ThreadItemUpdate.TextDelta) ((ThreadStreamEvent.ItemUpdated) e).update()).delta())
                .collect(Collectors.joining());
    }

    static List<String> progress(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ProgressUpdate)
                .map(e -> ((ThreadStreamEvent.ProgressUpdate) e).text()).toList();
    }

    JsonNode lastTrace() {
        var trace = store.storage().workflows().recentTraces("wf_tools", 1).getFirst();
        return ChatKitJson.readStorage(trace.document(), JsonNode.class);
    }

    static JsonNode calls(JsonNode trace) {
        for (JsonNode node : trace.path("nodes")) if (node.path("node_id").asText().equals("helper")) return node.path("tool_calls");
        throw new AssertionError("no helper span in " + trace);
    }

    @Test
    void aWebhookToolsResultReachesTheModelAndTheReplyStreams() {
        publish(webhook("get_order_status", "/order", null));
        var events = create("call get_order_status {\"order_id\": \"A-17\", \"password\": \"hunter2\"}");
        assertThat(replyText(events)).startsWith("get_order_status said: {\"status\":\"shipped\"")
                .contains("\"order_id\":\"A-17\"");
        assertThat(progress(events)).contains("Calling get_order_status…");
        assertThat(backend.received).hasSize(1);
        assertThat(backend.received.getFirst().headers().getFirst("Parley-Signature")).startsWith("v1=");
        JsonNode call = calls(lastTrace()).get(0);
        assertThat(call.path("status").asText()).isEqualTo("ok");
        assertThat(call.path("arguments").path("order_id").asText()).isEqualTo("A-17");
        assertThat(call.path("arguments").path("password").asText()).isEqualTo("[redacted]");
        assertThat(call.path("result").asText()).contains("shipped");
        assertThat(call.has("duration_micros")).isTrue();
        assertThat(lastTrace().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aFailingAndASlowWebhookAreTracedAndTheModelStillAnswers() {
        publish(webhook("broken", "/broken", null), webhook("slow", "/slow", 300));
        var events = create("call broken {}\ncall slow {}");
        String reply = replyText(events);
        assertThat(reply).startsWith("broken said: ").contains("slow said: ");
        assertThat(reply).doesNotContain("database on fire").doesNotContain("127.0.0.1");
        JsonNode calls = calls(lastTrace());
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(calls.get(0).path("error").asText()).contains("500");
        assertThat(calls.get(1).path("status").asText()).isEqualTo("failed");
        assertThat(calls.get(1).path("error").asText()).containsIgnoringCase("time");
        assertThat(events).noneMatch(e -> e instanceof ThreadStreamEvent.Error);
    }

    @Test
    void callsPastThePerTurnLimitAreRefusedAndTheModelIsToldWhy() {
        publish(webhook("get_order_status", "/order", null));
        String script = "call get_order_status {\"order_id\": \"A-1\"}\n".repeat(12);
        var events = create(script);
        assertThat(backend.received).hasSize(AgentLoop.DEFAULT_CALL_LIMIT);
        JsonNode calls = calls(lastTrace());
        assertThat(calls).hasSize(12);
        assertThat(calls.get(11).path("status").asText()).isEqualTo("refused");
        assertThat(replyText(events)).contains("at most 10 tool calls");
    }

    @Test
    void aToolTheModelMadeUpIsAnsweredWithTheToolsThereAre() {
        publish(webhook("get_order_status", "/order", null), client("get_page_colour"));
        // The echo only calls tools it was offered, so an unknown name needs a call line for a real one too.
        var events = create("call get_order_status {\"order_id\": 5}");
        // Arguments that break the schema are never sent, and the model is told what was wrong.
        assertThat(backend.received).isEmpty();
        assertThat(replyText(events)).contains("get_order_status said: ").contains("not called");
    }

    @Test
    void aClientToolPausesTheRunAndItsOutputResumesItOnAnotherServer() {
        publish(client("get_page_colour"));
        var first = create("call get_page_colour {\"what\": \"background\"}");
        String thread = threadId(first);
        var call = first.stream().filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.ClientToolCall)
                .map(e -> (ThreadItem.ClientToolCall) ((ThreadStreamEvent.ItemDone) e).item()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_page_colour");
        assertThat(call.arguments().path("what").asText()).isEqualTo("background");
        assertThat(call.status()).isEqualTo(ThreadItem.ClientToolCall.PENDING);
        assertThat(lastTrace().path("status").asText()).isEqualTo("paused");

        open(); // as if the page's answer reached another server, or this one after a restart
        var second = send("{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"result\":{\"colour\":\"teal\"}}}");
        assertThat(replyText(second)).isEqualTo("get_page_colour said: {\"colour\":\"teal\"}");
        JsonNode trace = lastTrace();
        assertThat(trace.path("status").asText()).isEqualTo("completed");
        assertThat(trace.path("nodes").findValues("tool_calls").stream().flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
                .map(c -> c.path("status").asText()).toList()).contains("waiting", "ok");
    }

    @Test
    void aWebhookAndAClientToolInOneAnswerBothCount() {
        publish(webhook("get_order_status", "/order", null), client("get_page_colour"));
        var first = create("call get_order_status {\"order_id\": \"A-2\"}\ncall get_page_colour {}");
        assertThat(backend.received).hasSize(1);
        String thread = threadId(first);
        var second = send("{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"result\":\"blue\"}}");
        assertThat(replyText(second)).contains("get_order_status said: {\"status\":\"shipped\"")
                .contains("get_page_colour said: \"blue\"");
    }

    @Test
    void theToolsOfTheTraceAreThereWhenNoToolIsCalled() {
        publish(webhook("get_order_status", "/order", null));
        var events = create("hello there");
        assertThat(replyText(events)).isEqualTo("You said: hello there");
        assertThat(backend.received).isEmpty();
        ObjectNode trace = (ObjectNode) lastTrace();
        assertThat(calls(trace)).isEmpty();
    }
}
