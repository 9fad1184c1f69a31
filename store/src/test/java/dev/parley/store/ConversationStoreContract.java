package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.UserMessageContent;
import dev.parley.store.jdbc.JdbcStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ConversationStore} must do; one subclass per backend. */
public abstract class ConversationStoreContract extends StoreFixtures {
    private ConversationStore conversations() {
        return ((JdbcStore) store).storage().conversations();
    }

    private WorkflowStore workflows() {
        return ((JdbcStore) store).storage().workflows();
    }

    private ThreadMetadata titled(String user, Instant at, String title) {
        var t = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), at).withTitle(title);
        store.saveThread(user, t);
        return t;
    }

    private void trace(String runId, String user, String threadId, Instant at) {
        workflows().saveTrace(new WorkflowStore.Trace(runId, "wf_a", 1, user, threadId, at, 10, "completed", "{}"));
    }

    @Test
    void listsThreadsOfEveryUserNewestFirstAndPages() {
        var a1 = titled(ALICE, T0, "first");
        var b1 = titled(BOB, T0.plusSeconds(1), "second");
        var a2 = titled(ALICE, T0.plusSeconds(2), "third");
        // Same time as a2: insertion order breaks the tie, so the later insert is newer.
        var b2 = titled(BOB, T0.plusSeconds(2), "fourth");
        store.addItem(BOB, message(b1.id(), T0.plusSeconds(5), "hi"));

        var first = conversations().threads(3, null, false);
        assertThat(first.data()).extracting(ConversationStore.ThreadSummary::threadId)
                .containsExactly(b2.id(), a2.id(), b1.id());
        assertThat(first.hasMore()).isTrue();
        assertThat(first.after()).isEqualTo(b1.id());
        var second = conversations().threads(3, first.after(), false);
        assertThat(second.data()).extracting(ConversationStore.ThreadSummary::threadId).containsExactly(a1.id());
        assertThat(second.hasMore()).isFalse();
        assertThat(second.after()).isNull();

        var bob = first.data().get(2);
        assertThat(bob.userId()).isEqualTo(BOB);
        assertThat(bob.title()).isEqualTo("second");
        assertThat(bob.createdAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(bob.lastItemAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(first.data().get(0).lastItemAt()).isNull();
        assertThatThrownBy(() -> conversations().threads(3, "thr_missing", false)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theNegativeFilterKeepsThreadsWithNegativeFeedbackAndCountsIt() {
        var praised = titled(ALICE, T0, "praised");
        var blamed = titled(BOB, T0.plusSeconds(1), "blamed");
        var quiet = titled(ALICE, T0.plusSeconds(2), "quiet");
        var blamedToo = titled(ALICE, T0.plusSeconds(3), "blamed too");
        store.addFeedback(ALICE, new Feedback(praised.id(), List.of("msg_1"), "positive", T0));
        store.addFeedback(BOB, new Feedback(blamed.id(), List.of("msg_2"), "negative", T0));
        store.addFeedback(BOB, new Feedback(blamed.id(), List.of("msg_3"), "negative", T0));
        store.addFeedback(ALICE, new Feedback(blamedToo.id(), List.of("msg_4"), "negative", T0));

        var all = conversations().threads(10, null, false);
        assertThat(all.data()).extracting(s -> s.title() + ":" + s.negativeFeedback())
                .containsExactly("blamed too:1", "quiet:0", "blamed:2", "praised:0");
        var negative = conversations().threads(1, null, true);
        assertThat(negative.data()).extracting(ConversationStore.ThreadSummary::threadId).containsExactly(blamedToo.id());
        assertThat(negative.hasMore()).isTrue();
        // The cursor may name a thread the filter keeps; the next page continues after it, still filtered.
        var next = conversations().threads(1, negative.after(), true);
        assertThat(next.data()).extracting(ConversationStore.ThreadSummary::threadId).containsExactly(blamed.id());
        assertThat(next.hasMore()).isFalse();
        assertThat(conversations().threads(10, quiet.id(), true).data())
                .extracting(ConversationStore.ThreadSummary::threadId).containsExactly(blamed.id());
    }

    @Test
    void aConversationLinksEachAssistantMessageToTheRunThatStartedLastBeforeIt() {
        var t = titled(BOB, T0, "help");
        var other = titled(ALICE, T0, "elsewhere");
        var ask = new ThreadItem.UserMessage("msg_u1", t.id(), T0.plusSeconds(1),
                List.of(new UserMessageContent.InputText("hello")), List.of(), null, null);
        store.addItem(BOB, ask);
        var reply1 = message(t.id(), T0.plusSeconds(3), "one");
        var reply2 = message(t.id(), T0.plusSeconds(7), "two");
        var early = message(t.id(), T0.plusMillis(1500), "before any run");
        store.addItem(BOB, early);
        store.addItem(BOB, reply1);
        store.addItem(BOB, reply2);
        trace("run_1", BOB, t.id(), T0.plusSeconds(2));
        trace("run_2", BOB, t.id(), T0.plusSeconds(5));
        // A later run of another thread, closer in time, must not be taken.
        trace("run_other", ALICE, other.id(), T0.plusSeconds(6));
        store.addFeedback(BOB, new Feedback(t.id(), List.of(reply2.id()), "negative", T0.plusSeconds(8)));

        var c = conversations().conversation(t.id(), 100).orElseThrow();
        assertThat(c.thread().userId()).isEqualTo(BOB);
        assertThat(c.thread().negativeFeedback()).isEqualTo(1);
        assertThat(c.items()).extracting(ThreadItem::id).containsExactly(ask.id(), early.id(), reply1.id(), reply2.id());
        assertThat(c.runIds()).containsOnlyKeys(reply1.id(), reply2.id())
                .containsEntry(reply1.id(), "run_1").containsEntry(reply2.id(), "run_2");
        assertThat(c.feedback()).singleElement().satisfies(f -> {
            assertThat(f.itemIds()).containsExactly(reply2.id());
            assertThat(f.kind()).isEqualTo("negative");
        });
        assertThat(conversations().conversation(t.id(), 2).orElseThrow().items()).hasSize(2);
        assertThat(conversations().conversation("thr_missing", 100)).isEmpty();
    }
}
