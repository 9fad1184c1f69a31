package dev.parley.store.postgres;

import dev.parley.store.NotFoundException;
import dev.parley.store.jdbc.Dialect;
import dev.parley.store.jdbc.Positions;
import dev.parley.store.jdbc.Sql;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's part of the shared statements: positions come from one database-wide sequence (servers
 * sharing the database never hand out the same one), deletes cascade, and publishers on different servers
 * take turns through an advisory lock.
 */
final class PostgresDialect implements Dialect {
    private static final Positions POSITIONS = Positions.fromColumnDefault();

    @Override
    public Positions positions() {
        return POSITIONS;
    }

    /** {@inheritDoc} The foreign keys cascade to the items and feedback, in the same statement. */
    @Override
    public void deleteThread(Sql sql, String userId, String threadId) throws SQLException {
        if (sql.update("DELETE FROM threads WHERE id = ? AND user_id = ?", threadId, userId) == 0) {
            throw NotFoundException.thread(threadId);
        }
    }

    @Override
    public void deleteItems(Sql sql, String userId, String threadId, List<String> itemIds) throws SQLException {
        // One statement with an array parameter, whatever the number of ids.
        sql.update("DELETE FROM items WHERE thread_id = ? AND user_id = ? AND id = ANY (?)", threadId, userId,
                sql.array("text", itemIds.toArray(String[]::new)));
    }

    @Override
    public void lockVersions(Sql sql, String workflowId) throws SQLException {
        // Publishers of the same workflow, on any server, queue on this lock until the one ahead commits, so
        // MAX + 1 is always free; publishers of other workflows do not wait.
        sql.exists("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "parley.workflow_versions:" + workflowId);
    }

    @Override
    public String latestVersions() {
        // Ids sort by code point, as on SQLite, whatever the database's collation.
        return "SELECT DISTINCT ON (workflow_id COLLATE \"C\") workflow_id, name, version, published_at "
                + "FROM workflow_versions ORDER BY workflow_id COLLATE \"C\", version DESC";
    }
}
