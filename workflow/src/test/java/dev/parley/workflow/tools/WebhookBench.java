package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Parley's own time per webhook tool call, against a backend on the loopback interface that answers at once.
 * Two measures: the call minus a bare POST of the same body with the same JDK client (what validation, signing,
 * headers, the capped body and the result add), and the call minus the time the server spent in its handler.
 * Variants alternate in rounds so that machine noise hits both. Not part of the build (the name does not match
 * the test patterns); run it with
 *
 * <pre>./mvnw -q -pl workflow -am test -Dtest=WebhookBench -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.seconds=6]</pre>
 */
class WebhookBench {
    private static final JsonNode ARGS = WebhookToolTest.json("{\"order_id\":\"A-17\"}");
    private static final String ANSWER = "{\"order_id\":\"A-17\",\"status\":\"shipped\",\"eta\":\"2026-11-28\"}";

    @Test
    void parleysOwnTimePerCall() throws Exception {
        long seconds = Long.getLong("bench.seconds", 6);
        AtomicLong handlerNanos = new AtomicLong();
        try (var server = new LoopbackServer(ex -> {
                    long start = System.nanoTime();
                    LoopbackServer.answer(ex, 200, ANSWER);
                    handlerNanos.addAndGet(System.nanoTime() - start);
                });
                var webhooks = new Webhooks(WebhookPolicy.of(List.of(server.hostEntry()),
                        WebhookToolTest.SECRET.getBytes(StandardCharsets.UTF_8)));
                var bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            WebhookTool tool = webhooks.tool("get_order_status", "", WebhookToolTest.ORDER_PARAMS, server.url("/t"), null);
            var context = new ToolContext("run_01JD8X", "user_42", "thr_01JD8X");
            byte[] body = ARGS.toString().getBytes(StandardCharsets.UTF_8);
            HttpRequest bareRequest = HttpRequest.newBuilder(server.url("/t")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            Runnable toolCall = () -> {
                if (!(tool.call(ARGS, context) instanceof ToolResult.Ok)) throw new AssertionError("the call failed");
            };
            Runnable barePost = () -> {
                try {
                    bare.sendAsync(bareRequest, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };

            JsonNode invalid = WebhookToolTest.json("{\"order_id\":17}");
            Runnable validationOnly = () -> {
                if (!(tool.call(invalid, context) instanceof ToolResult.Failed)) throw new AssertionError("sent");
            };
            run(validationOnly, 1_000);
            long[] v = run(validationOnly, 1_000);
            run(toolCall, 2_000);
            run(barePost, 2_000); // warm-up: JIT, connection pools
            long rounds = Math.max(1, seconds / 2), slice = seconds * 1000 / rounds / 2;
            double toolNanos = 0, bareNanos = 0, toolHandlerNanos = 0;
            long toolCalls = 0, bareCalls = 0;
            for (long r = 0; r < rounds; r++) {
                handlerNanos.set(0);
                long[] t = run(toolCall, slice);
                toolHandlerNanos += handlerNanos.get();
                toolNanos += t[1];
                toolCalls += t[0];
                long[] b = run(barePost, slice);
                bareNanos += b[1];
                bareCalls += b[0];
            }
            double toolUs = toolNanos / toolCalls / 1000, bareUs = bareNanos / bareCalls / 1000;
            double handlerUs = toolHandlerNanos / toolCalls / 1000;
            System.out.printf(Locale.ROOT, "arguments refused by the schema (no request) %6.1f µs/call%n", v[1] / 1000.0 / v[0]);
            System.out.printf(Locale.ROOT, "bare POST (JDK client, same body)       %8.1f µs/call (%d calls)%n", bareUs, bareCalls);
            System.out.printf(Locale.ROOT, "webhook tool call                       %8.1f µs/call (%d calls)%n", toolUs, toolCalls);
            System.out.printf(Locale.ROOT, "  server handler time within it         %8.1f µs/call%n", handlerUs);
            System.out.printf(Locale.ROOT, "Parley's own: call - bare POST          %8.1f µs/call%n", toolUs - bareUs);
            System.out.printf(Locale.ROOT, "Parley's own: call - handler (upper bound, includes loopback HTTP) %8.1f µs/call%n",
                    toolUs - handlerUs);
        }
    }

    /** {@return calls made and nanoseconds spent, calling {@code call} back to back for {@code millis}} */
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
