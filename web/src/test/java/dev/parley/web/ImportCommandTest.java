package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.config.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley import FILE [--out DIR] [--publish]}: the report on the terminal, the document written, the publish. */
class ImportCommandTest {
    @TempDir Path dir;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    int run(Map<String, String> env, String... args) {
        return new ImportCommand(new PrintStream(printed, true, StandardCharsets.UTF_8), () -> Environment.read(env))
                .run(List.of(args));
    }

    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    Path fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/agentbuilder/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    @Test
    void aWorkflowIsWrittenToTheFolderAndTheReportPrinted() throws IOException {
        Path out = dir.resolve("workflows");
        int status = run(Map.of(), fixture("triage.agentbuilder.json").toString(), "--out", out.toString());
        assertThat(status).as(printed()).isZero();
        assertThat(printed()).contains("0 error(s)");
        JsonNode written = TestServer.JSON.readTree(out.resolve("wf_6900aa00bb11cc22dd33ee44ff556677.json").toFile());
        assertThat(written.path("nodes").findValuesAsText("type")).contains("start", "agent", "if_else", "end");
    }

    @Test
    void brokenInputExitsWithTwoAndSaysWhy() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"object\": \"workflow\", \"nodes\": [");
        assertThat(run(Map.of(), file.toString())).isEqualTo(2);
        assertThat(printed()).contains("not valid JSON");
        assertThat(run(Map.of(), dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(printed()).contains("cannot read");
        assertThat(run(Map.of(), "--frobnicate")).isEqualTo(2);
        assertThat(printed()).contains(ImportCommand.USAGE);
    }

    @Test
    void publishGoesIntoTheConfiguredStoreWithTheServersChecks() throws IOException {
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("PARLEY_DATA_DIR", data.toString(), "PARLEY_MODEL_PROVIDER", "echo");
        assertThat(run(env, fixture("approval.agentbuilder.json").toString(), "--publish")).as(printed()).isZero();
        assertThat(printed()).contains("Published wf_6900aa00bb11cc22dd33ee44ff5566aa v1");
        try (var store = SqliteStore.open(data.resolve("parley.db"))) {
            assertThat(store.storage().workflows().latest("wf_6900aa00bb11cc22dd33ee44ff5566aa")).isPresent();
        }
        // The file search needs a knowledge base standing in for its vector store: this server has none.
        assertThat(run(env, fixture("search.agentbuilder.json").toString(), "--publish")).isEqualTo(2);
        assertThat(printed()).contains("Not published").contains("vs_manuals");
    }
}
