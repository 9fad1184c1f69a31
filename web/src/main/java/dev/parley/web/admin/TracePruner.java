package dev.parley.web.admin;

import dev.parley.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deletes run traces older than the retention period, at start and then every hour. Every turn writes a trace of
 * a few kilobytes, so without this a busy site's database grows by gigabytes a month with debugging data.
 */
public final class TracePruner implements AutoCloseable {
    static final Duration EVERY = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(TracePruner.class.getName());

    private final WorkflowStore store;
    private final Duration retention;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    public TracePruner(WorkflowStore store, Duration retention) {
        this.store = store;
        this.retention = retention;
        this.thread = Thread.ofVirtual().name("parley-trace-pruner").start(this::loop);
    }

    /** {@return how many traces the pass deleted} */
    int pruneOnce() {
        int deleted = store.deleteTracesBefore(Instant.now().minus(retention));
        if (deleted > 0) {
            LOG.log(System.Logger.Level.INFO, "Deleted {0} run traces older than {1} days", deleted, retention.toDays());
        }
        return deleted;
    }

    private void loop() {
        try {
            do {
                try {
                    pruneOnce();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not delete old run traces: " + e.getMessage());
                }
            } while (!closed.await(EVERY.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
