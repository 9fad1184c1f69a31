package dev.parley.store;

/**
 * Told of every commit a store makes, for metrics: how many writes it carried and how long it took. SQLite's
 * group commit calls it from its writer thread, after the callers were released, so a slow listener delays the
 * next batch, not the last one; keep it to a few counter updates.
 */
@FunctionalInterface
public interface CommitListener {
    /** Listens to nothing. */
    CommitListener NONE = (writes, nanos) -> {};

    /**
     * @param writes the operations the commit carried (SQLite groups many callers' writes into one commit)
     * @param nanos  from the start of the transaction to the end of its commit
     */
    void committed(int writes, long nanos);
}
