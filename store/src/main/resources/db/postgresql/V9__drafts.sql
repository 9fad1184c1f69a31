-- Console drafts: one unpublished, possibly invalid edit per workflow, with the version it started from.
CREATE TABLE workflow_drafts (
    workflow_id  TEXT   NOT NULL PRIMARY KEY,
    base_version BIGINT NOT NULL,
    document     TEXT   NOT NULL,
    saved_at     BIGINT NOT NULL
);
