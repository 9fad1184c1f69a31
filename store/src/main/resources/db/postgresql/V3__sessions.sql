-- Cancelled client-secret sessions, as db/migration/V3__sessions.sql. Rows go once the secret has expired.
CREATE TABLE revoked_sessions (
    session_id  TEXT   NOT NULL PRIMARY KEY,
    revoked_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX revoked_sessions_revoked_at ON revoked_sessions (revoked_at);
