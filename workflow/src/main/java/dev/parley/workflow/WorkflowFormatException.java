package dev.parley.workflow;

import java.util.List;

/** The document is not a well-formed workflow (bad JSON, unknown node type, missing field); lists every problem. */
public final class WorkflowFormatException extends RuntimeException {
    private final transient List<Problem> problems;

    public WorkflowFormatException(List<Problem> problems) {
        super(String.join("\n", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
