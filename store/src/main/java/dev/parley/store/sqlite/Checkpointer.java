package dev.parley.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed pages from the WAL back into the database file on its own thread and connection.
 *
 * <p>By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1000 pages, so the writer,
 * and every caller waiting on its batch, stalls for the copy and for the two fsyncs a checkpoint makes
 * (the only fsyncs at {@code synchronous=NORMAL}). Moving the copy here took the chat-turn benchmark from
 * about 11 000 to 14 000-16 000 turns/s (writes only, 400 concurrent users, two cores).
 *
 * <p>The catch is that only a write transaction that <em>starts</em> while every WAL frame is already
 * copied rewinds the WAL to its beginning; a checkpoint racing a busy writer never gets there and the file
 * grows without bound. So the writer calls {@link #catchUp()} once the WAL passes {@link #REWIND_FRAMES}
 * (or every {@link #REWIND_COMMITS} commits): that checkpoint runs between two of the writer's
 * transactions, usually has only the last commit left to copy, and lets the next transaction rewind.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

    /**
     * WAL size (4 KiB pages, so 64 MiB) at which the writer makes sure the log is rewound. Each rewind costs
     * the writer a wait for the background checkpoint; in the benchmark 4096 pages gave 13 800 turns/s,
     * 8192 gave 14 600 and 16384 gave 16 100.
     */
    static final long REWIND_FRAMES = 16_384;

    /** Also rewind after this many commits, so an idle-ish store does not keep a stale log around. */
    static final int REWIND_COMMITS = 256;

    /**
     * The background checkpoint is requested after this many commits rather than after each one. Small
     * commits keep dirtying the same pages (the ends of the tables and indexes), so checkpointing after
     * each copied those pages, and fsynced both files, once per commit: about a quarter of a core in the
     * streamed-turn benchmark. Commits are durable in the WAL either way; this only sets how often its
     * pages are copied back, and the rewind logic above still bounds the WAL. With time-ordered ids a turn's
     * writes share even more pages, and 128 against 16 took 12 % off a turn's CPU (A/B, issue 18).
     */
    static final int BACKGROUND_COMMITS = 128;

    private final Connection connection;
    private final String name;
    private final ReentrantLock running = new ReentrantLock();
    private final Thread thread;
    private volatile boolean requested;
    private volatile boolean closed;
    private volatile long walFrames;
    private int commitsSinceRewind;
    private int commitsSinceRequest;
    /** Written by the writer thread only. */
    private volatile long forcedCatchUps;

    Checkpointer(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
        this.thread = Thread.ofPlatform().name("parley-sqlite-checkpoint").daemon(true).start(this::loop);
    }

    /** Called by the writer thread after each commit; never blocks unless the WAL needs rewinding. */
    void afterCommit() {
        if (++commitsSinceRewind >= REWIND_COMMITS || walFrames >= REWIND_FRAMES) {
            commitsSinceRewind = 0;
            forcedCatchUps++;
            catchUp();
        } else if (++commitsSinceRequest >= BACKGROUND_COMMITS) {
            commitsSinceRequest = 0;
            requested = true;
            LockSupport.unpark(thread);
        }
    }

    /** Checkpoints now on the calling thread, after any background checkpoint in progress. */
    void catchUp() {
        checkpoint();
    }

    /** {@return the WAL size in pages seen by the last checkpoint (for tests and monitoring)} */
    long walFrames() {
        return walFrames;
    }

    /** {@return how often the writer waited for a checkpoint so the WAL could rewind (for tests and monitoring)} */
    long forcedCatchUps() {
        return forcedCatchUps;
    }

    private void loop() {
        while (!closed) {
            if (!requested) {
                LockSupport.park(this);
                continue;
            }
            requested = false;
            checkpoint();
        }
    }

    private void checkpoint() {
        running.lock();
        try {
            if (closed) return;
            // PASSIVE never waits for or blocks the writer or readers; it copies what it can.
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                if (rs.next()) walFrames = rs.getLong(2);
            }
        } catch (SQLException e) {
            log.warn("Checkpoint of {} failed: {}", name, e.toString());
        } finally {
            running.unlock();
        }
    }

    @Override
    public void close() {
        running.lock();
        try {
            closed = true;
        } finally {
            running.unlock();
        }
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the checkpoint connection of {}: {}", name, e.toString());
        }
    }
}
