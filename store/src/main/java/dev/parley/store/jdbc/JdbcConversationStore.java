package dev.parley.store.jdbc;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.ConversationStore;
import dev.parley.store.Feedback;
import dev.parley.store.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ConversationStore} on the chat store's database. The list walks {@code threads_by_time} newest first and
 * asks each thread of the page for its newest item ({@code items_by_thread}) and its negative feedback
 * ({@code feedback_by_kind}); the filter is an {@code EXISTS} on that same index, so a page costs a bounded number
 * of index probes however many threads there are.
 */
final class JdbcConversationStore implements ConversationStore {
    private static final String NEGATIVE = "'negative'";
    private static final String SUMMARY = "SELECT t.id, t.user_id, t.json, "
            + "(SELECT MAX(i.created_at) FROM items i WHERE i.thread_id = t.id), "
            + "(SELECT COUNT(*) FROM feedback f WHERE f.kind = " + NEGATIVE + " AND f.thread_id = t.id) "
            + "FROM threads t";
    private static final String HAS_NEGATIVE =
            "EXISTS (SELECT 1 FROM feedback f WHERE f.kind = " + NEGATIVE + " AND f.thread_id = t.id)";
    /** Indexed by [after present][negative only]. */
    private static final String[][] PAGES = new String[2][2];

    static {
        for (int a = 0; a < 2; a++) {
            for (int n = 0; n < 2; n++) {
                List<String> where = new ArrayList<>();
                if (a == 1) where.add("(t.created_at, t.seq) < (?, ?)");
                if (n == 1) where.add(HAS_NEGATIVE);
                PAGES[a][n] = SUMMARY + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                        + " ORDER BY t.created_at DESC, t.seq DESC LIMIT ?";
            }
        }
    }

    private final Transactions tx;

    JdbcConversationStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public ThreadPage threads(int limit, String after, boolean negativeOnly) {
        int size = Math.clamp(limit, 1, MAX_LIMIT);
        List<ThreadSummary> rows = tx.read(q -> {
            List<Object> args = new ArrayList<>();
            if (after != null) {
                long[] cursor = q.one("SELECT created_at, seq FROM threads WHERE id = ?", PageQuery::cursor, after)
                        .orElseThrow(() -> NotFoundException.thread(after));
                args.add(cursor[0]);
                args.add(cursor[1]);
            }
            // One row more than the page says whether there is a next one.
            args.add(size + 1);
            return q.list(PAGES[after == null ? 0 : 1][negativeOnly ? 1 : 0], JdbcConversationStore::summary,
                    args.toArray());
        });
        boolean hasMore = rows.size() > size;
        List<ThreadSummary> page = hasMore ? rows.subList(0, size) : rows;
        return new ThreadPage(page, hasMore, hasMore ? page.getLast().threadId() : null);
    }

    @Override
    public Optional<Conversation> conversation(String threadId, int maxItems) {
        record Rows(ThreadSummary thread, List<String> items, List<Feedback> feedback, List<Run> runs) {}
        Optional<Rows> read = tx.read(q -> {
            Optional<ThreadSummary> thread = q.one(SUMMARY + " WHERE t.id = ?", JdbcConversationStore::summary, threadId);
            if (thread.isEmpty()) return Optional.empty();
            List<String> items = q.list("SELECT json FROM items WHERE thread_id = ? ORDER BY created_at, seq LIMIT ?",
                    rs -> rs.getString(1), threadId, Math.max(0, maxItems));
            List<Feedback> feedback = q.list("SELECT item_ids, kind, created_at FROM feedback WHERE thread_id = ? "
                    + "ORDER BY created_at, id", rs -> new Feedback(threadId, Columns.idList(rs.getString(1)),
                    rs.getString(2), Columns.instant(rs.getLong(3))), threadId);
            List<Run> runs = q.list("SELECT run_id, started_at FROM traces WHERE thread_id = ? ORDER BY started_at",
                    rs -> new Run(rs.getString(1), rs.getLong(2)), threadId);
            return Optional.of(new Rows(thread.get(), items, feedback, runs));
        });
        return read.map(r -> {
            List<ThreadItem> items = r.items().stream().map(j -> ChatKitJson.readStorage(j, ThreadItem.class)).toList();
            return new Conversation(r.thread(), items, r.feedback(), link(items, r.runs()));
        });
    }

    private record Run(String runId, long startedAt) {}

    /** Each assistant message to the run whose trace started last at or before it (runs sorted by start). */
    private static Map<String, String> link(List<ThreadItem> items, List<Run> runs) {
        Map<String, String> out = new HashMap<>();
        for (ThreadItem item : items) {
            if (!(item instanceof ThreadItem.AssistantMessage m) || m.createdAt() == null) continue;
            long at = Columns.micros(m.createdAt(), "item " + m.id());
            String chosen = null;
            for (Run run : runs) {
                if (run.startedAt() > at) break;
                chosen = run.runId();
            }
            if (chosen != null) out.put(m.id(), chosen);
        }
        return out;
    }

    private static ThreadSummary summary(ResultSet rs) throws SQLException {
        ThreadMetadata t = ChatKitJson.readStorage(rs.getString(3), ThreadMetadata.class);
        long last = rs.getLong(4);
        Instant lastItemAt = rs.wasNull() ? null : Columns.instant(last);
        return new ThreadSummary(rs.getString(1), rs.getString(2), t.title(), t.createdAt(), lastItemAt, rs.getInt(5));
    }
}
