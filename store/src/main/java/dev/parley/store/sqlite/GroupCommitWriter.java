package dev.parley.store.sqlite;

import dev.parley.store.CommitListener;
import dev.parley.store.NotFoundException;
import dev.parley.store.PendingWrite;
import dev.parley.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only path by which the store writes: one connection, one thread, many callers.
 *
 * <p>A commit has a fixed cost (it writes every page the transaction changed to the WAL, and at
 * {@code synchronous=FULL} syncs it), and pages that many writes share, such as the last page of a table,
 * are written once per commit rather than once per write. Committing once per call would cap throughput at
 * the commit rate however many threads call. Instead callers queue their operation and wait; the writer
 * thread takes
 * everything queued, runs it all in one transaction, commits once and only then releases every caller. A
 * caller therefore never returns before its write is committed, and under load one commit carries hundreds
 * of writes. With a single writer SQLite never sees competing write transactions, so there is no
 * {@code SQLITE_BUSY} to retry.
 *
 * <p>One caller's failure must not cost the others their writes. Operations are written so that an
 * expected failure ({@link NotFoundException}, {@link StoreException}) is detected before anything is
 * written, or by a statement that changed nothing; such a failure goes to its caller alone and the batch
 * commits. Any other failure (an {@link SQLException}, a bug) may have left partial changes, so the
 * transaction is rolled back, that caller gets the failure, and the rest of the batch runs again in a new
 * transaction. Failures of that kind are rare, so this costs nothing in the common case, where a savepoint
 * around every operation would add two statements to each write.
 *
 * <p>After each commit the writer runs an after-commit hook (the {@link Checkpointer}) before taking the
 * next batch; the callers of the committed batch are released first.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Bounds one transaction so a flood of writes cannot hold the write lock (and grow the WAL) unboundedly. */
    static final int MAX_BATCH = 1024;

    /**
     * Work done on the writer connection inside the shared transaction. It must not commit, roll back or
     * keep a result set open, and if it throws {@link NotFoundException} or {@link StoreException} it must
     * not have changed anything.
     */
    @FunctionalInterface
    interface Op<T> {
        T run(Tx tx) throws SQLException;
    }

    /** What an operation may use: statements on the writer's connection, kept for the writer's lifetime. */
    interface Tx extends PreparedSql {}

    private static final class Pending {
        final Op<?> op;
        final CompletableFuture<Object> done = new CompletableFuture<>();

        Pending(Op<?> op) {
            this.op = op;
        }
    }

    private static final Pending STOP = new Pending(null);

    private final Connection connection;
    private final String name;
    private final Runnable afterCommit;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private final Tx tx = new Tx() {
        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public Map<String, PreparedStatement> statements() {
            return statements;
        }
    };

    private volatile boolean closed;
    private final CommitListener listener;
    /** Only touched by the writer thread (and before it starts). */
    private long seq;

    /**
     * Starts the writer on a connection in auto-commit mode, which it then owns.
     *
     * @param lastSeq     the highest insertion sequence already in the database
     * @param afterCommit run on the writer thread after each commit, once the callers are released
     */
    GroupCommitWriter(Connection connection, long lastSeq, String name, Runnable afterCommit) {
        this(connection, lastSeq, name, afterCommit, CommitListener.NONE);
    }

    /** As above, telling {@code listener} of each commit's size and latency. */
    GroupCommitWriter(Connection connection, long lastSeq, String name, Runnable afterCommit, CommitListener listener) {
        this.listener = listener;
        this.connection = connection;
        this.seq = lastSeq;
        this.name = name;
        this.afterCommit = afterCommit;
        // A platform thread: SQLite calls are native and would pin a virtual thread's carrier anyway, and
        // the writer must keep running however busy the virtual-thread scheduler is.
        this.thread = Thread.ofPlatform().name("parley-sqlite-writer").daemon(true).start(this::loop);
    }

    /**
     * Runs the operation in the next group commit and waits until it is committed.
     *
     * @throws NotFoundException or {@link StoreException} as thrown by the operation; any other failure
     *     arrives wrapped in a {@link StoreException}
     * @throws IllegalStateException if the writer is closed
     */
    @SuppressWarnings("unchecked")
    <T> T write(Op<T> op) {
        Pending pending = enqueue(new Pending(op));
        Object result;
        try {
            // Not interruptible on purpose: the write will commit regardless, and a caller that was
            // interrupted (a cancelled stream saving its partial reply) still needs to know it did.
            result = pending.done.join();
        } catch (CompletionException e) {
            throw translate(e.getCause());
        }
        return (T) result;
    }

    /**
     * Queues the operation without waiting for its commit. The queue is first in, first out and batches commit in
     * order, so it is committed no later than any write the same caller makes after it. A failure is logged, and
     * thrown again by the returned handle's {@code await}.
     */
    PendingWrite submit(Op<?> op) {
        var pending = new Pending(op);
        pending.done.whenComplete((result, failure) -> {
            if (failure != null) log.warn("A queued write to {} failed: {}", name, translate(failure).getMessage());
        });
        enqueue(pending);
        return () -> {
            try {
                pending.done.join();
            } catch (CompletionException e) {
                throw translate(e.getCause());
            }
        };
    }

    private Pending enqueue(Pending pending) {
        if (closed) throw closedException();
        queue.add(pending);
        // close() may have run between the check and the add, after the writer's final drain; then nobody
        // would ever run this operation, so take it back. If the writer already took it, it will run.
        if (closed && queue.remove(pending)) throw closedException();
        return pending;
    }

    private RuntimeException translate(Throwable failure) {
        if (failure instanceof NotFoundException nf) return nf;
        if (failure instanceof StoreException se) return se;
        return new StoreException("Write to " + name + " failed: " + failure, failure);
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("The store " + name + " is closed");
    }

    /** {@return the next value of the store-wide insertion sequence}; only for operations, on the writer thread */
    long nextSeq() {
        return ++seq;
    }

    /** {@return how many transactions the writer has committed (for tests and monitoring)} */
    long commits() {
        return commits.get();
    }

    /** {@return how many operations are waiting for the writer (for tests and monitoring)} */
    int queued() {
        return queue.size();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Nobody should interrupt the writer; stopping is done with STOP so queued work still runs.
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            if (!batch.isEmpty()) runSafely(batch);
            batch.clear();
        }
        // Operations that passed the closed check just before close() are still owed their commit.
        while (queue.drainTo(batch, MAX_BATCH) > 0) {
            runSafely(batch);
            batch.clear();
        }
    }

    /** The writer thread must survive anything, or every later caller would wait forever. */
    private void runSafely(List<Pending> batch) {
        try {
            runBatch(batch);
        } catch (Throwable t) {
            log.error("The writer of {} failed unexpectedly", name, t);
            rollbackQuietly();
            // Completing an already completed future does nothing, so only the unanswered callers see this.
            for (Pending p : batch) p.done.completeExceptionally(t);
        }
    }

    private void runBatch(List<Pending> batch) {
        List<Pending> todo = batch;
        while (true) {
            long begun = System.nanoTime();
            try {
                execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                // Nothing ran, so nothing can be attributed or retried: everyone gets the failure. Retrying
                // here could multiply a lock wait (busy_timeout) by the batch size.
                failAll(todo, e);
                return;
            }
            Object[] results = new Object[todo.size()];
            RuntimeException[] expected = new RuntimeException[todo.size()];
            int failed = -1;
            Throwable failure = null;
            for (int i = 0; i < todo.size() && failed < 0; i++) {
                try {
                    results[i] = todo.get(i).op.run(tx);
                } catch (NotFoundException | StoreException e) {
                    expected[i] = e;
                } catch (Throwable t) {
                    failed = i;
                    failure = t;
                }
            }
            if (failed >= 0) {
                // The failed operation may have written part of its work, and SQLite may already have
                // rolled back by itself: undo everything, give that caller its failure and run the rest of
                // the batch again in a fresh transaction.
                rollbackQuietly();
                log.warn("A write to {} failed and was rolled back; retrying the other {} in its batch: {}",
                        name, todo.size() - 1, failure.toString());
                todo.get(failed).done.completeExceptionally(failure);
                todo = new ArrayList<>(todo);
                todo.remove(failed);
                if (todo.isEmpty()) return;
                continue;
            }
            try {
                execute("COMMIT");
            } catch (SQLException e) {
                rollbackQuietly();
                failAll(todo, e);
                return;
            }
            commits.incrementAndGet();
            long took = System.nanoTime() - begun;
            for (int i = 0; i < todo.size(); i++) {
                if (expected[i] != null) todo.get(i).done.completeExceptionally(expected[i]);
                else todo.get(i).done.complete(results[i]);
            }
            try {
                listener.committed(todo.size(), took);
            } catch (RuntimeException e) {
                log.warn("A commit listener of {} failed: {}", name, e.toString());
            }
            try {
                afterCommit.run();
            } catch (RuntimeException e) {
                log.warn("After-commit work of {} failed: {}", name, e.toString());
            }
            return;
        }
    }

    private void failAll(List<Pending> batch, Throwable failure) {
        log.warn("A batch of {} writes to {} failed: {}", batch.size(), name, failure.toString());
        for (Pending p : batch) p.done.completeExceptionally(failure);
    }

    /** Transaction control goes through kept statements too: preparing BEGIN and COMMIT per batch was measurable. */
    private void execute(String sql) throws SQLException {
        tx.prepare(sql).execute();
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            // Expected when SQLite already rolled back by itself (it does on some I/O errors).
            log.debug("Rollback after a failed write batch: {}", e.toString());
        }
    }

    /** Runs everything already queued, stops the thread and closes the connection. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        queue.add(STOP);
        Threads.joinUninterruptibly(thread);
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                log.debug("Closing a statement: {}", e.toString());
            }
        }
        statements.clear();
        try {
            // Lets SQLite refresh query-planner statistics it found worth refreshing during this session.
            try (var s = connection.createStatement()) {
                s.execute("PRAGMA optimize");
            }
        } catch (SQLException e) {
            log.debug("PRAGMA optimize: {}", e.toString());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the SQLite writer connection of {}: {}", name, e.toString());
        }
    }
}
