package dev.parley.workflow.validate;

import dev.parley.workflow.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Collects findings; identical ones (e.g. the same reference twice in one expression) are kept once. */
final class Problems {
    private final LinkedHashSet<Problem> errors = new LinkedHashSet<>();
    private final LinkedHashSet<Problem> warnings = new LinkedHashSet<>();

    private int reported;

    void error(Problem p) {
        reported++;
        errors.add(p);
    }

    void warning(Problem p) {
        warnings.add(p);
    }

    /** {@return how many errors were reported, duplicates included, so callers can tell whether a step failed} */
    int errorCount() {
        return reported;
    }

    List<Problem> errors() {
        return new ArrayList<>(errors);
    }

    List<Problem> warnings() {
        return new ArrayList<>(warnings);
    }
}
