package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.LeadStore.Kind;
import dev.parley.store.LeadStore.Lead;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** What every {@link LeadStore} must do; one subclass per backend. */
public abstract class LeadStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** {@return the store under test, fresh for each test} */
    protected abstract LeadStore leads();

    /** {@return a second handle on the same database, as another server would have} */
    protected abstract LeadStore sameDatabase();

    @Test
    void leadsOfEveryUserAreListedNewestFirstAndSeenByEveryServer() {
        LeadStore s = leads();
        var anna = new Lead("usr_anna", "thr_1", Kind.EMAIL, "anna@example.com", "Sure, my email is anna@example.com", T0);
        var bob = new Lead("usr_bob", "thr_2", Kind.PHONE, "+31 6 1234 5678", "Call me on +31 6 1234 5678",
                T0.plus(1, ChronoUnit.MINUTES));
        assertThat(s.add(anna)).isTrue();
        assertThat(s.add(bob)).isTrue();
        assertThat(s.recent(10)).containsExactly(bob, anna);
        assertThat(s.recent(1)).containsExactly(bob);
        assertThat(sameDatabase().recent(10)).containsExactly(bob, anna);
    }

    @Test
    void theSameContactOfTheSameUserIsKeptOnceWithItsFirstMessage() {
        LeadStore s = leads();
        var first = new Lead("usr_anna", "thr_1", Kind.EMAIL, "anna@example.com", "my email is anna@example.com", T0);
        assertThat(s.add(first)).isTrue();
        assertThat(s.add(new Lead("usr_anna", "thr_9", Kind.EMAIL, "anna@example.com", "again: anna@example.com",
                T0.plus(1, ChronoUnit.HOURS)))).isFalse();
        // Another visitor leaving the same address is another lead.
        var other = new Lead("usr_carl", "thr_3", Kind.EMAIL, "anna@example.com", "write to anna@example.com",
                T0.plus(2, ChronoUnit.HOURS));
        assertThat(s.add(other)).isTrue();
        assertThat(s.recent(10)).containsExactly(other, first);
    }

    @Test
    void aLimitOutsideTheRangeIsCapped() {
        LeadStore s = leads();
        s.add(new Lead("usr_a", "thr_1", Kind.EMAIL, "a@example.com", "a@example.com", T0));
        assertThat(s.recent(0)).hasSize(1);
        assertThat(s.recent(-5)).hasSize(1);
        assertThat(s.recent(1_000_000)).hasSize(1);
    }
}
