package dev.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.StoreException;
import dev.parley.store.jdbc.ConnectionSql;
import dev.parley.store.jdbc.Transactions;
import dev.parley.store.jdbc.Work;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * PostgreSQL's transaction model: a connection pool and the two ways the store uses a connection, a single
 * statement (or a few reads) in autocommit mode, and a transaction that commits once. SQL failures leave here
 * as {@link StoreException}s that name the database but never its password.
 */
final class Database implements Transactions {
    // A deadlock or serialization failure means PostgreSQL rolled the transaction back and it is safe to run
    // again; with short transactions a retry almost always succeeds.
    private static final int ATTEMPTS = 3;
    private static final Pattern PASSWORD_PARAM = Pattern.compile("([?&])password=[^&]*", Pattern.CASE_INSENSITIVE);

    private final DataSource pool;
    private final String name;
    /** The schema Parley's tables are in when the connections are the host's, else null (the pool's own). */
    private final String schema;
    /** What {@link #close()} closes: Parley's own pool, or nothing when the host owns the connections. */
    private final AutoCloseable owned;

    private Database(DataSource pool, String name, String schema, AutoCloseable owned) {
        this.pool = pool;
        this.name = name;
        this.schema = schema;
        this.owned = owned;
    }

    /**
     * Uses a host application's connections, which stay the host's: {@link #close()} leaves them open. Every
     * connection is switched to {@code schema} while Parley uses it and switched back before it is returned, so
     * the host's own queries never see Parley's tables and Parley's never see the host's.
     */
    static Database over(DataSource dataSource, String schema) {
        return new Database(dataSource, "schema " + schema + " of the application's DataSource", schema, null);
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
            HikariDataSource pool = new HikariDataSource(config);
            return new Database(pool, name, null, pool);
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
    DataSource pool() {
        return pool;
    }

    /** {@return the schema Parley's tables are in, or null for the connections' default} */
    String schema() {
        return schema;
    }

    /** {@return a connection from the pool, in Parley's schema; closing it puts the host's schema back} */
    private Connection connection() throws SQLException {
        Connection c = pool.getConnection();
        if (schema == null) return c;
        try {
            String previous = c.getSchema();
            c.setSchema(schema);
            return SchemaConnection.wrap(c, previous);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** {@return where this database is, without the password} */
    String name() {
        return name;
    }

    @Override
    public <T> T read(Work<T> work) {
        return call(work);
    }

    /** {@inheritDoc} Runs in autocommit mode: each statement commits on its own. */
    @Override
    public <T> T write(Work<T> work) {
        return call(work);
    }

    private <T> T call(Work<T> work) {
        try (Connection c = connection()) {
            return work.run(new ConnectionSql(c));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** {@inheritDoc} Retried when PostgreSQL reports a deadlock or serialization failure. */
    @Override
    public <T> T atomically(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(new ConnectionSql(c));
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

    @Override
    public boolean undoesRefusedWork() {
        return true;
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

    @Override
    public void close() {
        if (owned == null) return;
        try {
            owned.close();
        } catch (Exception e) {
            throw new StoreException("Closing the PostgreSQL pool of " + name + " failed: " + e.getMessage(), e);
        }
    }
}
