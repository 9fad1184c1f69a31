package dev.parley.workflow;

import java.util.List;

/** The result of publish-time validation: errors refuse the publish, warnings do not. */
public record ValidationReport(List<Problem> errors, List<Problem> warnings) {
    public ValidationReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** {@return the errors for one node, in report order} */
    public List<Problem> errorsFor(String nodeId) {
        return errors.stream().filter(p -> nodeId.equals(p.nodeId())).toList();
    }

    @Override
    public String toString() {
        var sb = new StringBuilder();
        errors.forEach(p -> sb.append("error: ").append(p).append('\n'));
        warnings.forEach(p -> sb.append("warning: ").append(p).append('\n'));
        return sb.isEmpty() ? "ok" : sb.toString();
    }
}
