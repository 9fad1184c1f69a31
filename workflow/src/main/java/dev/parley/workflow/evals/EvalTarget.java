package dev.parley.workflow.evals;

/**
 * What an eval runs: a workflow document, either a published version or an unpublished draft.
 *
 * @param version the published version, or 0 for a draft
 */
public record EvalTarget(String workflowId, int version, String document) {
    /** {@return how the target reads in messages: {@code wf_x v3} or {@code wf_x (draft)}} */
    public String describe() {
        return workflowId + (version == 0 ? " (draft)" : " v" + version);
    }
}
