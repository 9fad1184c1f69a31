package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the corpus tool tests run on, all real: the OpenAI provider against the stand-in on loopback, a webhook
 * backend on loopback, knowledge bases read from a folder, a SQLite file, the engine and the ChatKit dispatcher.
 * Documents come from {@code src/test/resources/corpus-tools/}.
 */
final class CorpusToolsHarness implements AutoCloseable {
    final StandInOpenAi openai;
    final OpenAiProvider provider;
    final LoopbackServer backend;
    final Webhooks webhooks;
    final KnowledgeBases knowledge;
    final SqliteStore store;
    final Workflows workflows;

    /**
     * @param dir       a temporary folder for the database and the embeddings cache
     * @param knowledge the folder whose sub-folders are the knowledge bases, or null for none
     * @param backend   what the webhook backend answers
     */
    CorpusToolsHarness(Path dir, Path knowledge, LoopbackServer.Handler backend) {
        openai = StandInOpenAi.start();
        provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
        this.backend = new LoopbackServer(backend);
        webhooks = new Webhooks(WebhookPolicy.of(List.of(this.backend.hostEntry()),
                AgentToolsRunTest.KEY.getBytes(StandardCharsets.UTF_8)));
        this.knowledge = knowledge == null ? null : KnowledgeBases.open(knowledge, dir.resolve("embeddings"));
        store = SqliteStore.open(dir.resolve("parley.db"));
        workflows = new Workflows(store.storage().workflows(), new Toolbox(provider, webhooks, this.knowledge, null, null, null),
                "srv_corpus");
    }

    @Override
    public void close() {
        store.close();
        webhooks.close();
        backend.close();
        provider.close();
        openai.close();
    }

    /** {@return the text of {@code corpus-tools/<name>.json}} */
    static String document(String name) {
        try (InputStream in = CorpusToolsHarness.class.getResourceAsStream("/corpus-tools/" + name + ".json")) {
            if (in == null) throw new IllegalArgumentException("no corpus-tools/" + name + ".json");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ChatKit server answering with the latest version of {@code workflowId}. */
    ChatKitServer server(String workflowId) {
        return ChatKitServer.builder().store(store).responder(workflows.responder(workflowId)).build();
    }

    static List<ThreadStreamEvent> send(ChatKitServer server, String body) {
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1"))).body()
                .writeTo(events::add);
        return events;
    }

    static List<ThreadStreamEvent> create(ChatKitServer server, String text) {
        return send(server, "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":" + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}");
    }

    static List<ThreadStreamEvent> say(ChatKitServer server, String thread, String text) {
        return send(server, "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":" + ChatKitJson.writeStorage(text)
                + "}],\"attachments\":[],\"inference_options\":{}}}}");
    }

    static List<ThreadStreamEvent> clientOutput(ChatKitServer server, String thread, String resultJson) {
        return send(server, "{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"result\":" + resultJson + "}}");
    }

    static String threadId(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ThreadCreated)
                .map(e -> ((ThreadStreamEvent.ThreadCreated) e).thread().id()).findFirst().orElseThrow();
    }

    /** {@return the finished assistant message of the turn} */
    static ThreadItem.AssistantMessage reply(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage)
                .map(e -> (ThreadItem.AssistantMessage) ((ThreadStreamEvent.ItemDone) e).item()).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no reply in " + events));
    }

    /** {@return the text deltas the user saw, joined} */
    static String streamed(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemUpdated u && u.update() instanceof ThreadItemUpdate.TextDelta)
                .map(e -> ((ThreadItemUpdate.TextDelta) ((ThreadStreamEvent.ItemUpdated) e).update()).delta())
                .collect(Collectors.joining());
    }

    static List<String> progress(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ProgressUpdate)
                .map(e -> ((ThreadStreamEvent.ProgressUpdate) e).text()).toList();
    }

    /** {@return the newest run trace of {@code workflowId}} */
    JsonNode trace(String workflowId) {
        return ChatKitJson.readStorage(store.storage().workflows().recentTraces(workflowId, 1).getFirst().document(),
                JsonNode.class);
    }

    /** {@return the last span of {@code nodeId} in {@code trace}} */
    static JsonNode span(JsonNode trace, String nodeId) {
        JsonNode found = null;
        for (JsonNode node : trace.path("nodes")) if (node.path("node_id").asText().equals(nodeId)) found = node;
        if (found == null) throw new AssertionError("no span of " + nodeId + " in " + trace);
        return found;
    }

    /** {@return the ids of the nodes the run went through, in order} */
    static List<String> path(JsonNode trace) {
        List<String> out = new ArrayList<>();
        trace.path("nodes").forEach(n -> out.add(n.path("node_id").asText()));
        return out;
    }

    /** {@return the last user message of a Responses request's input} */
    static String lastUserInput(JsonNode request) {
        String last = null;
        for (JsonNode item : request.path("input")) {
            if ("user".equals(item.path("role").asText())) last = text(item.path("content"));
        }
        if (last == null) throw new AssertionError("no user message in " + request.path("input"));
        return last;
    }

    /** {@return the role and text of each message in a Responses request's input, as {@code role: text}} */
    static List<String> messages(JsonNode request) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : request.path("input")) {
            if (item.has("role")) out.add(item.path("role").asText() + ": " + text(item.path("content")));
        }
        return out;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) out.append(part.path("text").asText());
        return out.toString();
    }
}
