package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.workflow.agentbuilder.ImportEquivalence.Difference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's check: for every corpus case with an {@code expected_output.py}, importing the code gives a workflow
 * equivalent to importing its {@code input.json}, or the code import's report names each difference. A case where
 * only one importer refuses is a difference too; it counts as explained only when the refusing importer refused on
 * purpose (an error of its own, not Parley's check failing on what it made). A case both refuse is compared all the
 * same, so the two agree on everything but the shared error.
 */
class ImportEquivalenceCorpusTest {
    record Row(String name, List<Difference> differences, List<Difference> unexplained, String refusal,
               ImportReport codeReport) {
        boolean equivalent() {
            return differences.isEmpty() && refusal == null;
        }
    }

    @Test
    void everyCodeExportImportsLikeItsJsonOrTheReportSaysWhy() throws IOException {
        Path root = AgentsSdkCorpusTest.corpus();
        Assumptions.assumeTrue(root != null, "the Agent Builder corpus is not beside the repository");
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (!Files.exists(dir.resolve("input.json")) || !Files.exists(dir.resolve("expected_output.py"))) continue;
                ImportResult json = AgentBuilderJson.convert(Files.readString(dir.resolve("input.json")));
                ImportResult code = AgentsSdkCode.convert(Files.readString(dir.resolve("expected_output.py")));
                rows.add(row(dir.getFileName().toString(), json, code));
            }
        }
        int equivalent = 0;
        int explained = 0;
        int unexplained = 0;
        for (Row r : rows) {
            if (r.equivalent()) {
                equivalent++;
                System.out.printf("%-80s equivalent%n", r.name());
                continue;
            }
            if (r.unexplained().isEmpty()) explained++;
            else unexplained++;
            System.out.printf("%-80s %s%n", r.name(), r.refusal() != null ? r.refusal()
                    : r.differences().size() + " differences: " + String.join("; ", r.differences().stream()
                            .map(d -> d.where() + ImportEquivalence.explanation(d, r.codeReport())
                                    .map(e -> " (explained at " + e.source() + ")")
                                    .orElse(" (UNEXPLAINED: " + d.what() + ")"))
                            .toList()));
        }
        System.out.printf("equivalent %d/%d, explained %d, unexplained %d%n", equivalent, rows.size(), explained,
                unexplained);
        List<String> open = rows.stream().filter(r -> !r.unexplained().isEmpty())
                .map(r -> r.name() + ": " + r.unexplained()).toList();
        assertThat(open).as("differences the code import's report does not name").isEmpty();
        assertThat(rows).as("cases with both forms").hasSizeGreaterThan(40);
        assertThat(equivalent).as("cases whose two imports are fully equivalent").isPositive();
        assertThat(equivalent + explained + unexplained).isEqualTo(rows.size());
    }

    private static Row row(String name, ImportResult json, ImportResult code) {
        boolean jsonOk = json.workflow() != null && json.report().ok();
        boolean codeOk = code.workflow() != null && code.report().ok();
        if (jsonOk && codeOk) {
            List<Difference> ds = ImportEquivalence.compare(json.workflow(), code.workflow());
            List<Difference> open = ds.stream()
                    .filter(d -> ImportEquivalence.explanation(d, code.report()).isEmpty()).toList();
            return new Row(name, ds, open, null, code.report());
        }
        if (!jsonOk && !codeOk) {
            // Refusing alike is agreement, but what both made must still agree, so a publish after fixing the
            // shared error would give the same workflow.
            List<Difference> ds = json.workflow() == null || code.workflow() == null ? List.of()
                    : ImportEquivalence.compare(json.workflow(), code.workflow());
            List<Difference> open = ds.stream()
                    .filter(d -> ImportEquivalence.explanation(d, code.report()).isEmpty()).toList();
            return new Row(name, ds, open, "both refuse (" + ds.size() + " differences, " + open.size()
                    + " unexplained: " + open + "): " + firstError(json) + " | " + firstError(code), code.report());
        }
        ImportResult refusing = jsonOk ? code : json;
        Difference d = new Difference(null, null, "import", "only the " + (jsonOk ? "code" : "JSON") + " import refuses: "
                + firstError(refusing));
        boolean ownError = refusing.report().errors().stream()
                .anyMatch(e -> !e.message().startsWith("Parley's check of the imported workflow"));
        return new Row(name, List.of(d), ownError ? List.of() : List.of(d), d.what(), code.report());
    }

    private static String firstError(ImportResult r) {
        return r.report().errors().isEmpty() ? "no errors" : r.report().errors().get(0).message();
    }
}
