package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports every case of the Agent Builder corpus ({@code shared/reference/agent-builder-corpus}, beside the
 * repository; skipped where it is absent). A valid case must import with no error and give a document that
 * validates; a broken one must be refused with an error that names its problem.
 */
class AgentBuilderCorpusTest {
    /** Relative to the workflow module: shared/ sits beside the repository's root, or beside the module. */
    private static final List<Path> CORPUS = List.of(Path.of("../../shared/reference/agent-builder-corpus"),
            Path.of("../shared/reference/agent-builder-corpus"));

    /**
     * The cases that must be refused, each with a phrase its errors must contain. The first four are the ones the
     * corpus marks as broken and Agent Builder itself would not export; the last two compare the user's text with
     * numbers, which CEL's type check (Parley's, at publish) refuses: {@code ==} would never be true and {@code >}
     * fails when it runs.
     */
    private static final Map<String, String> BROKEN = Map.of(
            "logic_nodes__if_else__invalid_expression", "has no condition",
            "logic_nodes__if_else__if_else_partial_invalid_expression", "has no condition",
            "logic_nodes__if_else__if_else_with_else_if_invalid_expression", "has no condition",
            "logic_nodes__while_loop__empty_while_loop", "has no condition",
            "logic_nodes__no_edges_various_nodes", "unreachable",
            "logic_nodes__if_else__if_else_with_else_if", "no matching overload",
            "logic_nodes__if_else__if_else_with_multiple_else_if", "no matching overload");

    @Test
    void importsEveryValidCaseAndRefusesTheBrokenOnes() throws IOException {
        Path corpus = CORPUS.stream().map(p -> p.toAbsolutePath().normalize()).filter(Files::isDirectory).findFirst()
                .orElse(null);
        assumeTrue(corpus != null, "no Agent Builder corpus beside the repository");
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(corpus)) {
            cases = dirs.filter(d -> Files.isRegularFile(d.resolve("input.json"))).sorted().toList();
        }
        int imported = 0;
        int refused = 0;
        List<String> failures = new ArrayList<>();
        for (Path dir : cases) {
            String name = dir.getFileName().toString();
            ImportResult result = AgentBuilderJson.convert(Files.readString(dir.resolve("input.json")));
            ImportReport report = result.report();
            if (report.ok()) imported++;
            else refused++;
            String expectedProblem = BROKEN.get(name);
            if (expectedProblem == null) {
                if (!report.ok()) failures.add(name + " was refused: " + report.errors());
                else if (!WorkflowValidator.validate(WorkflowParser.parse(result.workflow())).ok()) {
                    failures.add(name + " imported to a document that does not validate");
                }
            } else if (report.ok()) {
                failures.add(name + " is broken but was imported");
            } else if (report.errors().stream().noneMatch(e -> e.message().contains(expectedProblem))) {
                failures.add(name + " was refused without naming `" + expectedProblem + "`: " + report.errors());
            }
        }
        System.out.printf("Agent Builder corpus: imported %d/%d, refused %d%n", imported, cases.size(), refused);
        assertThat(failures).isEmpty();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(BROKEN.size());
        assertThat(refused).isEqualTo(BROKEN.size());
    }
}
