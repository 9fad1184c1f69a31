package dev.parley.store.postgres;

import dev.parley.store.jdbc.Columns;
import dev.parley.store.StoreException;
import dev.parley.store.WorkflowStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link WorkflowStore} on the chat store's database and pool. Run state lives here rather than in a server's
 * memory, so a run paused for the user's approval on one server resumes on any other.
 */
final class PostgresWorkflowStore implements WorkflowStore {
    private static final String VERSION_COLUMNS = "SELECT workflow_id, version, name, document, published_at "
            + "FROM workflow_versions ";
    private static final String TRACE_COLUMNS = "SELECT run_id, workflow_id, version, user_id, thread_id, started_at, "
            + "duration_micros, status, document FROM traces ";

    private final Database db;
    private final Runnable checkOpen;

    PostgresWorkflowStore(Database db, Runnable checkOpen) {
        this.db = db;
        this.checkOpen = checkOpen;
    }

    @Override
    public Version publish(String workflowId, String name, String document) {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(document, "document");
        String shownName = name == null ? "" : name;
        long at = Columns.micros(Instant.now(), "workflow " + workflowId);
        int version = transaction(c -> {
            // Publishers of the same workflow, on any server, queue on this lock until the one ahead commits,
            // so MAX + 1 is always free; publishers of other workflows do not wait.
            try (var lock = Database.bind(c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"),
                    "parley.workflow_versions:" + workflowId); var rs = lock.executeQuery()) {
                rs.next();
            }
            int next = Database.one(c, "SELECT COALESCE(MAX(version), 0) + 1 FROM workflow_versions WHERE workflow_id = ?",
                    rs -> rs.getInt(1), workflowId).orElseThrow();
            Database.update(c, "INSERT INTO workflow_versions (workflow_id, version, name, document, published_at) "
                    + "VALUES (?, ?, ?, ?, ?)", workflowId, next, shownName, document, at);
            return next;
        });
        return new Version(workflowId, version, shownName, document, Columns.instant(at));
    }

    @Override
    public Optional<Version> latest(String workflowId) {
        return call(c -> Database.one(c, VERSION_COLUMNS + "WHERE workflow_id = ? ORDER BY version DESC LIMIT 1",
                PostgresWorkflowStore::version, workflowId));
    }

    @Override
    public Optional<Version> version(String workflowId, int version) {
        return call(c -> Database.one(c, VERSION_COLUMNS + "WHERE workflow_id = ? AND version = ?",
                PostgresWorkflowStore::version, workflowId, version));
    }

    /** {@inheritDoc} Ids sort by code point, as on SQLite, whatever the database's collation. */
    @Override
    public List<Summary> list() {
        return call(c -> Database.list(c, "SELECT DISTINCT ON (workflow_id COLLATE \"C\") workflow_id, name, version, "
                        + "published_at FROM workflow_versions ORDER BY workflow_id COLLATE \"C\", version DESC",
                rs -> new Summary(rs.getString(1), rs.getString(2), rs.getInt(3), Columns.instant(rs.getLong(4)))));
    }

    @Override
    public List<Version> versions(String workflowId) {
        return call(c -> Database.list(c, VERSION_COLUMNS + "WHERE workflow_id = ? ORDER BY version DESC",
                PostgresWorkflowStore::version, workflowId));
    }

    @Override
    public Optional<String> loadRunState(String userId, String threadId) {
        return call(c -> Database.one(c, "SELECT state FROM run_state WHERE thread_id = ? AND user_id = ?",
                rs -> rs.getString(1), threadId, userId));
    }

    @Override
    public void saveRunState(String userId, String threadId, String state) {
        long at = Columns.micros(Instant.now(), "run state");
        call(c -> {
            putState(c, userId, threadId, state, at);
            return null;
        });
    }

    @Override
    public void saveTrace(Trace t) {
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        call(c -> {
            putTrace(c, t, started);
            return null;
        });
    }

    @Override
    public void saveRun(String userId, String threadId, String state, Trace t) {
        long at = Columns.micros(Instant.now(), "run state");
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        transaction(c -> {
            putState(c, userId, threadId, state, at);
            putTrace(c, t, started);
            return null;
        });
    }

    private static void putState(Connection c, String userId, String threadId, String state, long at) throws SQLException {
        int n = Database.update(c, "INSERT INTO run_state (thread_id, user_id, state, updated_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (thread_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at "
                + "WHERE run_state.user_id = excluded.user_id", threadId, userId, state, at);
        if (n == 0) throw new StoreException("Thread " + threadId + " has run state of another user");
    }

    private static void putTrace(Connection c, Trace t, long started) throws SQLException {
        Database.update(c, "INSERT INTO traces (run_id, workflow_id, version, user_id, thread_id, started_at, "
                        + "duration_micros, status, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (run_id) DO UPDATE SET duration_micros = excluded.duration_micros, "
                        + "status = excluded.status, document = excluded.document",
                t.runId(), t.workflowId(), t.version(), t.userId(), t.threadId(), started, t.durationMicros(),
                t.status(), t.document());
    }

    @Override
    public Optional<Trace> loadTrace(String runId) {
        return call(c -> Database.one(c, TRACE_COLUMNS + "WHERE run_id = ?", PostgresWorkflowStore::trace, runId));
    }

    @Override
    public List<Trace> recentTraces(String workflowId, int limit) {
        return call(c -> Database.list(c, TRACE_COLUMNS + "WHERE workflow_id = ? ORDER BY started_at DESC LIMIT ?",
                PostgresWorkflowStore::trace, workflowId, Math.max(1, Math.min(limit, 1000))));
    }

    @Override
    public int deleteTracesBefore(Instant cutoff) {
        long before = Columns.micros(cutoff, "cutoff");
        return call(c -> Database.update(c, "DELETE FROM traces WHERE started_at < ? AND status <> 'paused'", before));
    }

    private <T> T call(Database.Work<T> work) {
        checkOpen.run();
        return db.call(work);
    }

    private <T> T transaction(Database.Work<T> work) {
        checkOpen.run();
        return db.transaction(work);
    }

    private static Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), Columns.instant(rs.getLong(5)));
    }

    private static Trace trace(ResultSet rs) throws SQLException {
        return new Trace(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                Columns.instant(rs.getLong(6)), rs.getLong(7), rs.getString(8), rs.getString(9));
    }
}
