package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.ImportEquivalence.Difference;
import java.util.Optional;

final class ImportEquivalenceExplanations {
    private ImportEquivalenceExplanations() {}

    static Optional<ImportReport.Entry> find(Difference d, ImportReport report) {
        return Optional.empty();
    }
}
