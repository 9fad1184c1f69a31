package dev.parley.store.sqlite;

import dev.parley.store.NotFoundException;
import dev.parley.store.StoreException;
import dev.parley.store.jdbc.Work;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Read-only connections for queries. In WAL mode each read sees the last committed state and neither waits
 * for the writer nor holds it up, so a few connections serve many concurrent requests.
 *
 * <p>A fixed set of connections, each keeping its prepared statements, rather than a general pool: preparing
 * (parsing and planning) the same few queries on every read was most of a read's cost in SQLite (a history
 * read is a turn's only query), and a local file has nothing a pool's validation or recycling would guard
 * against. A statement's result set is closed after each use, which resets it, so no read keeps a snapshot
 * open and holds back the checkpointer.
 */
final class ReadPool implements AutoCloseable {
    /** Statements kept per connection; SQL built per call (IN lists of a varying length) pushes out the oldest. */
    private static final int STATEMENTS = 64;

    private final String name;
    private final ArrayBlockingQueue<Reader> idle;
    private final List<Reader> all = new ArrayList<>();
    private volatile boolean closed;

    ReadPool(DataSource connections, int size, String name) {
        this.name = name;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection c = connections.getConnection();
                // query_only rather than opening read-only: a read-only open of a WAL database fails in some
                // states (no -shm file yet), while query_only simply refuses writes, which is all readers need.
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = true");
                }
                var reader = new Reader(c);
                all.add(reader);
                idle.add(reader);
            }
        } catch (SQLException e) {
            close();
            throw new StoreException("Cannot open read connections to " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the work on one of the connections, waiting for one to be free.
     *
     * @throws NotFoundException as thrown by the work
     * @throws StoreException if the database fails
     */
    <T> T read(Work<T> work) {
        // A thread may carry an interrupt, e.g. from a cancelled stream that now saves its partial reply; the
        // read is short, so it waits for a connection regardless and re-asserts the interrupt after.
        boolean interrupted = Thread.interrupted();
        Reader reader = null;
        try {
            while (reader == null) {
                if (closed) throw new IllegalStateException(name + " is closed");
                try {
                    reader = idle.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return work.run(reader);
        } catch (SQLException e) {
            throw new StoreException("Read from " + name + " failed: " + e.getMessage(), e);
        } finally {
            if (reader != null) idle.add(reader);
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Reader r : all) r.close();
    }

    /** One connection and the statements prepared on it; used by one read at a time. */
    private record Reader(Connection connection, Map<String, PreparedStatement> statements) implements PreparedSql {
        Reader(Connection connection) {
            this(connection, new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                    if (size() <= STATEMENTS) return false;
                    closeQuietly(eldest.getValue());
                    return true;
                }
            });
        }

        void close() {
            statements.values().forEach(Reader::closeQuietly);
            statements.clear();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a local file's connection at shutdown; nothing is left to lose.
            }
        }

        private static void closeQuietly(PreparedStatement ps) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // A statement of a connection that is going away.
            }
        }
    }
}
