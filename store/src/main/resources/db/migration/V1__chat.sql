-- Parley chat store, schema version 1.
--
-- Written to run unchanged on SQLite and PostgreSQL: only TEXT and BIGINT columns, no AUTOINCREMENT,
-- no WITHOUT ROWID, no SQLite type affinity tricks. Records are kept as JSON text in the storage form of
-- ChatKitJson (server-only metadata included); the columns beside it are what queries filter and sort on.
--
-- created_at: microseconds since the Unix epoch, UTC, so that integer order is time order.
-- seq:        a store-wide insertion counter supplied by the application. Lists sort by (created_at, seq),
--             a total order, so records created in the same microsecond still page without duplicates or
--             gaps, and a saved-over record keeps its place.
-- user_id:    the owner; every query filters on it.

CREATE TABLE threads (
    id         TEXT   NOT NULL PRIMARY KEY,
    user_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    json       TEXT   NOT NULL
);

CREATE INDEX threads_by_user ON threads (user_id, created_at, seq);

-- An item id is unique within its thread. Every lookup names the thread anyway, and keying on
-- (thread_id, id) keeps a thread's items together in the index instead of scattered by random id.
CREATE TABLE items (
    id         TEXT   NOT NULL,
    thread_id  TEXT   NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    type       TEXT   NOT NULL,
    json       TEXT   NOT NULL,
    PRIMARY KEY (thread_id, id)
);

CREATE INDEX items_by_thread ON items (thread_id, created_at, seq);

-- thread_id has no foreign key: an attachment is uploaded before it joins a thread, and its metadata
-- outlives the thread (see SqliteStore.deleteThread) so its bytes can still be found and removed.
CREATE TABLE attachments (
    id        TEXT NOT NULL PRIMARY KEY,
    user_id   TEXT NOT NULL,
    thread_id TEXT,
    json      TEXT NOT NULL
);

-- One row per items.feedback call; item_ids is a JSON array of item ids.
CREATE TABLE feedback (
    id         BIGINT NOT NULL PRIMARY KEY,
    thread_id  TEXT   NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id    TEXT   NOT NULL,
    item_ids   TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX feedback_by_thread ON feedback (thread_id, created_at, id);
