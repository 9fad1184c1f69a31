package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.model.Completion;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.Usage;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.Limits;
import dev.parley.server.RequestContext;
import dev.parley.server.Responder;
import dev.parley.server.Result;
import dev.parley.store.IdKind;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.parley.model.TextSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the workflow engine costs per node and per turn, with a model that answers instantly. Every variant runs
 * whole turns through the real dispatcher and SQLite store, so storage costs are the same in each; the engine's
 * share is the difference from a responder that streams the same reply without a workflow, and the per-node cost
 * is the slope over workflows that differ only in their number of nodes. Not part of the build (the name does not
 * match the test patterns); run it with
 *
 * <pre>./mvnw -q -pl workflow -am install -DskipTests &amp;&amp; ./mvnw -q -pl workflow test -Dtest=WorkflowEngineBench [-Dbench.seconds=5]</pre>
 */
class WorkflowEngineBench {
    private static final int DELTAS = 20;
    /** One bench user starts tens of thousands of threads. */
    private static final Limits UNLIMITED = new Limits(20_000, 10, 0);
    @TempDir Path dir;

    /** Answers at once: a fixed category, and a reply in {@value #DELTAS} pieces. */
    static final ModelProvider INSTANT = new ModelProvider() {
        @Override
        public String name() {
            return "instant";
        }

        @Override
        public Completion streamText(TextRequest request, TextSink onDelta) {
            for (int i = 0; i < DELTAS; i++) onDelta.accept("word ");
            return new Completion("word ".repeat(DELTAS), Usage.NONE);
        }

        @Override
        public StructuredCompletion structured(StructuredRequest request) {
            var value = JsonNodeFactory.instance.objectNode().put("category", "website_build").put("confidence", 0.9)
                    .put("reason", "bench");
            return new StructuredCompletion(value, value.toString(), Usage.NONE);
        }
    };

    /** The same reply as the seed's agent, streamed without any workflow: the baseline. */
    static final Responder DIRECT = (turn, input, events) -> {
        var item = new ThreadItem.AssistantMessage(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), List.of());
        events.emit(new ThreadStreamEvent.ItemAdded(item));
        events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.ContentPartAdded(0, AssistantContent.of(""))));
        for (int i = 0; i < DELTAS; i++) {
            events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.TextDelta(0, "word ")));
        }
        var content = AssistantContent.of("word ".repeat(DELTAS));
        events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.ContentPartDone(0, content)));
        events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.AssistantMessage(item.id(), item.threadId(), item.createdAt(), List.of(content))));
    };

    /** start → {@code n} nodes of one kind → agent → end, so variants differ only in the chain's length. */
    static String chain(String id, String kind, int n) {
        var nodes = new StringBuilder("{\"id\":\"start\",\"type\":\"start\"}");
        var edges = new StringBuilder();
        String prev = "start";
        for (int i = 1; i <= n; i++) {
            String node = "n" + i;
            String body = switch (kind) {
                case "transform" -> "\"type\":\"transform\",\"expression\":\"size(workflow.input_as_text) + " + i + "\"";
                case "if_else" -> "\"type\":\"if_else\",\"conditions\":[{\"id\":\"long\",\"expression\":\"size(workflow.input_as_text) > 1000\"}]";
                default -> throw new IllegalArgumentException(kind);
            };
            nodes.append(",{\"id\":\"").append(node).append("\",").append(body).append('}');
            link(edges, prev, node, kind.equals("if_else") && i > 1);
            prev = node;
        }
        nodes.append(",{\"id\":\"agent\",\"type\":\"agent\",\"instructions\":\"Answer.\",\"user_prompt\":\"{{ workflow.input_as_text }}\"}");
        nodes.append(",{\"id\":\"end\",\"type\":\"end\",\"schema\":{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}},"
                + "\"values\":{\"message\":\"agent.output_text\"}}");
        link(edges, prev, "agent", kind.equals("if_else") && n > 0);
        link(edges, "agent", "end", false);
        edges.setLength(edges.length() - 1);
        return "{\"id\":\"" + id + "\",\"name\":\"bench\",\"nodes\":[" + nodes + "],\"edges\":[" + edges + "]}";
    }

    /** An edge, or for an if_else both of its branches, so every node in the chain is always run. */
    private static void link(StringBuilder edges, String from, String to, boolean branched) {
        if (!branched) {
            edges.append("{\"from\":\"").append(from).append("\",\"to\":\"").append(to).append("\"},");
            return;
        }
        for (String branch : List.of("long", "else")) {
            edges.append("{\"from\":\"").append(from).append("\",\"branch\":\"").append(branch)
                    .append("\",\"to\":\"").append(to).append("\"},");
        }
    }

    @Test
    void engineOverhead() {
        long seconds = Long.getLong("bench.seconds", 4);
        try (SqliteStore store = SqliteStore.open(dir.resolve("bench.db"))) {
            var workflows = new Workflows(store.storage().workflows(), INSTANT);
            workflows.publishBundledSeed();
            System.out.println("variant                         µs/turn   (single caller, " + seconds + " s each, after a warm-up)");
            double direct = measure("direct reply (no workflow)", ChatKitServer.builder().store(store).responder(DIRECT).limits(UNLIMITED).build(), seconds);
            double seed = measure("seed workflow", server(store, workflows, Workflows.SEED_ID), seconds);
            System.out.printf(Locale.ROOT, "engine overhead per seed turn (5 nodes): %.1f µs%n", seed - direct);
            for (String kind : List.of("transform", "if_else")) {
                double[] at = new double[2];
                int[] sizes = {0, 40};
                for (int i = 0; i < 2; i++) {
                    String id = "wf_bench_" + kind + "_" + sizes[i];
                    workflows.publish(chain(id, kind, sizes[i]));
                    at[i] = measure(kind + " chain of " + sizes[i], server(store, workflows, id), seconds);
                }
                System.out.printf(Locale.ROOT, "per %s node: %.2f µs%n", kind, (at[1] - at[0]) / (sizes[1] - sizes[0]));
            }
        }
    }

    private static ChatKitServer server(SqliteStore store, Workflows workflows, String id) {
        return ChatKitServer.builder().store(store).responder(workflows.responder(id)).limits(UNLIMITED).build();
    }

    private static double measure(String label, ChatKitServer server, long seconds) {
        byte[] body = ("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"We need a new website for our bakery\"}],\"attachments\":[],\"inference_options\":{}}}}")
                .getBytes(StandardCharsets.UTF_8);
        var ctx = RequestContext.of("bench");
        run(server, body, ctx, Math.max(1, seconds / 2) * 1_000_000_000L); // warm-up
        long start = System.nanoTime();
        long turns = run(server, body, ctx, seconds * 1_000_000_000L);
        double micros = (System.nanoTime() - start) / 1000.0 / turns;
        System.out.printf(Locale.ROOT, "%-30s %8.1f%n", label, micros);
        return micros;
    }

    private static long run(ChatKitServer server, byte[] body, RequestContext ctx, long nanos) {
        long end = System.nanoTime() + nanos;
        long turns = 0;
        int[] errors = {0};
        while (System.nanoTime() < end) {
            ((Result.Stream) server.process(body, ctx)).body().writeTo(e -> {
                if (e instanceof ThreadStreamEvent.Error) errors[0]++;
            });
            turns++;
        }
        if (errors[0] > 0) throw new AssertionError(errors[0] + " turns ended in an error event");
        return turns;
    }
}
