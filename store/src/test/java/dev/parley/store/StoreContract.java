package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.ThreadStatus;
import dev.parley.protocol.UserMessageContent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, after the reference store tests (protocol §10 items 49-54) plus the
 * guarantees Parley adds: total ordering under equal timestamps, per-user isolation of every method,
 * upsert-in-place. An implementation's test extends this and supplies {@link #newStore(IdGenerator)}.
 */
public abstract class StoreContract extends StoreFixtures {
    // ---- threads (§10 item 49) -----------------------------------------------------------------------

    @Test
    protected void threadMetadataRoundTripsAndKeepsANullTitle() {
        var t = new ThreadMetadata("thr_1", null, T0, ThreadStatus.ACTIVE, null, Map.of("tenant", "acme", "n", 3));
        store.saveThread(ALICE, t);

        ThreadMetadata loaded = store.loadThread(ALICE, "thr_1");
        assertThat(loaded).isEqualTo(t);
        assertThat(loaded.title()).isNull();
        assertThat(loaded.allowedImageDomains()).isNull();
        assertThat(loaded.createdAt()).isEqualTo(T0);
    }

    @Test
    protected void savingAThreadAgainReplacesEveryFieldAndKeepsItsPlace() {
        // Equal timestamps, so only the insertion order keeps first before second.
        ThreadMetadata first = thread(ALICE, T0);
        ThreadMetadata second = thread(ALICE, T0);
        var updated = first.withTitle("Renamed")
                .withStatus(new ThreadStatus.Locked("Because"))
                .withAllowedImageDomains(List.of("img.example", "cdn.example"))
                .withMetadata(Map.of("k", "v", "nested", Map.of("x", List.of(1, 2))));
        store.saveThread(ALICE, updated);
        assertThat(store.loadThread(ALICE, first.id())).isEqualTo(updated);

        var overwritten = updated.withTitle(null).withStatus(new ThreadStatus.Closed(null))
                .withAllowedImageDomains(null).withMetadata(Map.of());
        store.saveThread(ALICE, overwritten);
        assertThat(store.loadThread(ALICE, first.id())).isEqualTo(overwritten);

        assertThat(ids(store.loadThreads(ALICE, 10, null, Order.ASC))).containsExactly(first.id(), second.id());
    }

    @Test
    protected void aThreadSavedBehindIsStoredOnceTheNextWriteReturnsAndAForeignOneIsRefusedQuietly() {
        ThreadMetadata mine = thread(ALICE, T0);
        store.saveThreadBehind(ALICE, mine.withTitle("Titled behind"));
        // The next waited write of the same caller returns only after the one behind it is committed.
        store.addItem(ALICE, message(mine.id(), T0.plusMillis(1), "after the title"));
        assertThat(store.loadThread(ALICE, mine.id()).title()).isEqualTo("Titled behind");

        // Bob's write to Alice's thread changes nothing and throws nothing to the caller (it is only logged).
        store.saveThreadBehind(BOB, mine.withTitle("Not Bob's"));
        store.addItem(ALICE, message(mine.id(), T0.plusMillis(2), "after Bob"));
        assertThat(store.loadThread(ALICE, mine.id()).title()).isEqualTo("Titled behind");
        assertThat(store.countThreads(BOB)).isZero();
    }

    @Test
    protected void threadsAreCountedPerUser() {
        assertThat(store.countThreads(ALICE)).isZero();
        thread(ALICE, T0);
        thread(ALICE, T0.plusMillis(1));
        thread(BOB, T0);
        assertThat(store.countThreads(ALICE)).isEqualTo(2);
        assertThat(store.countThreads(BOB)).isEqualTo(1);
    }

    @Test
    protected void missingThreadIsNotFound() {
        assertThatThrownBy(() -> store.loadThread(ALICE, "thr_missing"))
                .isInstanceOf(NotFoundException.class).hasMessage("Thread thr_missing not found");
        assertThatThrownBy(() -> store.deleteThread(ALICE, "thr_missing")).isInstanceOf(NotFoundException.class);
    }

    // ---- items (§10 items 50, 52) --------------------------------------------------------------------

