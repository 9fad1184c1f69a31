package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Completion;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import dev.parley.protocol.ChatKitJson;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed guide's router written as Agent Builder JSON, imported, published and run next to the bundled seed on
 * every labelled inquiry of {@code inquiries.tsv}: each inquiry reaches the same specialised agent in both. The model
 * is a stand-in that classifies each inquiry as labelled (whatever the schema calls the field), so what is compared
 * is the graph — the routes, conditions and branches the import produced — not a model's judgement.
 */
class AgentBuilderSeedRoutingTest {
    private static final Map<String, String> SEED_TO_IMPORTED = AgentBuilderSeedTest.SEED_TO_IMPORTED;

    @TempDir Path dir;

    /** Answers a classification with the inquiry's label, into whichever string property has the categories enum. */
    static final class Labelled implements ModelProvider {
        final Map<String, String> labels;

        Labelled(Map<String, String> labels) {
            this.labels = labels;
        }

        public String name() { return "labelled"; }

        public Completion streamText(TextRequest request, TextSink sink) {
            sink.accept("ok");
            return new Completion("ok", Usage.NONE);
        }

        public StructuredCompletion structured(StructuredRequest request) {
            String label = labels.get(request.input().strip());
            if (label == null) throw new AssertionError("not a labelled inquiry: " + request.input());
            ObjectNode value = JsonNodeFactory.instance.objectNode();
            for (var p : request.schema().path("properties").properties()) {
                JsonNode s = p.getValue();
                if (s.has("enum")) value.put(p.getKey(), label);
                else if (s.path("type").asText().equals("number")) value.put(p.getKey(), 0.9);
                else value.put(p.getKey(), "labelled");
            }
            return new StructuredCompletion(value, value.toString(), Usage.NONE);
        }
    }

    @Test
    void everyLabelledInquiryReachesTheSameAgentAsInTheBundledSeed() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        try (var in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/inquiries.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t", 2);
                labels.put(parts[1].strip(), parts[0]);
            }
        }
        ImportResult imported = AgentBuilderJson.convert(AgentBuilderJsonTest.resource("seed-agency.agentbuilder.json"));
        assertThat(imported.report().errors()).isEmpty();
        String importedId = imported.workflow().path("id").asText();

        try (var store = SqliteStore.open(dir.resolve("parley.db"))) {
            var workflows = new Workflows(store.storage().workflows(), new Labelled(labels));
            workflows.publishBundledSeed();
            workflows.publish(imported.workflow().toString());
            var seed = ChatKitServer.builder().store(store).responder(workflows.responder(Workflows.SEED_ID)).build();
            var moved = ChatKitServer.builder().store(store).responder(workflows.responder(importedId)).build();
            List<String> differences = new ArrayList<>();
            int n = 0;
            for (String text : labels.keySet()) {
                String user = "u" + n++;
                String seedAgent = agentOf(store, seed, Workflows.SEED_ID, user, text);
                String movedAgent = agentOf(store, moved, importedId, user, text);
                if (!SEED_TO_IMPORTED.get(seedAgent).equals(movedAgent)) {
                    differences.add(text + ": seed → " + seedAgent + ", imported → " + movedAgent);
                }
            }
            System.out.println("Seed routing: " + (labels.size() - differences.size()) + "/" + labels.size()
                    + " labelled inquiries reach the same agent in the imported workflow");
            assertThat(labels).hasSizeGreaterThanOrEqualTo(100);
            assertThat(differences).isEmpty();
        }
    }

    /** Runs one turn and {@return the agent the trace says answered} */
    private static String agentOf(SqliteStore store, ChatKitServer server, String workflowId, String user, String text) {
        String body = "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + ChatKitJson.writeStorage(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
        ((Result.Stream) server.process(body.getBytes(StandardCharsets.UTF_8), RequestContext.of(user))).body().writeTo(e -> {});
        JsonNode trace = ChatKitJson.readStorage(store.storage().workflows().recentTraces(workflowId, 1).getFirst().document(),
                JsonNode.class);
        for (JsonNode node : trace.path("nodes")) {
            String id = node.path("node_id").asText();
            if (node.path("type").asText().equals("agent") && (SEED_TO_IMPORTED.containsKey(id) || SEED_TO_IMPORTED.containsValue(id))) {
                return id;
            }
        }
        throw new AssertionError("no specialised agent ran for: " + text + " in " + trace);
    }
}
