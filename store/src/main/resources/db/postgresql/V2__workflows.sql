-- Parley workflow store on PostgreSQL, schema version 2: published workflow versions, per-thread run state
-- and run traces; the same tables as db/migration/V2__workflows.sql. Times are microseconds since the epoch.

-- Versions are immutable. A publish numbers the new version under a transaction-scoped advisory lock on
-- the workflow id, so two servers publishing at once take turns instead of colliding on the key.
CREATE TABLE workflow_versions (
    workflow_id  TEXT   NOT NULL,
    version      BIGINT NOT NULL,
    name         TEXT   NOT NULL,
    document     TEXT   NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

-- One row per thread: the workflow's state variables and any run paused for a user's approval. Shared by
-- every server, so an approval asked for by one server is answered on whichever gets the next request.
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
