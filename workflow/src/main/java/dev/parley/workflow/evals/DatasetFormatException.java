package dev.parley.workflow.evals;

import java.util.List;

/** A dataset that cannot be read, with every problem found, each naming its line and how to fix it. */
public final class DatasetFormatException extends RuntimeException {
    private final List<String> problems;

    public DatasetFormatException(List<String> problems) {
        super(problems.size() + " problem(s) in the dataset: " + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
                + (problems.size() > 3 ? "; …" : ""));
        this.problems = List.copyOf(problems);
    }

    /** {@return every problem, such as {@code line 4: "expect" is missing; add …}} */
    public List<String> problems() {
        return problems;
    }
}
