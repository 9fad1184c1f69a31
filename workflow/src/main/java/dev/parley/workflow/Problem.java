package dev.parley.workflow;

/**
 * One publish-time finding. {@code message} already names the node and field so it reads well on its own in a log;
 * {@code fix} says what to change.
 *
 * @param nodeId null for workflow-level problems
 * @param field  the document field, e.g. {@code conditions[0].expression} or {@code values.message}
 */
public record Problem(String nodeId, String field, String message, String fix) {

    /** Builds a problem whose message is prefixed with the node and field. */
    public static Problem at(String nodeId, String field, String description, String fix) {
        String where = nodeId == null ? "workflow" : "node `" + nodeId + "`";
        if (field != null) where += ", field `" + field + "`";
        return new Problem(nodeId, field, where + ": " + description, fix);
    }

    /** {@return the message, and the fix on a line of its own: read in a terminal, the two never run together} */
    @Override
    public String toString() {
        return fix == null ? message : message + "\n  Fix: " + fix;
    }
}
