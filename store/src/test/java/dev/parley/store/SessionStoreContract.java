package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link SessionStore} must do; one subclass per backend. */
public abstract class SessionStoreContract {
    /** {@return the store under test, fresh for each test} */
    protected abstract SessionStore sessions();

    /** {@return a second handle on the same database, as another server would have} */
    protected abstract SessionStore sameDatabase();

    @Test
    void aRevokedSessionIsListedUntilItWouldHaveExpired() {
        SessionStore s = sessions();
        Instant before = Instant.now().minusSeconds(1);
        s.revoke("sess_a", Instant.now().plus(Duration.ofMinutes(10)));
        s.revoke("sess_a", Instant.now().plus(Duration.ofMinutes(10))); // twice is fine
        s.revoke("sess_old", Instant.now().minusSeconds(5));              // already expired: never listed
        assertThat(s.revokedSince(before)).containsExactly("sess_a");
        assertThat(s.revokedSince(Instant.now().plusSeconds(60))).isEmpty();
        // Every server sharing the database sees it.
        assertThat(sameDatabase().revokedSince(before)).containsExactly("sess_a");
    }
}
