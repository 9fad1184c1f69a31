package dev.parley.store.sqlite;

import dev.parley.store.jdbc.Columns;
import dev.parley.store.StoreException;
import dev.parley.store.WorkflowStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link WorkflowStore} on the same SQLite file as the chat store, sharing its writer (so run state and
 * traces saved during a turn ride in the same group commits as the turn's items) and its read pool.
 */
final class SqliteWorkflowStore implements WorkflowStore {
    private final GroupCommitWriter writer;
    private final ReadPool reads;

    SqliteWorkflowStore(GroupCommitWriter writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    @Override
    public Version publish(String workflowId, String name, String document) {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(document, "document");
        Instant now = Instant.now();
        long at = Columns.micros(now, "workflow " + workflowId);
        // Numbering happens on the single writer thread, so two publishes of one id can never take the same
        // number; the primary key would refuse it anyway.
        int version = writer.write(tx -> {
            PreparedStatement max = tx.prepare(
                    "SELECT COALESCE(MAX(version), 0) FROM workflow_versions WHERE workflow_id = ?");
            SqliteStore.bind(max, workflowId);
            int next;
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                next = rs.getInt(1) + 1;
            }
            PreparedStatement insert = tx.prepare("INSERT INTO workflow_versions "
                    + "(workflow_id, version, name, document, published_at) VALUES (?, ?, ?, ?, ?)");
            SqliteStore.bind(insert, workflowId, next, name == null ? "" : name, document, at);
            insert.executeUpdate();
            return next;
        });
        return new Version(workflowId, version, name == null ? "" : name, document, Columns.instant(at));
    }

    @Override
    public Optional<Version> latest(String workflowId) {
        return reads.read(r -> r.one("SELECT workflow_id, version, name, document, published_at FROM workflow_versions "
                + "WHERE workflow_id = ? ORDER BY version DESC LIMIT 1", SqliteWorkflowStore::version, workflowId));
    }

    @Override
    public Optional<Version> version(String workflowId, int version) {
        return reads.read(r -> r.one("SELECT workflow_id, version, name, document, published_at FROM workflow_versions "
                + "WHERE workflow_id = ? AND version = ?", SqliteWorkflowStore::version, workflowId, version));
    }

    @Override
    public List<Summary> list() {
        return reads.read(r -> r.list("SELECT v.workflow_id, v.name, v.version, v.published_at FROM workflow_versions v "
                + "JOIN (SELECT workflow_id, MAX(version) AS latest FROM workflow_versions GROUP BY workflow_id) m "
                + "ON v.workflow_id = m.workflow_id AND v.version = m.latest ORDER BY v.workflow_id",
                rs -> new Summary(rs.getString(1), rs.getString(2), rs.getInt(3), Columns.instant(rs.getLong(4)))));
    }

    @Override
    public List<Version> versions(String workflowId) {
        return reads.read(r -> r.list("SELECT workflow_id, version, name, document, published_at FROM workflow_versions "
                + "WHERE workflow_id = ? ORDER BY version DESC", SqliteWorkflowStore::version, workflowId));
    }

    @Override
    public Optional<String> loadRunState(String userId, String threadId) {
        return reads.read(r -> r.one("SELECT state FROM run_state WHERE thread_id = ? AND user_id = ?",
                rs -> rs.getString(1), threadId, userId));
    }

    @Override
    public void saveRunState(String userId, String threadId, String state) {
        long at = Columns.micros(Instant.now(), "run state");
        writer.write(tx -> {
            putState(tx, userId, threadId, state, at);
            return null;
        });
    }

    @Override
    public void saveTrace(Trace t) {
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        writer.write(tx -> {
            putTrace(tx, t, started);
            return null;
        });
    }

    @Override
    public void saveRun(String userId, String threadId, String state, Trace t) {
        long at = Columns.micros(Instant.now(), "run state");
        long started = Columns.micros(t.startedAt(), "trace " + t.runId());
        writer.write(tx -> {
            putState(tx, userId, threadId, state, at);
            putTrace(tx, t, started);
            return null;
        });
    }

    private static void putState(GroupCommitWriter.Tx tx, String userId, String threadId, String state, long at)
            throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO run_state (thread_id, user_id, state, updated_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (thread_id) DO UPDATE SET state = excluded.state, "
                + "updated_at = excluded.updated_at WHERE run_state.user_id = excluded.user_id");
        SqliteStore.bind(ps, threadId, userId, state, at);
        if (ps.executeUpdate() == 0) {
            throw new StoreException("Thread " + threadId + " has run state of another user");
        }
    }

    private static void putTrace(GroupCommitWriter.Tx tx, Trace t, long started) throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO traces (run_id, workflow_id, version, user_id, thread_id, "
                + "started_at, duration_micros, status, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (run_id) DO UPDATE SET duration_micros = excluded.duration_micros, "
                + "status = excluded.status, document = excluded.document");
        SqliteStore.bind(ps, t.runId(), t.workflowId(), t.version(), t.userId(), t.threadId(), started,
                t.durationMicros(), t.status(), t.document());
        ps.executeUpdate();
    }

    @Override
    public Optional<Trace> loadTrace(String runId) {
        return reads.read(r -> r.one(TRACE_COLUMNS + "WHERE run_id = ?", SqliteWorkflowStore::trace, runId));
    }

    @Override
    public List<Trace> recentTraces(String workflowId, int limit) {
        return reads.read(r -> r.list(TRACE_COLUMNS + "WHERE workflow_id = ? ORDER BY started_at DESC LIMIT ?",
                SqliteWorkflowStore::trace, workflowId, Math.max(1, Math.min(limit, 1000))));
    }

    @Override
    public int deleteTracesBefore(Instant cutoff) {
        long before = Columns.micros(cutoff, "cutoff");
        return writer.write(tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM traces WHERE started_at < ? AND status <> 'paused'");
            SqliteStore.bind(ps, before);
            return ps.executeUpdate();
        });
    }

    private static final String TRACE_COLUMNS = "SELECT run_id, workflow_id, version, user_id, thread_id, started_at, "
            + "duration_micros, status, document FROM traces ";

    private static Version version(ResultSet rs) throws SQLException {
        return new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                Columns.instant(rs.getLong(5)));
    }

    private static Trace trace(ResultSet rs) throws SQLException {
        return new Trace(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                Columns.instant(rs.getLong(6)), rs.getLong(7), rs.getString(8), rs.getString(9));
    }
}
