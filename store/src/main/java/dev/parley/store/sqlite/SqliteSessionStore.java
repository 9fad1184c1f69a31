package dev.parley.store.sqlite;

import dev.parley.store.SessionStore;
import dev.parley.store.jdbc.Columns;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/** {@link SessionStore} on the chat store's file, writer and readers. */
final class SqliteSessionStore implements SessionStore {
    private final GroupCommitWriter writer;
    private final ReadPool reads;

    SqliteSessionStore(GroupCommitWriter writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    @Override
    public void revoke(String sessionId, Instant expiresAt) {
        long now = Columns.micros(Instant.now(), "revocation");
        long expires = Columns.micros(expiresAt, "session " + sessionId);
        writer.write(tx -> {
            PreparedStatement purge = tx.prepare("DELETE FROM revoked_sessions WHERE expires_at < ?");
            SqliteStore.bind(purge, now);
            purge.executeUpdate();
            PreparedStatement insert = tx.prepare("INSERT INTO revoked_sessions (session_id, revoked_at, expires_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT (session_id) DO NOTHING");
            SqliteStore.bind(insert, sessionId, now, expires);
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public List<String> revokedSince(Instant since) {
        long from = Columns.micros(since, "since");
        long now = Columns.micros(Instant.now(), "now");
        return reads.read(r -> r.list("SELECT session_id FROM revoked_sessions WHERE revoked_at >= ? AND expires_at >= ?",
                rs -> rs.getString(1), from, now));
    }
}
