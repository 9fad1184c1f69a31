package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do so that deleted conversations take their attachments with them: deleting a
 * thread (or all of a user's) deletes the attachment metadata in the same call and hands it back so the bytes
 * can follow, and the housekeeping queries find what a crash or a race left behind.
 */
public abstract class AttachmentCleanupContract extends StoreFixtures {
    private static Attachment file(String id, String threadId) {
        return new Attachment.File(id, id + ".txt", "text/plain", null, threadId, Map.of("size", 3));
    }

    private static Attachment image(String id, String threadId) {
        return new Attachment.Image(id, id + ".png", "image/png", null, threadId, Map.of("size", 3),
                "https://chat.example/chatkit/attachments/" + id + "/preview?sig=x");
    }

    private Attachment saved(String user, Attachment a) {
        store.saveAttachment(user, a);
        return a;
    }

    private static List<String> ids(List<Attachment> attachments) {
        return attachments.stream().map(Attachment::id).toList();
    }

    private void assertGone(String user, String attachmentId) {
        assertThatThrownBy(() -> store.loadAttachment(user, attachmentId)).as(attachmentId)
                .isInstanceOf(NotFoundException.class).hasMessage("Attachment " + attachmentId + " not found");
    }

    @Test
    protected void deletingAThreadDeletesTheAttachmentsBoundToItAndReturnsThem() {
        ThreadMetadata t = thread(ALICE, T0);
        ThreadMetadata other = thread(ALICE, T0);
        ThreadMetadata bobs = thread(BOB, T0);
        Attachment img = saved(ALICE, image("atc_img", t.id()));
        Attachment doc = saved(ALICE, file("atc_doc", t.id()));
        Attachment elsewhere = saved(ALICE, file("atc_elsewhere", other.id()));
        Attachment unbound = saved(ALICE, file("atc_unbound", null));
        Attachment bob = saved(BOB, file("atc_bob", bobs.id()));
        store.addItem(ALICE, message(t.id(), T0, "with files"));

        List<Attachment> deleted = store.deleteThread(ALICE, t.id());

        assertThat(deleted).containsExactlyInAnyOrder(img, doc);
        assertGone(ALICE, img.id());
        assertGone(ALICE, doc.id());
        assertThat(store.loadAttachment(ALICE, elsewhere.id())).isEqualTo(elsewhere);
        assertThat(store.loadAttachment(ALICE, unbound.id())).isEqualTo(unbound);
        assertThat(store.loadAttachment(BOB, bob.id())).isEqualTo(bob);
        assertThat(store.knownAttachmentIds(List.of(img.id(), doc.id(), elsewhere.id(), unbound.id(), bob.id())))
                .as("the rows are gone for every user, not just hidden from Alice")
                .containsExactlyInAnyOrder(elsewhere.id(), unbound.id(), bob.id());
        assertThat(store.deleteThread(ALICE, other.id())).containsExactly(elsewhere);
    }

    @Test
    protected void aThreadDeletionThatIsRefusedDeletesNoAttachment() {
        ThreadMetadata t = thread(ALICE, T0);
        Attachment a = saved(ALICE, file("atc_keep", t.id()));
        // Bob names Alice's thread; an attachment row saying it belongs to that thread must not help him.
        saved(BOB, file("atc_bobs_claim", t.id()));

        assertThatThrownBy(() -> store.deleteThread(BOB, t.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.deleteThread(ALICE, "thr_missing")).isInstanceOf(NotFoundException.class);

        assertThat(store.loadAttachment(ALICE, a.id())).isEqualTo(a);
        assertThat(store.loadThread(ALICE, t.id())).isEqualTo(t);
        assertThat(store.deleteThread(ALICE, t.id())).as("only the thread owner's attachments go with it")
                .containsExactly(a);
        assertThat(store.loadAttachment(BOB, "atc_bobs_claim").id()).isEqualTo("atc_bobs_claim");
    }

    @Test
    protected void deletingAllThreadsOfAUserDeletesTheirThreadsItemsFeedbackAndEveryAttachment() {
        List<ThreadMetadata> mine = List.of(thread(ALICE, T0), thread(ALICE, T0.plusSeconds(1)));
        ThreadMetadata bobs = thread(BOB, T0);
        var m = message(mine.get(0).id(), T0, "hello");
        store.addItem(ALICE, m);
        store.addFeedback(ALICE, new Feedback(mine.get(0).id(), List.of(m.id()), "positive", T0));
        var bobsMessage = message(bobs.id(), T0, "bob's");
        store.addItem(BOB, bobsMessage);
        Attachment a1 = saved(ALICE, image("atc_a1", mine.get(0).id()));
        Attachment a2 = saved(ALICE, file("atc_a2", mine.get(1).id()));
        Attachment never = saved(ALICE, file("atc_never_sent", null));
        Attachment bob = saved(BOB, file("atc_bob", bobs.id()));

        Store.Deleted deleted = store.deleteAllThreads(ALICE);

        assertThat(deleted.threads()).isEqualTo(2);
        assertThat(deleted.attachments()).containsExactlyInAnyOrder(a1, a2, never);
        assertThat(store.countThreads(ALICE)).isZero();
        for (ThreadMetadata t : mine) {
            assertThatThrownBy(() -> store.loadItems(ALICE, t.id(), null, 20, Order.ASC))
                    .isInstanceOf(NotFoundException.class);
        }
        for (Attachment a : List.of(a1, a2, never)) assertGone(ALICE, a.id());
        // Re-creating an id shows the rows are gone, not only unreachable through the thread.
        store.saveThread(ALICE, mine.get(0));
        assertThat(store.loadItems(ALICE, mine.get(0).id(), null, 20, Order.ASC).data()).isEmpty();
        assertThat(store.loadFeedback(ALICE, mine.get(0).id())).isEmpty();

        assertThat(store.loadThread(BOB, bobs.id())).isEqualTo(bobs);
        assertThat(store.loadItems(BOB, bobs.id(), null, 20, Order.ASC).data()).containsExactly(bobsMessage);
        assertThat(store.loadAttachment(BOB, bob.id())).isEqualTo(bob);

        assertThat(store.deleteAllThreads("user-nobody")).isEqualTo(new Store.Deleted(0, List.of()));
    }

    @Test
    protected void updatingAnAttachmentNeverCreatesOne() {
        Attachment pending = saved(ALICE, file("atc_pending", null));
        Attachment uploaded = new Attachment.File(pending.id(), pending.name(), pending.mimeType(), null, null,
                Map.of("size", 42));
        store.updateAttachment(ALICE, uploaded);
        assertThat(store.loadAttachment(ALICE, pending.id())).isEqualTo(uploaded);

        assertThatThrownBy(() -> store.updateAttachment(BOB, file("atc_pending", null)))
                .isInstanceOf(NotFoundException.class).hasMessage("Attachment atc_pending not found");
        assertThat(store.loadAttachment(ALICE, pending.id())).isEqualTo(uploaded);

        store.deleteAttachment(ALICE, pending.id());
        assertThatThrownBy(() -> store.updateAttachment(ALICE, uploaded)).isInstanceOf(NotFoundException.class);
        assertThat(store.knownAttachmentIds(List.of(pending.id()))).as("a finished upload does not resurrect it")
                .isEmpty();
    }

    @Test
    protected void knownAttachmentIdsAnswersForEveryUserAcrossManyBatches() {
        List<String> asked = new ArrayList<>();
        Set<String> saved = new HashSet<>();
        for (int i = 0; i < 230; i++) {
            String id = "atc_" + i;
            asked.add(id);
            if (i % 3 != 0) {
                saved(i % 2 == 0 ? ALICE : BOB, file(id, null));
                saved.add(id);
            }
        }
        assertThat(store.knownAttachmentIds(asked)).isEqualTo(saved);
        assertThat(store.knownAttachmentIds(List.of())).isEmpty();
        assertThat(store.knownAttachmentIds(List.of("atc_0", "atc_1"))).containsExactly("atc_1");
    }

    @Test
    protected void strayAttachmentsAreThoseBoundToAThreadThatDoesNotExist() {
        ThreadMetadata t = thread(ALICE, T0);
        saved(ALICE, file("atc_bound", t.id()));
        saved(ALICE, file("atc_unbound", null));
        saved(ALICE, file("atc_stray", "thr_deleted"));
        saved(BOB, file("atc_bob_stray", "thr_gone_too"));
        saved(ALICE, file("atc_late", "thr_late"));

        assertThat(store.strayAttachmentIds()).containsExactlyInAnyOrder("atc_stray", "atc_bob_stray", "atc_late");

        // The thread a new message's attachment was bound to arrives after the listing: that one stays.
        store.saveThread(ALICE, ThreadMetadata.create("thr_late", T0));
        Set<String> deleted = store.deleteStrayAttachments(
                List.of("atc_stray", "atc_bob_stray", "atc_late", "atc_bound", "atc_unbound", "atc_missing"));

        assertThat(deleted).containsExactlyInAnyOrder("atc_stray", "atc_bob_stray");
        assertThat(store.knownAttachmentIds(List.of("atc_stray", "atc_bob_stray", "atc_late", "atc_bound",
                "atc_unbound"))).containsExactlyInAnyOrder("atc_late", "atc_bound", "atc_unbound");
        assertThat(store.strayAttachmentIds()).isEmpty();
    }
}
