package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.workflow.Problem;
import dev.parley.workflow.WorkflowFormatException;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Imports every {@code expected_output.py} of the Agent Builder corpus (shared/reference, beside the repository;
 * skipped where it is absent). Each import either passes Parley's document check, or its report has an error for
 * each thing that check refuses, at a line of the code. The deliberately broken cases: the three
 * {@code *invalid_expression*} cases and {@code empty_while_loop} have no code export (Agent Builder would not
 * export them), and {@code no_edges_various_nodes} exports a run function that does nothing, which is refused.
 */
class AgentsSdkCorpusTest {
    private static final List<Path> CANDIDATES = List.of(
            Path.of("../../shared/reference/agent-builder-corpus"),
            Path.of("../shared/reference/agent-builder-corpus"),
            Path.of("shared/reference/agent-builder-corpus"));

    static Path corpus() {
        return CANDIDATES.stream().filter(Files::isDirectory).findFirst().orElse(null);
    }

    record Outcome(String caseName, ImportResult result, List<Problem> problems, int lines) {
        boolean imported() {
            return result.workflow() != null && problems.isEmpty() && result.report().ok();
        }
    }

    @Test
    void everyExportImportsOrSaysWhyNot() throws IOException {
        Path root = corpus();
        Assumptions.assumeTrue(root != null, "the Agent Builder corpus is not beside the repository");
        Map<String, Outcome> outcomes = new TreeMap<>();
        List<String> withoutCode = new ArrayList<>();
        try (Stream<Path> cases = Files.list(root)) {
            for (Path dir : cases.filter(Files::isDirectory).sorted().toList()) {
                Path py = dir.resolve("expected_output.py");
                String name = dir.getFileName().toString();
                if (!Files.exists(py)) {
                    withoutCode.add(name);
                    continue;
                }
                String code = Files.readString(py);
                ImportResult result = AgentsSdkCode.convert(code);
                outcomes.put(name, new Outcome(name, result, problems(result), (int) code.lines().count()));
                dump(name, result);
            }
        }
        long imported = outcomes.values().stream().filter(Outcome::imported).count();
        long refused = outcomes.size() - imported;
        System.out.printf("Agents SDK code import: imported %d/%d, refused %d (%d cases have no code export: %s)%n",
                imported, outcomes.size(), refused, withoutCode.size(), String.join(", ", withoutCode));
        for (Outcome o : outcomes.values()) {
            System.out.printf("  %-8s %s%n", o.imported() ? "imported" : "refused", o.caseName());
            if (!o.imported()) {
                o.result().report().errors().forEach(e -> System.out.printf("           %s: %s%n", e.source(), e.message()));
            }
        }

        for (Outcome o : outcomes.values()) {
            ImportReport report = o.result().report();
            for (ImportReport.Entry e : concat(report.errors(), report.warnings(), report.notes())) {
                assertThat(e.source()).as(o.caseName() + ": " + e.message()).matches("workflow|line \\d+");
                if (e.source().startsWith("line ")) {
                    assertThat(Integer.parseInt(e.source().substring(5))).as(o.caseName() + ": " + e.message())
                            .isBetween(1, o.lines());
                }
            }
            if (o.imported()) {
                assertThat(report.errors()).as(o.caseName()).isEmpty();
                continue;
            }
            assertThat(report.errors()).as(o.caseName() + " is refused, so its report must say why").isNotEmpty();
            for (Problem p : o.problems()) {
                assertThat(report.errors()).as(o.caseName() + ": the report names " + p.message())
                        .anySatisfy(e -> assertThat(e.message()).contains(p.message()));
            }
        }
        assertThat(withoutCode).containsExactlyInAnyOrder("logic_nodes__if_else__if_else_partial_invalid_expression",
                "logic_nodes__if_else__if_else_with_else_if_invalid_expression",
                "logic_nodes__if_else__invalid_expression", "logic_nodes__while_loop__empty_while_loop");
        Outcome noEdges = outcomes.get("logic_nodes__no_edges_various_nodes");
        assertThat(noEdges.imported()).isFalse();
        assertThat(noEdges.result().report().errors())
                .anySatisfy(e -> assertThat(e.message()).contains("does nothing"));
    }

    /** With {@code -Dagentbuilder.dump=DIR}, writes each import and its report there, for reading them. */
    private static void dump(String name, ImportResult result) throws IOException {
        String dir = System.getProperty("agentbuilder.dump");
        if (dir == null) return;
        Files.createDirectories(Path.of(dir));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter();
        Files.writeString(Path.of(dir, name + ".json"), json.writeValueAsString(result.workflow()) + "\n"
                + json.writeValueAsString(result.report()));
    }

    /** {@return the problems Parley's own check finds in the imported document} */
    static List<Problem> problems(ImportResult result) {
        if (result.workflow() == null) return List.of(Problem.at(null, null, "no workflow", null));
        try {
            return WorkflowValidator.compile(WorkflowParser.parse(result.workflow())).report().errors();
        } catch (WorkflowFormatException e) {
            return e.problems();
        }
    }

    @SafeVarargs
    private static List<ImportReport.Entry> concat(List<ImportReport.Entry>... lists) {
        List<ImportReport.Entry> out = new ArrayList<>();
        for (List<ImportReport.Entry> l : lists) out.addAll(l);
        return out;
    }
}
