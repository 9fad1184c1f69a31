package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.store.EvalStore;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.workflow.engine.Workflows;
import dev.parley.workflow.evals.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <workflow>.evals.jsonl} beside a workflow file in {@code PARLEY_WORKFLOWS_DIR}: its default dataset. */
class EvalsFolderTest {
    @TempDir Path folder;
    @TempDir Path data;

    private TestServer start() {
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(data);
        return TestServer.startWorkflows(config, AssistantConfig.defaults().withWorkflowsDir(folder).withWorkflowId("wf_custom"),
                EmbeddedProvider.open(null, null), false);
    }

    private void workflow() throws IOException {
        ObjectNode doc = (ObjectNode) TestServer.JSON.readTree(Workflows.bundledSeed());
        doc.put("id", "wf_custom");
        Files.writeString(folder.resolve("custom.json"), doc.toString());
    }

    @Test
    void theDatasetBesideAWorkflowFileBecomesItsDefaultAndTheSeedGetsNone() throws IOException {
        workflow();
        Files.writeString(folder.resolve("custom.evals.jsonl"),
                "{\"input\": \"We need a website\", \"expect\": {\"category\": \"website_build\"}}\n"
                        + "{\"input\": \"Hi\", \"expect\": {\"contains\": \"hello\"}}\n");
        try (TestServer server = start()) {
            EvalStore.Dataset d = server.storage().evals().dataset("wf_custom", "default").orElseThrow();
            assertThat(d.caseCount()).isEqualTo(2);
            assertThat(d.cases()).contains("We need a website");
            // The server runs wf_custom, not the seed: the seed's bundled dataset is not installed.
            assertThat(server.storage().evals().datasets(Workflows.SEED_ID)).isEmpty();
        }
    }

    @Test
    void aBrokenDatasetStopsTheStartNamingTheFileAndLine() throws IOException {
        workflow();
        Files.writeString(folder.resolve("custom.evals.jsonl"), "{\"input\": \"ok\", \"expect\": {\"contains\": \"x\"}}\n{nope\n");
        Files.writeString(folder.resolve("orphan.evals.jsonl"), "{\"input\": \"ok\", \"expect\": {\"contains\": \"x\"}}\n");
        assertThatThrownBy(this::start).isInstanceOfSatisfying(DatasetFormatException.class, e -> {
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("custom.evals.jsonl: line 2: not valid JSON"));
            assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("orphan.evals.jsonl: no orphan.json beside it"));
        });
    }
}
