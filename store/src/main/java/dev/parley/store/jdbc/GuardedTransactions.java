package dev.parley.store.jdbc;

import dev.parley.store.PendingWrite;

/**
 * A backend's transactions behind the store's closed flag: once the store is closed every call fails fast
 * with {@link IllegalStateException}, rather than with whatever the closed pool or writer would report.
 */
final class GuardedTransactions implements Transactions {
    private final String name;
    private final Transactions backend;
    private volatile boolean closed;

    GuardedTransactions(String name, Transactions backend) {
        this.name = name;
        this.backend = backend;
    }

    @Override
    public <T> T read(Work<T> work) {
        checkOpen();
        return backend.read(work);
    }

    @Override
    public <T> T write(Work<T> work) {
        checkOpen();
        return backend.write(work);
    }

    @Override
    public PendingWrite writeBehind(Work<?> work) {
        checkOpen();
        return backend.writeBehind(work);
    }

    @Override
    public <T> T atomically(Work<T> work) {
        checkOpen();
        return backend.atomically(work);
    }

    @Override
    public boolean undoesRefusedWork() {
        return backend.undoesRefusedWork();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("The store " + name + " is closed");
    }

    /** Refuses further calls, then closes the backend, once. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        backend.close();
    }
}
