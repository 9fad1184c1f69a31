-- Parley workflow store, schema version 2: published workflow versions, per-thread run state, run traces.
-- Same portability rules as V1 (TEXT and BIGINT only). Times are microseconds since the Unix epoch, UTC.

-- Versions are immutable: a publish inserts (workflow_id, version + 1) and nothing ever updates a row.
CREATE TABLE workflow_versions (
    workflow_id  TEXT   NOT NULL,
    version      BIGINT NOT NULL,
    name         TEXT   NOT NULL,
    document     TEXT   NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

-- One row per thread: the workflow's state variables and any run paused for a user's approval.
CREATE TABLE run_state (
    thread_id  TEXT   NOT NULL PRIMARY KEY,
    user_id    TEXT   NOT NULL,
    state      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE traces (
    run_id          TEXT   NOT NULL PRIMARY KEY,
    workflow_id     TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    user_id         TEXT   NOT NULL,
    thread_id       TEXT   NOT NULL,
    started_at      BIGINT NOT NULL,
    duration_micros BIGINT NOT NULL,
    status          TEXT   NOT NULL,
    document        TEXT   NOT NULL
);

CREATE INDEX traces_by_workflow ON traces (workflow_id, started_at);
