package dev.parley.store.jdbc;

import dev.parley.store.NotFoundException;
import java.sql.SQLException;
import java.util.List;

/**
 * What the shared store code leaves to each database: where list positions come from, and the few
 * operations each database does its own way. Everything else (the tables, the user scoping, the row formats)
 * is the same on both.
 */
public interface Dialect {
    Positions positions();

    /**
     * Deletes the user's thread with its items and feedback; the shared code deletes the thread's attachment
     * metadata after it, in the same transaction.
     *
     * @throws NotFoundException if the user has no such thread, before anything is deleted
     */
    void deleteThread(Sql sql, String userId, String threadId) throws SQLException;

    /** Deletes those of the thread's items that are named; the caller has checked the thread is the user's. */
    void deleteItems(Sql sql, String userId, String threadId, List<String> itemIds) throws SQLException;

    /**
     * Makes other publishers of the workflow wait until this transaction ends, so that the next version
     * number read after this call stays free until it is inserted.
     */
    void lockVersions(Sql sql, String workflowId) throws SQLException;

    /**
     * {@return a query for the latest version of every workflow, as {@code workflow_id, name, version,
     * published_at}, ordered by workflow id in code-point order}
     */
    String latestVersions();
}
