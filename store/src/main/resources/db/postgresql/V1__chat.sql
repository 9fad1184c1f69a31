-- Parley chat store on PostgreSQL, schema version 1. The same tables as the SQLite schema
-- (db/migration/V1__chat.sql), so both stores keep one data model, with what PostgreSQL does better:
--
-- seq:        drawn from one sequence, so servers sharing the database never hand out the same number.
--             Lists sort by (created_at, seq); seq only breaks ties between equal timestamps, so gaps
--             (a rolled-back insert still uses up its number) do not matter.
-- created_at: microseconds since the Unix epoch, UTC, as on SQLite: ChatKit carries microseconds, and an
--             integer sorts and compares exactly, with no time zone or timestamp-precision settings involved.
-- json:       the record in ChatKitJson's storage form, as TEXT rather than JSONB: JSONB would reorder keys
--             and cost a parse on every write, and no query looks inside it.
-- Foreign keys cascade (PostgreSQL always enforces them), so deleting a thread is one statement.

CREATE SEQUENCE parley_seq;

CREATE TABLE threads (
    id         TEXT   NOT NULL PRIMARY KEY,
    user_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL DEFAULT nextval('parley_seq'),
    json       TEXT   NOT NULL
);

CREATE INDEX threads_by_user ON threads (user_id, created_at, seq);

CREATE TABLE items (
    id         TEXT   NOT NULL,
    thread_id  TEXT   NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL DEFAULT nextval('parley_seq'),
    type       TEXT   NOT NULL,
    json       TEXT   NOT NULL,
    PRIMARY KEY (thread_id, id)
);

CREATE INDEX items_by_thread ON items (thread_id, created_at, seq);

-- No foreign key on thread_id: an attachment is uploaded before it joins a thread, and its metadata
-- outlives the thread so that its bytes can still be found and removed.
CREATE TABLE attachments (
    id        TEXT NOT NULL PRIMARY KEY,
    user_id   TEXT NOT NULL,
    thread_id TEXT,
    json      TEXT NOT NULL
);

CREATE TABLE feedback (
    id         BIGINT NOT NULL PRIMARY KEY DEFAULT nextval('parley_seq'),
    thread_id  TEXT   NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id    TEXT   NOT NULL,
    item_ids   TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX feedback_by_thread ON feedback (thread_id, created_at, id);
