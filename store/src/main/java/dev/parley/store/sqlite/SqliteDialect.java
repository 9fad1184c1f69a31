package dev.parley.store.sqlite;

import dev.parley.store.jdbc.Dialect;
import dev.parley.store.jdbc.Ownership;
import dev.parley.store.jdbc.Positions;
import dev.parley.store.jdbc.Sql;
import java.sql.SQLException;
import java.util.List;

/** SQLite's part of the shared statements: the writer numbers rows, and deletes are spelt out. */
final class SqliteDialect implements Dialect {
    private static final List<String> DELETE_THREAD = List.of(
            "DELETE FROM feedback WHERE thread_id = ? AND user_id = ?",
            "DELETE FROM items WHERE thread_id = ? AND user_id = ?",
            "DELETE FROM threads WHERE id = ? AND user_id = ?");

    private final Positions positions;

    SqliteDialect(GroupCommitWriter writer) {
        // Statements that take a position run as writer operations, on the writer's thread.
        this.positions = Positions.counted(writer::nextSeq);
    }

    @Override
    public Positions positions() {
        return positions;
    }

    @Override
    public void deleteThread(Sql sql, String userId, String threadId) throws SQLException {
        Ownership.requireThread(sql, userId, threadId);
        // Explicit deletes rather than ON DELETE CASCADE, which SQLite honours only on connections that
        // enabled foreign keys; a failure after the first delete rolls back the whole batch (see
        // GroupCommitWriter), so the thread is never left half deleted.
        for (String delete : DELETE_THREAD) sql.update(delete, threadId, userId);
    }

    @Override
    public void deleteItems(Sql sql, String userId, String threadId, List<String> itemIds) throws SQLException {
        // One cached statement per id rather than a variable-length IN list, which would prepare (and
        // cache) a new statement for every list length.
        for (String id : itemIds) {
            sql.update("DELETE FROM items WHERE thread_id = ? AND id = ? AND user_id = ?", threadId, id, userId);
        }
    }

    @Override
    public void lockVersions(Sql sql, String workflowId) {
        // Nothing to lock: numbering happens on the single writer thread, so two publishes of one id can never
        // take the same number (and the primary key would refuse it anyway).
    }

    @Override
    public String latestVersions() {
        // SQLite compares text by code point (the BINARY collation) already.
        return "SELECT v.workflow_id, v.name, v.version, v.published_at FROM workflow_versions v "
                + "JOIN (SELECT workflow_id, MAX(version) AS latest FROM workflow_versions GROUP BY workflow_id) m "
                + "ON v.workflow_id = m.workflow_id AND v.version = m.latest ORDER BY v.workflow_id";
    }
}
