package dev.parley.store.jdbc;

import dev.parley.store.NotFoundException;
import dev.parley.store.PendingWrite;
import dev.parley.store.StoreException;

/**
 * A backend's transaction model, which is all the shared store code leaves to it. Each method runs the work
 * and turns an {@link java.sql.SQLException} into a {@link StoreException}; {@link NotFoundException}s and
 * {@link StoreException}s thrown by the work reach the caller as they are.
 */
public interface Transactions extends AutoCloseable {
    /** Runs queries; each may see commits that happened after the one before it. */
    <T> T read(Work<T> work);

    /**
     * Runs a write that needs no transaction around it: a single statement, or statements each of which
     * leaves the data consistent. Returns once the write is durable.
     */
    <T> T write(Work<T> work);

    /**
     * Runs a write the caller does not wait for: it is durable no later than the next {@link #write} or
     * {@link #atomically} of the same thread returns, or when the returned handle's {@code await} does; a failure
     * is logged, and thrown again by {@code await}. For what no client has been told about yet (a run's "running"
     * trace, a title or an item about to be announced), so that a turn waits for the store once where it wrote
     * several times. By default the write simply runs now.
     */
    default PendingWrite writeBehind(Work<?> work) {
        try {
            write(work);
            return PendingWrite.DONE;
        } catch (NotFoundException | StoreException e) {
            System.getLogger(Transactions.class.getName()).log(System.Logger.Level.WARNING,
                    "A write made behind failed: " + e.getMessage());
            return () -> {
                throw e;
            };
        }
    }

    /** Runs the work as one transaction: all of it is committed, or on an unexpected failure none of it. */
    <T> T atomically(Work<T> work);

    /**
     * Whether {@link #atomically} also undoes what the work wrote before it threw a {@link NotFoundException}
     * or {@link StoreException}. Where it does not (SQLite's group commit, which must not roll back the other
     * callers' writes for an expected refusal), the work has to find every such failure before it writes.
     */
    boolean undoesRefusedWork();

    /** Lets the work in progress finish, then releases the connections. */
    @Override
    void close();
}
