-- Evals (EvalStore): datasets of test cases per workflow, eval runs with their summary and cases, and the publishes
-- that went ahead although a workflow's eval gate failed. Times are microseconds since the Unix epoch, UTC.

-- A dataset is JSON Lines text, one case per line, replaced as a whole when uploaded again.
CREATE TABLE eval_datasets (
    workflow_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    cases       TEXT   NOT NULL,
    case_count  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, name)
);

-- One row per eval run; version 0 is an unpublished draft. The document holds the summary and every case.
CREATE TABLE eval_runs (
    eval_id         TEXT             NOT NULL PRIMARY KEY,
    workflow_id     TEXT             NOT NULL,
    version         BIGINT           NOT NULL,
    dataset_name    TEXT,
    started_at      BIGINT           NOT NULL,
    duration_micros BIGINT           NOT NULL,
    pass_rate       DOUBLE PRECISION NOT NULL,
    case_count      BIGINT           NOT NULL,
    document        TEXT             NOT NULL
);
CREATE INDEX eval_runs_by_time ON eval_runs (started_at);
CREATE INDEX eval_runs_by_workflow ON eval_runs (workflow_id, started_at);

-- A publish below the gate's minimum pass rate, made with the explicit override: kept for the record.
CREATE TABLE eval_overrides (
    workflow_id   TEXT             NOT NULL,
    version       BIGINT           NOT NULL,
    eval_id       TEXT             NOT NULL,
    pass_rate     DOUBLE PRECISION NOT NULL,
    min_pass_rate DOUBLE PRECISION NOT NULL,
    reason        TEXT             NOT NULL,
    at            BIGINT           NOT NULL,
    PRIMARY KEY (workflow_id, version)
);