    @Test
    protected void everyItemTypeRoundTrips() {
        ThreadMetadata t = thread(ALICE, T0);
        List<ThreadItem> items = oneOfEach(t.id());
        for (ThreadItem item : items) store.addItem(ALICE, item);

        for (ThreadItem item : items) assertThat(store.loadItem(ALICE, t.id(), item.id())).isEqualTo(item);
        assertThat(store.loadItems(ALICE, t.id(), null, 50, Order.ASC).data()).containsExactlyElementsOf(items);
    }

    @Test
    protected void userMessageAttachmentsKeepTheirServerMetadataInStorage() {
        ThreadMetadata t = thread(ALICE, T0);
        var msg = (ThreadItem.UserMessage) oneOfEach(t.id()).getFirst();
        store.addItem(ALICE, msg);

        var loaded = (ThreadItem.UserMessage) store.loadItem(ALICE, t.id(), msg.id());
        assertThat(loaded.attachments()).hasSize(2);
        assertThat(loaded.attachments().get(0)).isInstanceOf(Attachment.File.class)
                .extracting(Attachment::metadata).isEqualTo(Map.of("storage_key", "k/1", "size", 12));
        assertThat(loaded.attachments().get(1)).isInstanceOfSatisfying(Attachment.Image.class, img -> {
            assertThat(img.metadata()).isEqualTo(Map.of("owner_note", "server only"));
            assertThat(img.previewUrl()).isEqualTo("https://cdn.example/cat.png");
            assertThat(img.uploadDescriptor().headers()).isEqualTo(Map.of("X-My-Header", "v"));
        });
    }

    @Test
    protected void loadItemReturnsTheItemAndAMissingOneIsNotFound() {
        ThreadMetadata t = thread(ALICE, T0);
        var m = message(t.id(), T0, "hi");
        store.addItem(ALICE, m);

        assertThat(store.loadItem(ALICE, t.id(), m.id())).isEqualTo(m);
        assertThatThrownBy(() -> store.loadItem(ALICE, t.id(), "msg_missing"))
                .isInstanceOf(NotFoundException.class).hasMessage("Item msg_missing not found");
        assertThatThrownBy(() -> store.loadItem(ALICE, "thr_missing", m.id()))
                .isInstanceOf(NotFoundException.class).hasMessage("Thread thr_missing not found");
        ThreadMetadata other = thread(ALICE, T0);
        assertThatThrownBy(() -> store.loadItem(ALICE, other.id(), m.id()))
                .as("an item is only found through its own thread")
                .isInstanceOf(NotFoundException.class).hasMessage("Item " + m.id() + " not found");
    }

    @Test
    protected void itemsOnAMissingThreadAreNotFound() {
        var m = message("thr_missing", T0, "hi");
        assertThatThrownBy(() -> store.addItem(ALICE, m)).isInstanceOf(NotFoundException.class)
                .hasMessage("Thread thr_missing not found");
        assertThatThrownBy(() -> store.saveItem(ALICE, m)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.loadItems(ALICE, "thr_missing", null, 20, Order.DESC))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.deleteItems(ALICE, "thr_missing", List.of(m.id())))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    protected void addingAnItemWhoseIdExistsFailsAndKeepsTheOriginal() {
        ThreadMetadata t = thread(ALICE, T0);
        var m = message(t.id(), T0, "original");
        store.addItem(ALICE, m);
        var clash = new ThreadItem.AssistantMessage(m.id(), t.id(), T0, List.of(AssistantContent.of("clash")));

        assertThatThrownBy(() -> store.addItem(ALICE, clash)).isInstanceOf(StoreException.class);
        assertThat(store.loadItem(ALICE, t.id(), m.id())).isEqualTo(m);
    }

