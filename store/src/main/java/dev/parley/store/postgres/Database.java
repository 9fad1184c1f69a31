package dev.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * The connection pool and the two ways the store uses a connection: a single statement (or a few reads) in
 * autocommit mode, and a transaction that commits once. SQL failures leave here as {@link StoreException}s
 * that name the database but never its password.
 */
final class Database implements AutoCloseable {
    /** One unit of work on a pooled connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    // A deadlock or serialization failure means PostgreSQL rolled the transaction back and it is safe to run
    // again; with short transactions a retry almost always succeeds.
    private static final int ATTEMPTS = 3;
    private static final Pattern PASSWORD_PARAM = Pattern.compile("([?&])password=[^&]*", Pattern.CASE_INSENSITIVE);

    private final HikariDataSource pool;
    private final String name;

    private Database(HikariDataSource pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    /**
     * Opens a pool on the URL. The password is taken out of the URL and handed to the driver separately, so
     * that nothing which logs or reports the URL (Hikari, Flyway, our own messages) can show it.
     *
     * @throws StoreException if the URL is not a PostgreSQL JDBC URL or no connection can be made
     */
    static Database open(String url, int poolSize) {
        Properties parsed = url == null ? null : Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new StoreException("Not a PostgreSQL JDBC URL: " + redact(url)
                    + " (expected jdbc:postgresql://host:5432/database?user=…&password=…)");
        }
        String name = describe(parsed);
        var config = new HikariConfig();
        config.setPoolName("parley-postgres");
        config.setJdbcUrl(PASSWORD_PARAM.matcher(url).replaceAll("$1").replace("?&", "?"));
        String password = parsed.getProperty("password");
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        // A request that cannot get a connection within this fails with a clear error instead of hanging.
        config.setConnectionTimeout(10_000);
        // Without this, Hikari would hide a refused connection or a bad password behind a generic timeout.
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("ApplicationName", "parley");
        config.addDataSourceProperty("connectTimeout", "10");
        try {
            return new Database(new HikariDataSource(config), name);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to PostgreSQL at " + name + ": " + rootMessage(e), e);
        }
    }

    /** {@return host, port, database and user, for messages} */
    private static String describe(Properties p) {
        String user = p.getProperty("user");
        return p.getProperty("PGHOST", "localhost") + ":" + p.getProperty("PGPORT", "5432") + "/"
                + p.getProperty("PGDBNAME", "") + (user == null ? "" : " as user " + user);
    }

    /** {@return the URL with any password replaced by ***} */
    static String redact(String url) {
        return url == null ? "null" : PASSWORD_PARAM.matcher(url).replaceAll("$1password=***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** {@return the pool, for Flyway} */
    HikariDataSource pool() {
        return pool;
    }

    /** {@return where this database is, without the password} */
    String name() {
        return name;
    }

    /** Runs the work in autocommit mode: each statement commits on its own. */
    <T> T call(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs the work as one transaction, retried when PostgreSQL reports a deadlock or serialization failure. */
    <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollback(c, e);
                    throw e;
                }
                // Hikari puts autocommit back when the connection returns to the pool.
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && retryable(e)) continue;
                throw failure(e);
            }
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    private static boolean retryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private StoreException failure(SQLException e) {
        return new StoreException("PostgreSQL store " + name + ": " + e.getMessage(), e);
    }

    // ---- statement helpers ---------------------------------------------------------------------------

    static PreparedStatement bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
        return ps;
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), values)) {
            return ps.executeUpdate();
        }
    }

    static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... values) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), values); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
    }

    static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... values) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), values); ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        }
    }

    static boolean exists(Connection c, String sql, Object... values) throws SQLException {
        return one(c, sql, rs -> Boolean.TRUE, values).isPresent();
    }

    @Override
    public void close() {
        pool.close();
    }
}
