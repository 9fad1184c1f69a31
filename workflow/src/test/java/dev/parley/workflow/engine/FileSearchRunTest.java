package dev.parley.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File search on the embedded provider, which runs it itself: as an agent's tool (the answer comes from the bases
 * the tool names, not the default one) and as a {@code file_search} node whose results later nodes read.
 */
class FileSearchRunTest {
    @TempDir static Path dir;
    static KnowledgeBases knowledge;
    static SqliteStore store;
    static Workflows workflows;

    @BeforeAll
    static void open() throws Exception {
        Path root = Files.createDirectories(dir.resolve("knowledge"));
        Files.createDirectories(root.resolve("bakery"));
        Files.createDirectories(root.resolve("support"));
        Files.writeString(root.resolve("bakery/bread.md"), """
                # Sourdough bread

                Our sourdough rises for eighteen hours and is baked in a stone oven every morning at five.
                """);
        Files.writeString(root.resolve("support/returns.md"), """
                # Returns

                You can return any item within 30 days for a full refund. Bring the receipt; we refund the money to
                the card you paid with.
                """);
        knowledge = KnowledgeBases.open(root, dir.resolve("embeddings"));
        store = SqliteStore.open(dir.resolve("parley.db"));
        var provider = EmbeddedProvider.open(knowledge);
        workflows = new Workflows(store.storage().workflows(), new Toolbox(provider, null, knowledge, null, null, null), "srv_t");
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static List<ThreadStreamEvent> ask(String workflowId, String text) {
        var server = ChatKitServer.builder().store(store).responder(workflows.responder(workflowId)).build();
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of("u1"))).body().writeTo(events::add);
        return events;
    }

    static ThreadItem.AssistantMessage reply(List<ThreadStreamEvent> events) {
        return events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemDone d && d.item() instanceof ThreadItem.AssistantMessage)
                .map(e -> (ThreadItem.AssistantMessage) ((ThreadStreamEvent.ItemDone) e).item()).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no reply in " + events));
    }

    @Test
    void anAgentsFileSearchToolGroundsTheEmbeddedAnswerOnTheBasesItNames() {
        workflows.publish("""
            {"id": "wf_fs_tool", "name": "Support", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "support_agent", "type": "agent", "instructions": "Answer from the support documents.",
               "tools": [{"type": "file_search", "knowledge_bases": ["support"]}]},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__support_agent.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "support_agent"}, {"from": "support_agent", "to": "done"}]}
            """);
        var events = ask("wf_fs_tool", "Can I return something I bought and get a refund?");
        ThreadItem.AssistantMessage reply = reply(events);
        assertThat(reply.text()).containsIgnoringCase("30 days");
        assertThat(ChatKitJson.writeStorage(reply)).contains("returns.md");
        assertThat(events).contains(new ThreadStreamEvent.ProgressUpdate(null, "Searching the knowledge base…"));
    }

    @Test
    void aFileSearchNodesResultsAreTypedForTheNodesAfterIt() {
        workflows.publish("""
            {"id": "wf_fs_node", "name": "Lookup", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "search", "type": "file_search", "label": "Looking it up", "knowledge_bases": ["bakery", "support"],
               "max_results": 2},
              {"id": "best", "type": "transform", "expression": "'Best match: ' + search.output_parsed.results[0].source"},
              {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__best.output_parsed__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "search"}, {"from": "search", "to": "best"}, {"from": "best", "to": "done"}]}
            """);
        var events = ask("wf_fs_node", "When is the bread baked?");
        assertThat(reply(events).text()).isEqualTo("Best match: bakery/bread.md");
        assertThat(events).contains(new ThreadStreamEvent.ProgressUpdate(null, "Looking it up"));
        JsonNode trace = ChatKitJson.readStorage(store.storage().workflows().recentTraces("wf_fs_node", 1).getFirst().document(), JsonNode.class);
        JsonNode results = trace.path("nodes").get(1).path("output").path("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).path("score").asDouble()).isGreaterThan(results.get(1).path("score").asDouble());
    }
}
