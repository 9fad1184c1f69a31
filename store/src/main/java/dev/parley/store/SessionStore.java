package dev.parley.store;

import java.time.Instant;
import java.util.List;

/**
 * Client-secret sessions cancelled before they expire. Secrets are verified without storage, so a cancelled one
 * is refused by checking this list; every server keeps a copy it refreshes every few seconds.
 */
public interface SessionStore {
    /**
     * Records that a session is cancelled; entries are dropped once the session would have expired anyway.
     *
     * @param expiresAt when the session's secret expires
     */
    void revoke(String sessionId, Instant expiresAt);

    /** {@return the sessions cancelled at or after {@code since} whose secrets have not expired yet} */
    List<String> revokedSince(Instant since);
}
