package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.ImportEquivalence.Difference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which entry of the code import's report accounts for a difference. An entry counts only when it is about the
 * node the difference is at (it names the code node in backticks), or about the whole workflow for what the export
 * never carries, and says that kind of thing is lost; so a report that merely mentions the node does not excuse
 * every difference there.
 */
final class ImportEquivalenceExplanations {
    private ImportEquivalenceExplanations() {}

    /** A kind of difference, and the words an entry about it must contain. */
    private record Rule(Predicate<Difference> applies, boolean workflowWide, List<String> words) {}

    private static final List<Rule> RULES = List.of(
            // Python output types and function tool stubs carry plain types only.
            new Rule(d -> d.field().equals("output_schema") && annotationsOnly(d), false,
                    List.of("enums", "descriptions")),
            new Rule(d -> d.field().startsWith("tools.") && d.field().endsWith(".parameters") && annotationsOnly(d),
                    false, List.of("descriptions", "enums")),
            // What an End returns is what the code returns; Agent Builder's own mapping is not in it.
            new Rule(d -> d.field().startsWith("values") || d.field().startsWith("schema"), false,
                    List.of("not in the code")),
            // The export writes assignments one per line, whichever Set state node they came from.
            new Rule(d -> d.field().equals("node") && d.what().contains("consecutive set_state"), false,
                    List.of("more than one set state", "not in the code")),
            // The export writes the steps reachable from Start only.
            new Rule(d -> d.field().equals("node") && d.codeId() == null && d.what().endsWith(ImportEquivalence.UNREACHED),
                    true, List.of("not connected to start", "not in the code")),
            // Set state nodes without assignments write no code.
            new Rule(d -> d.field().equals("node") && d.codeId() == null && d.what().contains("set_state without"),
                    true, List.of("set state nodes without assignments", "not in the code")),
            new Rule(d -> d.field().equals("label"), true, List.of("labels", "not in the code")));

    static Optional<ImportReport.Entry> find(Difference d, ImportReport report) {
        List<ImportReport.Entry> entries = new ArrayList<>(report.warnings());
        entries.addAll(report.notes());
        entries.addAll(report.errors());
        for (Rule rule : RULES) {
            if (!rule.applies().test(d)) continue;
            for (ImportReport.Entry e : entries) {
                String text = e.message().toLowerCase(Locale.ROOT);
                boolean here = rule.workflowWide() ? e.source().equals("workflow")
                        : d.codeId() != null && e.message().contains("`" + d.codeId() + "`");
                if (here && rule.words().stream().allMatch(text::contains)) return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static boolean annotationsOnly(Difference d) {
        return d.what().startsWith(ImportEquivalenceFields.ANNOTATIONS_ONLY);
    }
}
