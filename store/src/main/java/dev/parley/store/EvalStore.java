package dev.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Eval datasets, eval runs and the publishes that overrode a failed eval gate. Everything here is the operator's
 * (the admin API and the {@code parley eval} command), never an end user's. The store keeps documents as they were
 * given: what a case or a summary holds is the eval engine's business.
 */
public interface EvalStore {
    /**
     * One dataset of a workflow: JSON Lines, a case per line.
     *
     * @param name  unique per workflow; {@code default} is the one a workflow folder's {@code <file>.evals.jsonl} fills
     * @param cases the JSON Lines text, as uploaded
     */
    record Dataset(String workflowId, String name, String cases, int caseCount, Instant updatedAt) {}

    /**
     * One eval run: a workflow version (0 for a draft) against a dataset.
     *
     * @param datasetName the dataset's name, or null for cases sent inline
     * @param passRate    the share of cases that passed every deterministic grader, 0 to 1
     * @param document    the whole run as JSON: summary and cases
     */
    record Run(String evalId, String workflowId, int version, String datasetName, Instant startedAt,
            long durationMicros, double passRate, int caseCount, String document) {}

    /** A publish that went ahead although the eval gate failed, and who asked for it. */
    record GateOverride(String workflowId, int version, String evalId, double passRate, double minPassRate, String reason,
            Instant at) {}

    /** Saves the dataset, replacing the one of the same workflow and name. */
    void saveDataset(Dataset dataset);

    /** Saves the dataset unless the workflow already has one of that name; {@return whether it was saved} */
    boolean saveDatasetIfAbsent(Dataset dataset);

    Optional<Dataset> dataset(String workflowId, String name);

    /** {@return the workflow's datasets by name, each without its cases text (an empty string)} */
    List<Dataset> datasets(String workflowId);

    void saveRun(Run run);

    Optional<Run> run(String evalId);

    /**
     * {@return the newest runs first, without their documents (an empty string)}
     *
     * @param workflowId only this workflow's runs, or null for every workflow's
     */
    List<Run> runs(String workflowId, int limit);

    void saveOverride(GateOverride override);

    /** {@return the workflow's overridden publishes, newest first} */
    List<GateOverride> overrides(String workflowId);
}
