package dev.parley.store.jdbc;

import dev.parley.store.SessionStore;
import java.time.Instant;
import java.util.List;

/** {@link SessionStore} on the chat store's database and transactions, so every server sharing it agrees. */
final class JdbcSessionStore implements SessionStore {
    private final Transactions tx;

    JdbcSessionStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void revoke(String sessionId, Instant expiresAt) {
        long now = Columns.micros(Instant.now(), "revocation");
        long expires = Columns.micros(expiresAt, "session " + sessionId);
        tx.atomically(q -> {
            q.update("DELETE FROM revoked_sessions WHERE expires_at < ?", now);
            q.update("INSERT INTO revoked_sessions (session_id, revoked_at, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (session_id) DO NOTHING", sessionId, now, expires);
            return null;
        });
    }

    @Override
    public List<String> revokedSince(Instant since) {
        long from = Columns.micros(since, "since");
        long now = Columns.micros(Instant.now(), "now");
        return tx.read(q -> q.list("SELECT session_id FROM revoked_sessions WHERE revoked_at >= ? AND expires_at >= ?",
                rs -> rs.getString(1), from, now));
    }
}