    @Test
    protected void createThreadStoresTheThreadAndItsFirstItemTogether() {
        var t = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), T0);
        var m = message(t.id(), T0, "first");
        store.createThread(ALICE, t, m);

        assertThat(store.loadThread(ALICE, t.id())).isEqualTo(t);
        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(m);
        // Another user's thread id is refused, and their thread keeps its items.
        assertThatThrownBy(() -> store.createThread(BOB, t, message(t.id(), T0, "intruder")))
                .isInstanceOf(NotFoundException.class);
        // A taken item id fails the whole write: the thread's new title is not saved either.
        var clash = new ThreadItem.AssistantMessage(m.id(), t.id(), T0, List.of(AssistantContent.of("clash")));
        assertThatThrownBy(() -> store.createThread(ALICE, t.withTitle("renamed"), clash))
                .isInstanceOf(StoreException.class);
        assertThat(store.loadThread(ALICE, t.id())).isEqualTo(t);
        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(m);
    }

    @Test
    protected void saveItemReplacesInPlaceOrAppends() {
        ThreadMetadata t = thread(ALICE, T0);
        // Equal timestamps, so only the insertion order keeps b between a and c.
        var a = message(t.id(), T0, "a");
        var b = message(t.id(), T0, "b");
        var c = message(t.id(), T0, "c");
        for (var m : List.of(a, b, c)) store.addItem(ALICE, m);

        // Replaced content, and even a later timestamp, must not move b (thread.item.replaced).
        var b2 = new ThreadItem.AssistantMessage(b.id(), t.id(), T0.plusSeconds(60), List.of(AssistantContent.of("B!")));
        store.saveItem(ALICE, b2);
        var d = message(t.id(), T0, "d");
        store.saveItem(ALICE, d);

        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(a, b2, c, d);
        assertThat(store.loadItem(ALICE, t.id(), b.id())).isEqualTo(b2);
    }

    @Test
    protected void saveItemCanChangeTheItemType() {
        ThreadMetadata t = thread(ALICE, T0);
        var m = message(t.id(), T0, "partial");
        store.addItem(ALICE, m);
        var w = new ThreadItem.Widget(m.id(), t.id(), T0, json("{\"type\":\"Card\",\"children\":[]}"), null);
        store.saveItem(ALICE, w);
        assertThat(store.loadItem(ALICE, t.id(), m.id())).isEqualTo(w);
    }

    @Test
    protected void deleteItemsRemovesOnlyTheGivenOnesAndIgnoresUnknownIds() {
        ThreadMetadata t = thread(ALICE, T0);
        List<ThreadItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) items.add(message(t.id(), T0.plusMillis(i), "m" + i));
        items.forEach(m -> store.addItem(ALICE, m));

        store.deleteItems(ALICE, t.id(), List.of(items.get(1).id(), items.get(3).id(), "msg_unknown"));
        store.deleteItems(ALICE, t.id(), List.of());

        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data())
                .containsExactly(items.get(0), items.get(2), items.get(4));
        assertThatThrownBy(() -> store.loadItem(ALICE, t.id(), items.get(1).id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    protected void deleteThreadRemovesItsItemsAndFeedback() {
        ThreadMetadata t = thread(ALICE, T0);
        ThreadMetadata kept = thread(ALICE, T0);
        var m = message(t.id(), T0, "gone");
        var k = message(kept.id(), T0, "kept");
        store.addItem(ALICE, m);
        store.addItem(ALICE, k);
        store.addFeedback(ALICE, new Feedback(t.id(), List.of(m.id()), "positive", T0));

        store.deleteThread(ALICE, t.id());

        assertThatThrownBy(() -> store.loadThread(ALICE, t.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.loadItems(ALICE, t.id(), null, 20, Order.ASC)).isInstanceOf(NotFoundException.class);
        assertThat(ids(store.loadThreads(ALICE, 20, null, Order.ASC))).containsExactly(kept.id());
        assertThat(store.loadItems(ALICE, kept.id(), null, 20, Order.ASC).data()).containsExactly(k);
        // Re-creating the same id must not resurrect anything: the rows are gone, not just hidden.
        store.saveThread(ALICE, t);
        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).isEmpty();
        assertThat(store.loadFeedback(ALICE, t.id())).isEmpty();
        store.addItem(ALICE, m);
        assertThat(store.loadItem(ALICE, t.id(), m.id())).isEqualTo(m);
    }

    // ---- paging (§10 item 51, scenarios 15, 16, 33) ---------------------------------------------------

    @Test
    protected void threadsPageNewestFirstInPagesOfTwenty() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) created.add(thread(ALICE, T0.plusSeconds(i)).id());
        List<String> newestFirst = created.reversed();

        Page<ThreadMetadata> first = store.loadThreads(ALICE, 20, null, Order.DESC);
        assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 20));
        assertThat(first.hasMore()).isTrue();
        assertThat(first.after()).isEqualTo(newestFirst.get(19));

        Page<ThreadMetadata> second = store.loadThreads(ALICE, 20, first.after(), Order.DESC);
        assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(20, 25));
        assertThat(second.hasMore()).isFalse();
        assertThat(second.after()).isNull();
    }

    @Test
    protected void threadsPageOldestFirstInAscendingOrder() {
        List<String> created = new ArrayList<>();
        // Created out of time order: the list follows created_at, not insertion.
        for (int i = 24; i >= 0; i--) created.addFirst(thread(ALICE, T0.plusSeconds(i)).id());

        Page<ThreadMetadata> first = store.loadThreads(ALICE, 10, null, Order.ASC);
        assertThat(ids(first)).containsExactlyElementsOf(created.subList(0, 10));
        Page<ThreadMetadata> second = store.loadThreads(ALICE, 10, first.after(), Order.ASC);
        assertThat(ids(second)).containsExactlyElementsOf(created.subList(10, 20));
        Page<ThreadMetadata> third = store.loadThreads(ALICE, 10, second.after(), Order.ASC);
        assertThat(ids(third)).containsExactlyElementsOf(created.subList(20, 25));
        assertThat(third.hasMore()).isFalse();
        assertThat(third.after()).isNull();
    }

    @Test
    protected void aLimitOfZeroOrLessMeansTwentyAndAnExactFitHasNoMore() {
        for (int i = 0; i < 21; i++) thread(ALICE, T0.plusSeconds(i));
        assertThat(store.loadThreads(ALICE, 0, null, Order.DESC).data()).hasSize(20);
        assertThat(store.loadThreads(ALICE, -5, null, Order.DESC).hasMore()).isTrue();
        Page<ThreadMetadata> all = store.loadThreads(ALICE, 21, null, Order.DESC);
        assertThat(all.data()).hasSize(21);
        assertThat(all.hasMore()).isFalse();
        assertThat(all.after()).isNull();
    }

    @Test
    protected void itemsPageInBothOrdersWithAfter() {
        ThreadMetadata t = thread(ALICE, T0);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            var m = message(t.id(), T0.plusMillis(i), "m" + i);
            store.addItem(ALICE, m);
            ids.add(m.id());
        }

        Page<ThreadItem> desc1 = store.loadItems(ALICE, t.id(), null, 20, Order.DESC);
        assertThat(ids(desc1)).containsExactlyElementsOf(ids.reversed().subList(0, 20));
        assertThat(desc1.hasMore()).isTrue();
        Page<ThreadItem> desc2 = store.loadItems(ALICE, t.id(), desc1.after(), 20, Order.DESC);
        assertThat(ids(desc2)).containsExactlyElementsOf(ids.reversed().subList(20, 26));
        assertThat(desc2.hasMore()).isFalse();
        assertThat(desc2.after()).isNull();

        Page<ThreadItem> asc = store.loadItems(ALICE, t.id(), ids.get(9), 5, Order.ASC);
        assertThat(ids(asc)).containsExactlyElementsOf(ids.subList(10, 15));
        assertThat(asc.after()).isEqualTo(ids.get(14));
        Page<ThreadItem> descAfter = store.loadItems(ALICE, t.id(), ids.get(9), 20, Order.DESC);
        assertThat(ids(descAfter)).containsExactlyElementsOf(ids.subList(0, 9).reversed());
        assertThat(store.loadItems(ALICE, t.id(), ids.getLast(), 20, Order.ASC).data()).isEmpty();
    }

    @Test
    protected void equalTimestampsPageInInsertionOrderWithoutDuplicatesOrGaps() {
        ThreadMetadata t = thread(ALICE, T0);
        List<String> itemIds = new ArrayList<>();
        List<String> threadIds = new ArrayList<>(List.of(t.id()));
        for (int i = 0; i < 23; i++) {
            var m = message(t.id(), T0, "same time " + i);
            store.addItem(ALICE, m);
            itemIds.add(m.id());
            threadIds.add(thread(ALICE, T0).id());
        }

        assertThat(drain(after -> store.loadItems(ALICE, t.id(), after, 4, Order.ASC))).isEqualTo(itemIds);
        assertThat(drain(after -> store.loadItems(ALICE, t.id(), after, 5, Order.DESC))).isEqualTo(itemIds.reversed());
        assertThat(drain(after -> store.loadThreads(ALICE, 3, after, Order.ASC))).isEqualTo(threadIds);
        assertThat(drain(after -> store.loadThreads(ALICE, 7, after, Order.DESC))).isEqualTo(threadIds.reversed());
    }

    /** Follows the cursor to the end, collecting ids; fails rather than loop forever. */
    private static List<String> drain(Function<String, Page<?>> pages) {
        List<String> all = new ArrayList<>();
        String after = null;
        for (int guard = 0; guard < 1000; guard++) {
            Page<?> page = pages.apply(after);
            all.addAll(ids(page));
            if (!page.hasMore()) {
                assertThat(page.after()).isNull();
                return all;
            }
            assertThat(page.after()).isEqualTo(all.getLast());
            after = page.after();
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    protected void anUnknownAfterIdStartsFromTheBeginning() {
        ThreadMetadata t = thread(ALICE, T0);
        var m = message(t.id(), T0, "m");
        store.addItem(ALICE, m);
        assertThat(ids(store.loadThreads(ALICE, 20, "thr_unknown", Order.DESC))).containsExactly(t.id());
        assertThat(ids(store.loadItems(ALICE, t.id(), "msg_unknown", 20, Order.ASC))).containsExactly(m.id());
    }

    // ---- what a second backend could get wrong ---------------------------------------------------------

    @Test
    protected void timestampsKeepMicrosecondsAndOrderByThemNotByInsertion() {
        ThreadMetadata t = thread(ALICE, T0.plusNanos(7_000));
        assertThat(store.loadThread(ALICE, t.id()).createdAt()).isEqualTo(T0.plusNanos(7_000));
        // One microsecond apart, inserted out of order: a store that kept milliseconds (or sorted by insertion)
        // would return them as inserted.
        var third = message(t.id(), T0.plusNanos(3_000), "third");
        var first = message(t.id(), T0.plusNanos(1_000), "first");
        var second = message(t.id(), T0.plusNanos(2_000), "second");
        for (var m : List.of(third, first, second)) store.addItem(ALICE, m);
        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(first, second, third);
        assertThat(store.loadItems(ALICE, t.id(), first.id(), 20, Order.ASC).data()).containsExactly(second, third);
        assertThat(store.loadItem(ALICE, t.id(), second.id()).createdAt()).isEqualTo(T0.plusNanos(2_000));

        // Before the epoch and far ahead: the column is an integer count of microseconds, negative or large.
        ThreadMetadata old = thread(ALICE, Instant.parse("1969-12-31T23:59:59.999999Z"));
        ThreadMetadata future = thread(ALICE, Instant.parse("2999-01-01T00:00:00.000001Z"));
        assertThat(store.loadThread(ALICE, old.id()).createdAt()).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(ids(store.loadThreads(ALICE, 10, null, Order.ASC))).containsExactly(old.id(), t.id(), future.id());
    }

    @Test
    protected void unicodeAndAwkwardTextRoundTripExactly() {
        String text = "emoji \uD83D\uDE00\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 cjk \u4F60\u597D rtl \u0645\u0631\u062D\u0628\u0627 "
                + "combining e\u0301 nul[\u0000] quote\" backslash\\ newline\n tab\t 4-byte \uD834\uDD1E";
        String user = "user-\u00F1\u7528\u6237-\uD83D\uDE00";
        var t = ThreadMetadata.create("thr_\u00FC\u00F1\u00EF", T0).withTitle(text)
                .withMetadata(Map.of("cl\u00E9", text));
        store.saveThread(user, t);
        var m = new ThreadItem.UserMessage("msg_\u00FC", t.id(), T0, List.of(new UserMessageContent.InputText(text)),
                List.of(), null, null);
        store.addItem(user, m);

        assertThat(store.loadThread(user, t.id())).isEqualTo(t);
        assertThat(store.loadItem(user, t.id(), m.id())).isEqualTo(m);
        assertThat(ids(store.loadThreads(user, 20, null, Order.DESC))).containsExactly(t.id());
        assertThat(ids(store.loadItems(user, t.id(), null, 20, Order.ASC))).containsExactly(m.id());
        // Ids and users compare exactly: no case folding or normalisation.
        assertThatThrownBy(() -> store.loadThread(user.toUpperCase(java.util.Locale.ROOT), t.id()))
                .isInstanceOf(NotFoundException.class);
        var upper = ThreadMetadata.create("THR_\u00DC\u00D1\u00CF", T0);
        store.saveThread(user, upper);
        assertThat(store.loadThread(user, t.id())).isEqualTo(t);
        assertThat(ids(store.loadThreads(user, 20, null, Order.ASC))).containsExactly(t.id(), upper.id());
    }

    @Test
    protected void concurrentWritersLoseNothingAndEachWritersItemsKeepTheirOrder() throws Exception {
        ThreadMetadata shared = thread(ALICE, T0);
        int writers = 16;
        int each = 20;
        List<List<String>> written = new ArrayList<>();
        for (int w = 0; w < writers; w++) written.add(new ArrayList<>());
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                List<String> mine = written.get(w);
                String user = w % 2 == 0 ? ALICE : BOB;
                done.add(pool.submit(() -> {
                    // Everyone writes at the same timestamp, so only insertion order separates the items.
                    var own = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), T0);
                    store.saveThread(user, own);
                    for (int i = 0; i < each; i++) {
                        var m = message(shared.id(), T0, "w" + i);
                        if (user.equals(ALICE)) {
                            store.addItem(ALICE, m);
                            mine.add(m.id());
                        }
                        store.addItem(user, message(own.id(), T0, "own" + i));
                    }
                    return null;
                }));
            }
        }
        for (var f : done) f.get();

        List<String> all = drain(after -> store.loadItems(ALICE, shared.id(), after, 7, Order.ASC));
        assertThat(all).doesNotHaveDuplicates().hasSize(writers / 2 * each);
        for (List<String> mine : written) {
            assertThat(all.stream().filter(mine::contains).toList()).as("one writer's items in its order").isEqualTo(mine);
        }
        assertThat(drain(after -> store.loadItems(ALICE, shared.id(), after, 9, Order.DESC))).isEqualTo(all.reversed());
        assertThat(store.loadThreads(ALICE, 100, null, Order.DESC).data()).hasSize(writers / 2 + 1);
        assertThat(store.loadThreads(BOB, 100, null, Order.DESC).data()).hasSize(writers / 2);
    }

    // ---- isolation (§10 item 53) ---------------------------------------------------------------------

    @Test
    protected void anotherUsersRecordsAreNotFoundAndStayUntouched() {
        ThreadMetadata t = thread(ALICE, T0).withTitle("Alice's");
        store.saveThread(ALICE, t);
        var m = message(t.id(), T0, "private");
        store.addItem(ALICE, m);
        Attachment a = fileAttachment(t.id());
        store.saveAttachment(ALICE, a);
        var fb = new Feedback(t.id(), List.of(m.id()), "positive", T0);
        store.addFeedback(ALICE, fb);

        String threadMissing = "Thread " + t.id() + " not found";
        String attachmentMissing = "Attachment " + a.id() + " not found";
        var intruder = message(t.id(), T0, "intrusion");
        var replaced = new ThreadItem.AssistantMessage(m.id(), t.id(), T0, List.of(AssistantContent.of("hijacked")));
        List<Runnable> attempts = List.of(
                () -> store.loadThread(BOB, t.id()),
                () -> store.saveThread(BOB, t.withTitle("Bob's now")),
                () -> store.deleteThread(BOB, t.id()),
                () -> store.loadItems(BOB, t.id(), null, 20, Order.ASC),
                () -> store.loadItem(BOB, t.id(), m.id()),
                () -> store.addItem(BOB, intruder),
                () -> store.saveItem(BOB, replaced),
                () -> store.deleteItems(BOB, t.id(), List.of(m.id())),
                () -> store.addFeedback(BOB, new Feedback(t.id(), List.of(m.id()), "negative", T0)),
                () -> store.loadFeedback(BOB, t.id()));
        for (Runnable attempt : attempts) {
            assertThatThrownBy(attempt::run).isInstanceOf(NotFoundException.class).hasMessage(threadMissing);
        }
        for (Runnable attempt : List.<Runnable>of(
                () -> store.loadAttachment(BOB, a.id()),
                () -> store.saveAttachment(BOB, a.withThreadId(null)),
                () -> store.deleteAttachment(BOB, a.id()))) {
            assertThatThrownBy(attempt::run).isInstanceOf(NotFoundException.class).hasMessage(attachmentMissing);
        }
        assertThat(store.loadThreads(BOB, 20, null, Order.DESC).data()).isEmpty();
        assertThat(store.loadThreads(BOB, 20, t.id(), Order.DESC).data())
                .as("another user's id as a cursor reveals nothing").isEmpty();

        assertThat(store.loadThread(ALICE, t.id())).isEqualTo(t);
        assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(m);
        assertThat(store.loadAttachment(ALICE, a.id())).isEqualTo(a);
        assertThat(store.loadFeedback(ALICE, t.id())).containsExactly(fb);
    }

    // ---- attachments and feedback --------------------------------------------------------------------

    @Test
    protected void attachmentMetadataRoundTripsUpsertsAndDeletes() {
        Attachment.Image img = imageAttachment(null);
        store.saveAttachment(ALICE, img);
        assertThat(store.loadAttachment(ALICE, img.id())).isEqualTo(img);

        ThreadMetadata t = thread(ALICE, T0);
        Attachment bound = img.withThreadId(t.id()).withoutUploadDescriptor();
        store.saveAttachment(ALICE, bound);
        assertThat(store.loadAttachment(ALICE, img.id())).isEqualTo(bound);
        assertThat(store.loadAttachment(ALICE, img.id()).metadata()).isEqualTo(Map.of("owner_note", "server only"));

        store.deleteAttachment(ALICE, img.id());
        assertThatThrownBy(() -> store.loadAttachment(ALICE, img.id()))
                .isInstanceOf(NotFoundException.class).hasMessage("Attachment atc_img1 not found");
        assertThatThrownBy(() -> store.deleteAttachment(ALICE, img.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    protected void feedbackRoundTripsOldestFirst() {
        ThreadMetadata t = thread(ALICE, T0);
        ThreadMetadata other = thread(ALICE, T0);
        var up = new Feedback(t.id(), List.of("msg_1", "msg_2"), "positive", T0.plusSeconds(2));
        var down = new Feedback(t.id(), List.of("wd_1"), "negative", T0.plusSeconds(1));
        store.addFeedback(ALICE, up);
        store.addFeedback(ALICE, down);
        store.addFeedback(ALICE, new Feedback(other.id(), List.of("x"), "positive", T0));

        assertThat(store.loadFeedback(ALICE, t.id())).containsExactly(down, up);
        assertThatThrownBy(() -> store.addFeedback(ALICE, new Feedback("thr_missing", List.of(), "positive", T0)))
                .isInstanceOf(NotFoundException.class);
    }

    // ---- ids (§10 item 54) ---------------------------------------------------------------------------

    @Test
    protected void defaultIdsCarryTheKindsPrefix() {
        for (IdKind kind : IdKind.values()) {
            String id = store.ids().newId(kind);
            assertThat(id).startsWith(kind.prefix() + "_").matches("[a-z]+_[0-9a-f]{28}");
            assertThat(store.ids().newId(kind)).isNotEqualTo(id);
        }
        // Time first, so a later id sorts after an earlier one (B-trees take them at their right edge).
        String earlier = store.ids().newId(IdKind.THREAD);
        long until = System.currentTimeMillis() + 2;
        while (System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        assertThat(store.ids().newId(IdKind.THREAD)).isGreaterThan(earlier);
        assertThat(store.ids().newId(IdKind.THREAD)).startsWith("thr_");
        assertThat(store.ids().newId(IdKind.MESSAGE)).startsWith("msg_");
    }

    @Test
    protected void aCustomIdGeneratorIsHonoured() {
        var n = new AtomicInteger();
        Store custom = open(kind -> kind.prefix() + "_custom_" + n.incrementAndGet());
        assertThat(custom.ids().newId(IdKind.THREAD)).isEqualTo("thr_custom_1");
        assertThat(custom.ids().newId(IdKind.MESSAGE)).isEqualTo("msg_custom_2");

        var t = ThreadMetadata.create(custom.ids().newId(IdKind.THREAD), T0);
        custom.saveThread(ALICE, t);
        assertThat(custom.loadThread(ALICE, "thr_custom_3")).isEqualTo(t);
    }
}
