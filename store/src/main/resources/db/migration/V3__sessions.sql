-- Cancelled client-secret sessions. Times are microseconds since the epoch; rows go once the secret has expired.
CREATE TABLE revoked_sessions (
    session_id  TEXT    NOT NULL PRIMARY KEY,
    revoked_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX revoked_sessions_revoked_at ON revoked_sessions (revoked_at);
