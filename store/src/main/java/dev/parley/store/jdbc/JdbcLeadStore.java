package dev.parley.store.jdbc;

import dev.parley.store.LeadStore;
import java.util.List;
import java.util.Locale;

/** {@link LeadStore} on the chat store's database, so every server sharing it sees every lead. */
final class JdbcLeadStore implements LeadStore {
    private final Transactions tx;

    JdbcLeadStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean add(Lead lead) {
        long at = Columns.micros(lead.createdAt(), "lead");
        return tx.atomically(q -> q.update("INSERT INTO leads (user_id, thread_id, kind, contact, message, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, contact) DO NOTHING", lead.userId(), lead.threadId(),
                lead.kind().name().toLowerCase(Locale.ROOT), lead.contact(), lead.message(), at)) == 1;
    }

    @Override
    public List<Lead> recent(int limit) {
        int capped = Math.clamp(limit, 1, MAX_LIMIT);
        return tx.read(q -> q.list("SELECT user_id, thread_id, kind, contact, message, created_at FROM leads "
                        + "ORDER BY created_at DESC, contact LIMIT ?",
                rs -> new Lead(rs.getString(1), rs.getString(2), Kind.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                        rs.getString(4), rs.getString(5), Columns.instant(rs.getLong(6))), capped));
    }
}
