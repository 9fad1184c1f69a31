package dev.parley.store;

/**
 * A write made behind (queued, not waited for): {@link #await} returns once it is durable. Writes behind commit in
 * the order they were made, so awaiting the last one a caller made awaits all of its earlier ones.
 */
@FunctionalInterface
public interface PendingWrite {
    /** A write that was durable when it was handed back. */
    PendingWrite DONE = () -> {};

    /**
     * Blocks until the write is durable; returns at once if it already is.
     *
     * @throws NotFoundException if the write was refused because its thread is not the user's
     * @throws StoreException if the database failed
     */
    void await();
}
