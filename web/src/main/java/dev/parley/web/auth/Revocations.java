package dev.parley.web.auth;

import dev.parley.store.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cancelled sessions this server refuses. Secrets are verified without a database round trip, so each server
 * keeps the list in memory and reloads it from the shared store every {@link #REFRESH}: a cancel takes effect at
 * once on the server that made it and within that interval everywhere else.
 */
public final class Revocations implements AutoCloseable {
    public static final Duration REFRESH = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(Revocations.class.getName());

    private final SessionStore store;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Set<String> revoked = Set.of();
    private final Thread refresher;

    public Revocations(SessionStore store) {
        this.store = store;
        reload();
        this.refresher = Thread.ofVirtual().name("parley-revocations").start(this::refreshLoop);
    }

    public boolean isRevoked(String sessionId) {
        return revoked.contains(sessionId);
    }

    /** Cancels a session: stored for every server, and refused here from now on. */
    public void revoke(String sessionId, Instant expiresAt) {
        store.revoke(sessionId, expiresAt);
        var next = new java.util.HashSet<>(revoked);
        next.add(sessionId);
        revoked = Set.copyOf(next);
    }

    private void reload() {
        // Only unexpired entries come back, so the list stays as small as the secrets still in use.
        revoked = Set.copyOf(store.revokedSince(Instant.EPOCH));
    }

    private void refreshLoop() {
        try {
            while (!closed.await(REFRESH.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    reload();
                } catch (RuntimeException e) {
                    // Keep the last list: a store hiccup must not let cancelled secrets back in, nor stop the loop.
                    LOG.log(System.Logger.Level.WARNING, "Could not reload cancelled sessions: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            refresher.join(REFRESH.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
