package dev.parley.store.sqlite;

import dev.parley.store.CommitListener;
import dev.parley.store.IdGenerator;
import dev.parley.store.Store;
import dev.parley.store.StoreException;
import dev.parley.store.jdbc.JdbcStore;
import dev.parley.store.jdbc.Work;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The default {@link Store}: one SQLite file in WAL mode, migrated by Flyway, written through a single
 * group-committing writer and read through a small pool of read-only connections. The statements, paging
 * and failures are {@link JdbcStore}'s, shared with PostgreSQL; the workflow and session stores share the
 * writer, so a turn's run state and trace are committed in the same batches as its items.
 */
public final class SqliteStore extends JdbcStore {
    private static final int READ_CONNECTIONS = 4;
    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final String MIGRATIONS = "db/migration";

    private final SqliteTransactions sqlite;

    private SqliteStore(String name, IdGenerator ids, SqliteTransactions sqlite) {
        super("SQLite", name, sqlite, new SqliteDialect(sqlite.writer()), ids);
        this.sqlite = sqlite;
    }

    /** Opens (creating and migrating if needed) the database file, with the default id generator. */
    public static SqliteStore open(Path databaseFile) {
        return open(databaseFile, IdGenerator.timeOrdered());
    }

    /**
     * Opens (creating and migrating if needed) the database file.
     *
     * @throws StoreException if the file cannot be opened or migrated
     */
    public static SqliteStore open(Path databaseFile, IdGenerator ids) {
        return open(databaseFile, ids, CommitListener.NONE);
    }

    /**
     * As {@link #open(Path, IdGenerator)}, telling {@code commits} of every group commit (for metrics).
     *
     * @throws StoreException if the file cannot be opened or migrated
     */
    public static SqliteStore open(Path databaseFile, IdGenerator ids, CommitListener commits) {
        Objects.requireNonNull(ids, "ids");
        Path file = databaseFile.toAbsolutePath();
        String name = file.toString();
        var opened = new ArrayList<AutoCloseable>();
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            SQLiteDataSource source = dataSource("jdbc:sqlite:" + file);
            if (!MigrationCheck.upToDate(source, SqliteStore.class.getClassLoader(), MIGRATIONS)) {
                Flyway.configure(SqliteStore.class.getClassLoader())
                        .dataSource(source)
                        .locations("classpath:" + MIGRATIONS)
                        .load()
                        .migrate();
            }

            Connection checkpointConnection = source.getConnection();
            opened.add(checkpointConnection);
            var checkpointer = new Checkpointer(checkpointConnection, name);
            opened.set(0, checkpointer);

            Connection writeConnection = source.getConnection();
            opened.add(writeConnection);
            try (var s = writeConnection.createStatement()) {
                // The checkpointer does this work off the writer's thread; SQLite's own checkpoint-on-commit
                // stays only as a backstop in case it ever falls behind.
                s.execute("PRAGMA wal_autocheckpoint = " + 4 * Checkpointer.REWIND_FRAMES);
            }
            var writer = new GroupCommitWriter(writeConnection, lastSeq(writeConnection), name, checkpointer::afterCommit, commits);
            opened.set(1, writer);

            var reads = new ReadPool(source, READ_CONNECTIONS, name);
            return new SqliteStore(name, ids, new SqliteTransactions(writer, checkpointer, reads));
        } catch (IOException | SQLException | RuntimeException e) {
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException("Cannot open the SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteDataSource dataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL lets the read pool run while the writer commits. With WAL, synchronous=NORMAL syncs only at
        // checkpoints, not at every commit: a committed transaction is in the WAL file (in the OS page cache)
        // before COMMIT returns, so killing the process loses nothing; only an OS crash or power cut can
        // roll back the last commits, and the database stays consistent either way.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // Readers and the writer never wait on each other in WAL mode; this covers the rare exceptions
        // (WAL recovery after a crash, the WAL being rewound, another process using the same file).
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // After a burst the WAL file is cut back to this size when it is next rewound, rather than keeping
        // its high-water mark on disk forever.
        config.setJournalSizeLimit(64 << 20);
        config.enforceForeignKeys(true);
        var source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    private static long lastSeq(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("SELECT COALESCE(MAX(s), 0) FROM ("
                        + "SELECT MAX(seq) AS s FROM threads UNION ALL SELECT MAX(seq) FROM items "
                        + "UNION ALL SELECT MAX(id) FROM feedback) AS m");
                var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The writer, for tests in this package that observe group commits. */
    GroupCommitWriter writer() {
        return sqlite.writer();
    }

    /** The checkpointer, for tests in this package. */
    Checkpointer checkpointer() {
        return sqlite.checkpointer();
    }

    /** Runs a read on a pooled connection (package-private so tests can inspect the database). */
    <T> T read(Work<T> work) {
        return transactions().read(work);
    }
}
