package dev.parley.workflow.engine;

import dev.parley.model.echo.EchoProvider;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.tools.LoopbackServer;
import dev.parley.workflow.tools.WebhookPolicy;
import dev.parley.workflow.tools.Webhooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one webhook tool call adds to a whole chat turn, in Parley's own time: a turn whose agent calls the tool,
 * minus the same turn on the same workflow where the model answers without calling it, minus a bare POST of the same
 * arguments to the same backend with the JDK client (the webhook's own latency). The turns run through the real
 * dispatcher, engine and SQLite store; the model is the echo provider, so the difference is the tool loop: the second
 * model request, the call, its trace entry and the progress event. Variants alternate in rounds. Not part of the
 * build; run it with
 *
 * <pre>./mvnw -q -pl workflow -am test -Dtest=ToolTurnBench -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.seconds=12]</pre>
 */
class ToolTurnBench {
    static final String ANSWER = "{\"order_id\":\"A-17\",\"status\":\"shipped\",\"eta\":\"2026-11-28\"}";
    static final String ARGS = "{\"order_id\":\"A-17\"}";

    @TempDir Path dir;

    @Test
    void parleysOwnTimePerToolCallInATurn() throws Exception {
        long seconds = Long.getLong("bench.seconds", 12);
        try (var backend = new LoopbackServer(ex -> LoopbackServer.answer(ex, 200, ANSWER));
                var webhooks = new Webhooks(WebhookPolicy.of(List.of(backend.hostEntry()),
                        AgentToolsRunTest.KEY.getBytes(StandardCharsets.UTF_8)));
                var bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                var store = SqliteStore.open(dir.resolve("parley.db"))) {
            var workflows = new Workflows(store.storage().workflows(),
                    new Toolbox(new EchoProvider(), webhooks, null, null, null, null), "srv_bench");
            workflows.publish("""
                {"id": "wf_bench", "name": "Bench", "nodes": [
                  {"id": "start", "type": "start"},
                  {"id": "helper", "type": "agent", "instructions": "Look orders up.", "tools": [
                    {"type": "function", "name": "get_order_status", "description": "Order status.", "runs_on": "webhook",
                     "url": "%s", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}},
                     "required": ["order_id"], "additionalProperties": false}}]},
                  {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                     "default": "__VAR__helper.output_text__ENDVAR__"}}, "required": ["message"]}}],
                 "edges": [{"from": "start", "to": "helper"}, {"from": "helper", "to": "done"}]}
                """.formatted(backend.url("/orders")));
            var server = ChatKitServer.builder().store(store).responder(workflows.responder("wf_bench")).build();
            byte[] withTool = body("call get_order_status " + ARGS.replace("\"", "\\\""));
            byte[] withoutTool = body("Where is my order A-17?");
            // A user per turn: one user may keep only so many conversations.
            var users = new java.util.concurrent.atomic.AtomicLong();
            Runnable toolTurn = () -> turn(server, withTool, RequestContext.of("u" + users.incrementAndGet()), "get_order_status said");
            Runnable plainTurn = () -> turn(server, withoutTool, RequestContext.of("u" + users.incrementAndGet()), "You said");
            HttpRequest post = HttpRequest.newBuilder(backend.url("/orders")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ARGS)).build();
            Runnable barePost = () -> {
                try {
                    bare.sendAsync(post, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            for (Runnable warm : List.of(toolTurn, plainTurn, barePost)) run(warm, 3_000);
            long rounds = Math.max(1, seconds / 3), slice = seconds * 1000 / rounds / 3;
            double tool = 0, plain = 0, post2 = 0;
            long nTool = 0, nPlain = 0, nPost = 0;
            for (long r = 0; r < rounds; r++) {
                long[] t = run(toolTurn, slice);
                long[] p = run(plainTurn, slice);
                long[] b = run(barePost, slice);
                tool += t[1]; nTool += t[0];
                plain += p[1]; nPlain += p[0];
                post2 += b[1]; nPost += b[0];
            }
            double toolUs = tool / nTool / 1000, plainUs = plain / nPlain / 1000, postUs = post2 / nPost / 1000;
            System.out.printf(Locale.ROOT, "turn, no tool call            %8.1f µs (%d turns)%n", plainUs, nPlain);
            System.out.printf(Locale.ROOT, "turn with one webhook call    %8.1f µs (%d turns)%n", toolUs, nTool);
            System.out.printf(Locale.ROOT, "bare POST to the webhook      %8.1f µs (%d posts)%n", postUs, nPost);
            System.out.printf(Locale.ROOT, "Parley's own time per call: (tool turn - plain turn) - bare POST = %.1f µs%n",
                    toolUs - plainUs - postUs);
        }
    }

    static byte[] body(String text) {
        return ("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}").getBytes(StandardCharsets.UTF_8);
    }

    static void turn(ChatKitServer server, byte[] body, RequestContext context, String expected) {
        var said = new StringBuilder();
        ((Result.Stream) server.process(body, context)).body().writeTo(e -> {
            if (e instanceof dev.parley.protocol.ThreadStreamEvent.ItemUpdated u
                    && u.update() instanceof dev.parley.protocol.ThreadItemUpdate.TextDelta d) said.append(d.delta());
        });
        if (!said.toString().startsWith(expected)) throw new AssertionError("unexpected reply: " + said);
    }

    private static long[] run(Runnable call, long millis) {
        long start = System.nanoTime(), end = start + Duration.ofMillis(millis).toNanos(), n = 0, now;
        do {
            call.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return new long[] {n, now - start};
    }
}
