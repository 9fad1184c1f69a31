package dev.parley.store.sqlite;

import dev.parley.store.PendingWrite;
import dev.parley.store.jdbc.Transactions;
import dev.parley.store.jdbc.Work;

/**
 * SQLite's transaction model: every write, atomic or not, is an operation of the one group-committing
 * writer; reads go to the pool of read-only connections. Owns all three of the file's workers.
 */
final class SqliteTransactions implements Transactions {
    private final GroupCommitWriter writer;
    private final Checkpointer checkpointer;
    private final ReadPool reads;

    SqliteTransactions(GroupCommitWriter writer, Checkpointer checkpointer, ReadPool reads) {
        this.writer = writer;
        this.checkpointer = checkpointer;
        this.reads = reads;
    }

    @Override
    public <T> T read(Work<T> work) {
        return reads.read(work);
    }

    @Override
    public <T> T write(Work<T> work) {
        return writer.write(work::run);
    }

    /** {@inheritDoc} Queued on the one writer, whose batches commit in order, so the promise holds. */
    @Override
    public PendingWrite writeBehind(Work<?> work) {
        return writer.submit(work::run);
    }

    /** {@inheritDoc} A writer operation is atomic already: its batch commits or rolls back as a whole. */
    @Override
    public <T> T atomically(Work<T> work) {
        return write(work);
    }

    @Override
    public boolean undoesRefusedWork() {
        return false;
    }

    GroupCommitWriter writer() {
        return writer;
    }

    Checkpointer checkpointer() {
        return checkpointer;
    }

    /** Commits every write already accepted, then closes the writer, checkpointer and read pool. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            try {
                checkpointer.close();
            } finally {
                reads.close();
            }
        }
    }
}
