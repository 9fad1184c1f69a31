package dev.parley.workflow;

/** A workflow was refused at publish (or preview): its report lists every error with the node, field and fix. */
public final class InvalidWorkflowException extends RuntimeException {
    private final transient ValidationReport report;

    public InvalidWorkflowException(ValidationReport report) {
        super("The workflow does not validate:\n" + report);
        this.report = report;
    }

    public ValidationReport report() {
        return report;
    }
}
