package dev.parley.store.jdbc;

import dev.parley.store.StoreException;
import dev.parley.store.WorkflowStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link WorkflowStore} on the chat store's database and transactions. Run state lives in the database
 * rather than in a server's memory, so a run paused for the user's approval resumes after a restart, and on
 * PostgreSQL on any other server.
 */
final class JdbcWorkflowStore implements WorkflowStore {
    private static final String VERSION_COLUMNS = "SELECT workflow_id, version, name, document, published_at "
            + "FROM workflow_versions ";
    private static final String TRACE_COLUMNS = "SELECT run_id, workflow_id, version, user_id, thread_id, started_at, "
            + "duration_micros, status, document FROM traces ";

    private static final String DRAFT_COLUMNS = "SELECT workflow_id, base_version, document, saved_at "
            + "FROM workflow_drafts ";

    private final Transactions tx;
    private final Dialect dialect;

    JdbcWorkflowStore(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.dialect = dialect;
    }

    @Override
    public Publication publish(String workflowId, String name, String document, PublishIf condition) {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(condition, "condition");
        String shownName = name == null ? "" : name;
        long at = Columns.micros(Instant.now(), "workflow " + workflowId);
        return tx.atomically(q -> {
            // Under the lock, the latest version cannot change until this transaction ends: the condition is
            // checked against what the insert will follow.
            dialect.lockVersions(q, workflowId);
            Optional<Version> latest = q.one(VERSION_COLUMNS + "WHERE workflow_id = ? ORDER BY version DESC LIMIT 1",
                    JdbcWorkflowStore::version, workflowId);
            boolean publish = switch (condition) {
                case ALWAYS -> true;
                case ABSENT -> latest.isEmpty();
                case CHANGED -> latest.isEmpty() || !latest.get().document().equals(document);
            };
            if (!publish) return new Publication(latest.orElseThrow(), false);
            int next = latest.map(v -> v.version() + 1).orElse(1);
            q.update("INSERT INTO workflow_versions (workflow_id, version, name, document, published_at) "
                    + "VALUES (?, ?, ?, ?, ?)", workflowId, next, shownName, document, at);
            return new Publication(new Version(workflowId, next, shownName, document, Columns.instant(at)), true);
        });
    }

    @Override
    public Optional<Version> latest(String workflowId) {
        return one(VERSION_COLUMNS + "WHERE workflow_id = ? ORDER BY version DESC LIMIT 1", JdbcWorkflowStore::version,
                workflowId);
    }

    @Override
    public Optional<Version> version(String workflowId, int version) {
        return one(VERSION_COLUMNS + "WHERE workflow_id = ? AND version = ?", JdbcWorkflowStore::version, workflowId,
                version);
    }

    /** {@inheritDoc} Ids sort by code point, whatever the database's collation. */
    @Override
    public List<Summary> list() {
        return list(dialect.latestVersions(),
                rs -> new Summary(rs.getString(1), rs.getString(2), rs.getInt(3), Columns.instant(rs.getLong(4))));
    }

    @Override
    public List<Version> versions(String workflowId) {
        return list(VERSION_COLUMNS + "WHERE workflow_id = ? ORDER BY version DESC", JdbcWorkflowStore::version,
                workflowId);
    }

    @Override
    public Optional<String> loadRunState(String userId, String threadId) {
        return one("SELECT state FROM run_state WHERE thread_id = ? AND user_id = ?", rs -> rs.getString(1),
                threadId, userId);
    }

    @Override
    public void saveRunState(String userId, String threadId, String state) {
        long at = Columns.micros(Instant.now(), "run state");
        tx.write(q -> {
            putState(q, userId, threadId, state, at);
            return null;
        });
    }

    @Override
    public void saveTrace(Trace t) {
        tx.write(tracePut(t));
    }

    @Override
    public void saveTraceBehind(Trace t) {
        tx.writeBehind(tracePut(t));
    }

    private Work<Void> tracePut(Trace t) {
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        return q -> {
            putTrace(q, t, started);
            return null;
        };
    }

    @Override
    public void saveRun(String userId, String threadId, String state, Trace t) {
        long at = Columns.micros(Instant.now(), "run state");
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        tx.atomically(q -> {
            putState(q, userId, threadId, state, at);
            putTrace(q, t, started);
            return null;
        });
    }

