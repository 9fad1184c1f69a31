package dev.parley.store.jdbc;

import dev.parley.store.EvalStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link EvalStore} on the chat store's database and transactions; the same statements on SQLite and PostgreSQL. */
final class JdbcEvalStore implements EvalStore {
    private static final int MAX_RUNS = 1000;
    private static final String RUN_HEAD = "SELECT eval_id, workflow_id, version, dataset_name, started_at, "
            + "duration_micros, pass_rate, case_count, ";
    private static final String PUT_DATASET = "INSERT INTO eval_datasets (workflow_id, name, cases, case_count, "
            + "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (workflow_id, name) ";

    private final Transactions tx;

    JdbcEvalStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void saveDataset(Dataset d) {
        tx.write(q -> q.update(PUT_DATASET + "DO UPDATE SET cases = excluded.cases, case_count = excluded.case_count, "
                + "updated_at = excluded.updated_at", datasetArgs(d)));
    }

    @Override
    public boolean saveDatasetIfAbsent(Dataset d) {
        return tx.write(q -> q.update(PUT_DATASET + "DO NOTHING", datasetArgs(d))) > 0;
    }

    private static Object[] datasetArgs(Dataset d) {
        Objects.requireNonNull(d.workflowId(), "workflowId");
        Objects.requireNonNull(d.name(), "name");
        return new Object[] {d.workflowId(), d.name(), d.cases(), d.caseCount(),
                Columns.micros(d.updatedAt(), "dataset " + d.name())};
    }

    @Override
    public Optional<Dataset> dataset(String workflowId, String name) {
        return tx.read(q -> q.one("SELECT workflow_id, name, cases, case_count, updated_at FROM eval_datasets "
                + "WHERE workflow_id = ? AND name = ?", JdbcEvalStore::dataset, workflowId, name));
    }

    @Override
    public List<Dataset> datasets(String workflowId) {
        return tx.read(q -> q.list("SELECT workflow_id, name, '', case_count, updated_at FROM eval_datasets "
                + "WHERE workflow_id = ? ORDER BY name", JdbcEvalStore::dataset, workflowId));
    }

    @Override
    public void saveRun(Run r) {
        tx.write(q -> q.update("INSERT INTO eval_runs (eval_id, workflow_id, version, dataset_name, started_at, "
                        + "duration_micros, pass_rate, case_count, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (eval_id) DO UPDATE SET duration_micros = excluded.duration_micros, "
                        + "pass_rate = excluded.pass_rate, case_count = excluded.case_count, document = excluded.document",
                r.evalId(), r.workflowId(), r.version(), r.datasetName(), Columns.micros(r.startedAt(), "eval " + r.evalId()),
                r.durationMicros(), r.passRate(), r.caseCount(), r.document()));
    }

    @Override
    public Optional<Run> run(String evalId) {
        return tx.read(q -> q.one(RUN_HEAD + "document FROM eval_runs WHERE eval_id = ?", JdbcEvalStore::run, evalId));
    }

    @Override
    public List<Run> runs(String workflowId, int limit) {
        int n = Math.clamp(limit, 1, MAX_RUNS);
        // The eval id breaks ties between runs started in the same microsecond, so the order is stable.
        if (workflowId == null) {
            return tx.read(q -> q.list(RUN_HEAD + "'' FROM eval_runs ORDER BY started_at DESC, eval_id DESC LIMIT ?",
                    JdbcEvalStore::run, n));
        }
        return tx.read(q -> q.list(RUN_HEAD + "'' FROM eval_runs WHERE workflow_id = ? "
                + "ORDER BY started_at DESC, eval_id DESC LIMIT ?", JdbcEvalStore::run, workflowId, n));
    }

    @Override
    public void saveOverride(GateOverride o) {
        tx.write(q -> q.update("INSERT INTO eval_overrides (workflow_id, version, eval_id, pass_rate, min_pass_rate, "
                        + "reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)", o.workflowId(), o.version(), o.evalId(), o.passRate(),
                o.minPassRate(), o.reason() == null ? "" : o.reason(), Columns.micros(o.at(), "override")));
    }

    @Override
    public List<GateOverride> overrides(String workflowId) {
        return tx.read(q -> q.list("SELECT workflow_id, version, eval_id, pass_rate, min_pass_rate, reason, at "
                + "FROM eval_overrides WHERE workflow_id = ? ORDER BY version DESC", rs -> new GateOverride(rs.getString(1),
                rs.getInt(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5), rs.getString(6),
                Columns.instant(rs.getLong(7))), workflowId));
    }

    private static Dataset dataset(ResultSet rs) throws SQLException {
        return new Dataset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), Columns.instant(rs.getLong(5)));
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), Columns.instant(rs.getLong(5)),
                rs.getLong(6), rs.getDouble(7), rs.getInt(8), rs.getString(9));
    }
}
