package dev.parley.store.postgres;

import dev.parley.store.SessionStore;
import dev.parley.store.jdbc.Columns;
import java.time.Instant;
import java.util.List;

/** {@link SessionStore} on the chat store's database, shared by every server. */
final class PostgresSessionStore implements SessionStore {
    private final Database db;
    private final Runnable checkOpen;

    PostgresSessionStore(Database db, Runnable checkOpen) {
        this.db = db;
        this.checkOpen = checkOpen;
    }

    @Override
    public void revoke(String sessionId, Instant expiresAt) {
        checkOpen.run();
        long now = Columns.micros(Instant.now(), "revocation");
        long expires = Columns.micros(expiresAt, "session " + sessionId);
        db.transaction(c -> {
            Database.update(c, "DELETE FROM revoked_sessions WHERE expires_at < ?", now);
            Database.update(c, "INSERT INTO revoked_sessions (session_id, revoked_at, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (session_id) DO NOTHING", sessionId, now, expires);
            return null;
        });
    }

    @Override
    public List<String> revokedSince(Instant since) {
        checkOpen.run();
        long from = Columns.micros(since, "since");
        long now = Columns.micros(Instant.now(), "now");
        return db.call(c -> Database.list(c, "SELECT session_id FROM revoked_sessions WHERE revoked_at >= ? AND expires_at >= ?",
                rs -> rs.getString(1), from, now));
    }
}
