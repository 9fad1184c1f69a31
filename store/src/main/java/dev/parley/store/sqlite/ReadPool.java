package dev.parley.store.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.NotFoundException;
import dev.parley.store.StoreException;
import dev.parley.store.jdbc.ConnectionSql;
import dev.parley.store.jdbc.Work;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Read-only connections for queries. In WAL mode each read sees the last committed state and neither waits
 * for the writer nor holds it up, so a few connections serve many concurrent requests.
 *
 * <p>Plain JDBC rather than Jdbi: a profile of the chat-turn benchmark showed Jdbi's per-handle and
 * per-statement configuration copies among the top costs of a read, and these queries are one-liners.
 */
final class ReadPool implements AutoCloseable {
    private final HikariDataSource pool;
    private final String name;

    ReadPool(DataSource connections, int size, String name) {
        this.name = name;
        var config = new HikariConfig();
        config.setPoolName("parley-sqlite-read");
        config.setDataSource(connections);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        // A local file has no server that drops idle connections, so nothing gains from recycling them.
        config.setMaxLifetime(0);
        // query_only rather than opening read-only: a read-only open of a WAL database fails in some states
        // (no -shm file yet), while query_only simply refuses writes, which is all the pool needs.
        config.setConnectionInitSql("PRAGMA query_only = true");
        this.pool = new HikariDataSource(config);
    }

    /**
     * Runs the work on a pooled connection.
     *
     * @throws NotFoundException as thrown by the work
     * @throws StoreException if the database fails
     */
    <T> T read(Work<T> work) {
        // A thread may carry an interrupt, e.g. from a cancelled stream that now saves its partial reply;
        // HikariCP would refuse to hand it a connection. The read is short, so shield it and re-assert after.
        boolean interrupted = Thread.interrupted();
        try (Connection c = pool.getConnection()) {
            return work.run(new ConnectionSql(c));
        } catch (SQLException e) {
            throw new StoreException("Read from " + name + " failed: " + e.getMessage(), e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
