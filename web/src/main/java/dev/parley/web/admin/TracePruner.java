package dev.parley.web.admin;

import dev.parley.workflow.engine.Workflows;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Trace housekeeping, at start and then every hour: deletes run traces older than the retention period (every
 * turn writes a trace of a few kilobytes, so without this a busy site's database grows by gigabytes a month with
 * debugging data), and closes as interrupted the runs some server left running when it stopped for good.
 */
public final class TracePruner implements AutoCloseable {
    static final Duration EVERY = Duration.ofHours(1);
    /** Longer than any turn can take (model timeouts and retries included): a run still "running" after it is dead. */
    public static final Duration LONGEST_RUN = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(TracePruner.class.getName());

    private final Workflows workflows;
    private final Duration retention;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    /** @param retention how long traces are kept; zero keeps them forever */
    public TracePruner(Workflows workflows, Duration retention) {
        this.workflows = workflows;
        this.retention = retention;
        this.thread = Thread.ofVirtual().name("parley-trace-pruner").start(this::loop);
    }

    /** {@return how many traces the pass deleted} */
    int pruneOnce() {
        int interrupted = workflows.closeInterrupted(null, Instant.now().minus(LONGEST_RUN));
        if (interrupted > 0) {
            LOG.log(System.Logger.Level.WARNING, "Closed {0} workflow runs left running by a server that stopped",
                    interrupted);
        }
        if (retention.isZero()) return 0;
        int deleted = workflows.store().deleteTracesBefore(Instant.now().minus(retention));
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
