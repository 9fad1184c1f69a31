package dev.parley.workflow;

/**
 * A connection {@code from → to}. {@code branch} names which output of a branching node the edge leaves from:
 * an if_else condition id or {@code else}; {@code pass}/{@code fail}; {@code approved}/{@code rejected};
 * {@code body}/{@code exit}. It is null for nodes with a single output.
 */
public record Edge(String from, String to, String branch) {
    @Override
    public String toString() {
        return from + (branch == null ? "" : "[" + branch + "]") + " → " + to;
    }
}
