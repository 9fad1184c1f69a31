package dev.parley.workflow;

import java.util.List;

/** The document is not a well-formed workflow (bad JSON, unknown node type, missing field); lists every problem. */
public final class WorkflowFormatException extends RuntimeException {
    private final transient List<Problem> problems;
    private final transient Workflow readable;

    public WorkflowFormatException(List<Problem> problems) {
        this(problems, null);
    }

    /**
     * @param readable what could be read despite the problems (the nodes and edges without one), so that a
     *                 validator can report the document's other mistakes in the same round; null when nothing
     *                 could be read
     */
    public WorkflowFormatException(List<Problem> problems, Workflow readable) {
        super(String.join("\n", problems.stream().map(Problem::toString).toList()));
        this.problems = List.copyOf(problems);
        this.readable = readable;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** {@return the part of the document that could be read, or null} */
    public Workflow readable() {
        return readable;
    }
}
