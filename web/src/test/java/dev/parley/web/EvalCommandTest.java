package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.config.Environment;
import dev.parley.workflow.engine.Workflows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley eval WORKFLOW_FILE_OR_ID --dataset FILE [--min-pass-rate X]}: the real engine on the embedded provider,
 * configured from environment variables as the server is, exiting 0 when the rate is met, 1 when not, 2 on bad input.
 */
class EvalCommandTest {
    /** Four cases the seed passes and one it cannot (the bakery is a website, not a tool): 80%. */
    static final String DATASET = String.join("\n",
            "{\"id\": \"bakery\", \"input\": \"We need a new website for our bakery\", \"expect\": {\"category\": \"website_build\"}}",
            "{\"id\": \"portal\", \"input\": \"A customer portal where clients log in and see invoices\", \"expect\": {\"branch\": \"web_app_or_platform\"}}",
            "{\"id\": \"weather\", \"input\": \"What will the weather be in Paris tomorrow?\", \"expect\": {\"must_decline\": true}}",
            "{\"id\": \"rate\", \"input\": \"What is your hourly rate?\", \"expect\": {\"matches\": \"\\\\d+ euros\"}}",
            "{\"id\": \"wrong\", \"input\": \"We need a new website for our bakery\", \"expect\": {\"category\": \"single_purpose_tool\"}}");

    @TempDir Path dir;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Map<String, String> env;
    Path dataset;
    Path seed;

    @BeforeEach
    void files() throws IOException {
        env = Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString());
        dataset = Files.writeString(dir.resolve("cases.evals.jsonl"), DATASET);
        seed = Files.writeString(dir.resolve("seed.json"), Workflows.bundledSeed());
    }

    int run(String... args) {
        printed.reset();
        return new EvalCommand(new PrintStream(printed, true, StandardCharsets.UTF_8), () -> Environment.read(env))
                .run(List.of(args));
    }

    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitsZeroWhenTheRateIsMetAndOneWhenNot() throws IOException {
        Path report = dir.resolve("report.json");
        assertThat(run(seed.toString(), "--dataset", dataset.toString(), "--min-pass-rate", "0.8", "--report",
                report.toString())).as(printed()).isZero();
        assertThat(printed()).contains("wf_seed_agency (draft): 4 of 5 cases passed (80.0%; at least 80.0% needed)")
                .contains("on embedded").contains("FAIL wrong (line 5)").contains("expected single_purpose_tool, got website_build")
                .contains("latency p50").endsWith("PASSED\n");
        JsonNode json = TestServer.JSON.readTree(report.toFile());
        assertThat(json.path("summary").path("pass_rate").asDouble()).isEqualTo(0.8);
        assertThat(json.path("cases")).hasSize(5);

        assertThat(run(seed.toString(), "--dataset", dataset.toString(), "--min-pass-rate", "0.81")).isEqualTo(1);
        assertThat(printed()).endsWith("FAILED\n");
        // Without --min-pass-rate and without a gate in the workflow, every case must pass.
        assertThat(run(seed.toString(), "--dataset", dataset.toString())).isEqualTo(1);
        assertThat(printed()).contains("at least 100.0% needed");
    }

    @Test
    void theWorkflowsOwnGateSetsTheMinimumAndAnIdIsReadFromTheConfiguredStore() throws IOException {
        ObjectNode gated = (ObjectNode) TestServer.JSON.readTree(Workflows.bundledSeed());
        gated.putObject("evals").put("min_pass_rate", 0.75);
        Path file = Files.writeString(dir.resolve("gated.json"), gated.toString());
        assertThat(run(file.toString(), "--dataset", dataset.toString())).as(printed()).isZero();
        assertThat(printed()).contains("at least 75.0% needed");

        try (SqliteStore store = SqliteStore.open(dir.resolve("data").resolve(ParleyServer.DATABASE_FILE))) {
            new Workflows(store.storage().workflows(), EmbeddedProvider.open(null, null)).publishBundledSeed();
        }
        assertThat(run("wf_seed_agency", "--dataset", dataset.toString(), "--min-pass-rate", "0.5")).as(printed()).isZero();
        assertThat(printed()).contains("wf_seed_agency v1: 4 of 5 cases passed");
    }

    @Test
    void wrongInputExitsTwoAndSaysWhatToFix() throws IOException {
        assertThat(run(seed.toString())).isEqualTo(2);
        assertThat(printed()).contains("--dataset FILE").contains("usage: parley eval");
        assertThat(run("--dataset", dataset.toString())).isEqualTo(2);
        assertThat(printed()).contains("name the workflow file or id");
        assertThat(run(seed.toString(), "--dataset", dataset.toString(), "--min-pass-rate", "85")).isEqualTo(2);
        assertThat(printed()).contains("from 0 to 1");
        assertThat(run(seed.toString(), "--dataset", dataset.toString(), "--frobnicate")).isEqualTo(2);
        assertThat(printed()).contains("unknown option --frobnicate");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"input\": \"hi\", \"expect\": {}}\n{oops");
        assertThat(run(seed.toString(), "--dataset", bad.toString())).isEqualTo(2);
        assertThat(printed()).contains("line 1: \"expect\" is missing").contains("line 2: not valid JSON");
        assertThat(run(seed.toString(), "--dataset", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(printed()).contains("cannot read");
        assertThat(run("wf_unknown", "--dataset", dataset.toString())).isEqualTo(2);
        assertThat(printed()).contains("no workflow wf_unknown is published");
        assertThat(run("nonsense", "--dataset", dataset.toString())).isEqualTo(2);
        assertThat(printed()).contains("neither a file nor a workflow id");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"id\": \"wf_x\", \"name\": \"x\", \"nodes\": [], \"edges\": []}");
        assertThat(run(invalid.toString(), "--dataset", dataset.toString())).isEqualTo(2);
        assertThat(printed()).contains("does not validate").contains("error");
    }
}