    private static void putState(Sql q, String userId, String threadId, String state, long at) throws SQLException {
        int n = q.update("INSERT INTO run_state (thread_id, user_id, state, updated_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (thread_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at "
                + "WHERE run_state.user_id = excluded.user_id", threadId, userId, state, at);
        if (n == 0) throw new StoreException("Thread " + threadId + " has run state of another user");
    }

    private static void putTrace(Sql q, Trace t, long started) throws SQLException {
        q.update("INSERT INTO traces (run_id, workflow_id, version, user_id, thread_id, started_at, "
                        + "duration_micros, status, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (run_id) DO UPDATE SET duration_micros = excluded.duration_micros, "
                        + "status = excluded.status, document = excluded.document",
                t.runId(), t.workflowId(), t.version(), t.userId(), t.threadId(), started, t.durationMicros(),
                t.status(), t.document());
    }

    @Override
    public Optional<Trace> loadTrace(String runId) {
        return one(TRACE_COLUMNS + "WHERE run_id = ?", JdbcWorkflowStore::trace, runId);
    }

    @Override
    public List<Trace> runningTraces() {
        return list(TRACE_COLUMNS + "WHERE status = 'running' ORDER BY started_at", JdbcWorkflowStore::trace);
    }

    @Override
    public List<Trace> recentTraces(String workflowId, int limit) {
        return list(TRACE_COLUMNS + "WHERE workflow_id = ? ORDER BY started_at DESC LIMIT ?", JdbcWorkflowStore::trace,
                workflowId, Math.max(1, Math.min(limit, 1000)));
    }

    @Override
    public int deleteTracesBefore(Instant cutoff) {
        long before = Columns.micros(cutoff, "cutoff");
        // Workflow by workflow, along traces_by_workflow (workflow_id, started_at): an index on started_at alone
        // cost every run a B-tree page in its commit (about 3 % of a streamed turn) for a delete that runs hourly.
        return tx.write(q -> {
            int deleted = 0;
            for (String workflowId : q.list(WORKFLOWS_WITH_TRACES, rs -> rs.getString(1))) {
                deleted += q.update("DELETE FROM traces WHERE workflow_id = ? AND started_at < ? AND status <> 'paused'",
                        workflowId, before);
            }
            return deleted;
        });
    }

    /** The distinct workflow ids of the traces, one index seek each rather than a walk of every trace. */
    private static final String WORKFLOWS_WITH_TRACES = "WITH RECURSIVE ids (id) AS ("
            + "SELECT MIN(workflow_id) FROM traces "
            + "UNION ALL SELECT (SELECT MIN(workflow_id) FROM traces WHERE workflow_id > ids.id) FROM ids "
            + "WHERE ids.id IS NOT NULL) SELECT id FROM ids WHERE id IS NOT NULL";

    @Override
    public Draft saveDraft(String workflowId, int baseVersion, String document) {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(document, "document");
        long at = Columns.micros(Instant.now(), "draft of " + workflowId);
        tx.write(q -> q.update("INSERT INTO workflow_drafts (workflow_id, base_version, document, saved_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (workflow_id) DO UPDATE SET base_version = excluded.base_version, "
                + "document = excluded.document, saved_at = excluded.saved_at", workflowId, baseVersion, document, at));
        return new Draft(workflowId, baseVersion, document, Columns.instant(at));
    }

    @Override
    public Optional<Draft> draft(String workflowId) {
        return one(DRAFT_COLUMNS + "WHERE workflow_id = ?", JdbcWorkflowStore::draft, workflowId);
    }

    @Override
    public List<Draft> drafts() {
        return list(DRAFT_COLUMNS + "ORDER BY workflow_id", JdbcWorkflowStore::draft);
    }

    @Override
    public boolean deleteDraft(String workflowId) {
        return tx.write(q -> q.update("DELETE FROM workflow_drafts WHERE workflow_id = ?", workflowId)) > 0;
    }

    private static Draft draft(ResultSet rs) throws SQLException {
        return new Draft(rs.getString(1), rs.getInt(2), rs.getString(3), Columns.instant(rs.getLong(4)));
    }

    private <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) {
        return tx.read(q -> q.one(sql, mapper, args));
    }

    private <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) {
        return tx.read(q -> q.list(sql, mapper, args));
    }

    private static Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), Columns.instant(rs.getLong(5)));
    }

    private static Trace trace(ResultSet rs) throws SQLException {
        return new Trace(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                Columns.instant(rs.getLong(6)), rs.getLong(7), rs.getString(8), rs.getString(9));
    }
}
