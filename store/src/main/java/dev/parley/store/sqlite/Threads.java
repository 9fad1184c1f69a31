package dev.parley.store.sqlite;

/** Shutdown help shared by the store's background threads. */
final class Threads {
    private Threads() {}

    /**
     * Waits for the thread to end even if the caller is interrupted (a store must finish closing, or the
     * database file stays locked), then restores the caller's interrupt flag.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
