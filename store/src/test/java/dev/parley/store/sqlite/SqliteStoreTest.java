package dev.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.Feedback;
import dev.parley.store.IdGenerator;
import dev.parley.store.IdKind;
import dev.parley.store.NotFoundException;
import dev.parley.store.Store;
import dev.parley.store.StoreContract;
import dev.parley.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real SQLite file, plus what only this implementation promises. */
class SqliteStoreTest extends StoreContract {
    @TempDir Path dir;
    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected Store newStore(IdGenerator ids) {
        return SqliteStore.open(dir.resolve("store-" + files.incrementAndGet() + ".db"), ids);
    }

    private SqliteStore sqlite() {
        return (SqliteStore) store;
    }

    @Test
    void dataSurvivesReopeningAndTheMigrationRunsOnce() {
        Path file = dir.resolve("nested/dir/chat.db");
        ThreadMetadata t;
        ThreadItem.AssistantMessage before;
        try (SqliteStore first = SqliteStore.open(file)) {
            t = ThreadMetadata.create("thr_keep", T0).withTitle("Kept");
            first.saveThread(ALICE, t);
            before = new ThreadItem.AssistantMessage("msg_before", t.id(), T0, List.of());
            first.addItem(ALICE, before);
            first.saveAttachment(ALICE, new Attachment.File("atc_1", "a.txt", "text/plain", null, t.id(), Map.of("k", "v")));
            first.addFeedback(ALICE, new Feedback(t.id(), List.of(before.id()), "positive", T0));
        }
        try (SqliteStore second = SqliteStore.open(file)) {
            assertThat(second.loadThread(ALICE, t.id())).isEqualTo(t);
            assertThat(second.loadAttachment(ALICE, "atc_1").metadata()).isEqualTo(Map.of("k", "v"));
            assertThat(second.loadFeedback(ALICE, t.id())).hasSize(1);
            // The insertion sequence continues after a reopen: an item with the same timestamp sorts after.
            var after = new ThreadItem.AssistantMessage("msg_after", t.id(), T0, List.of());
            second.addItem(ALICE, after);
            assertThat(second.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(before, after);

            List<String> history = second.read(r -> r.list(
                    "SELECT version || ':' || success FROM flyway_schema_history ORDER BY installed_rank",
                    rs -> rs.getString(1)));
            // Each migration applied once and successfully, however often the file is opened.
            assertThat(history).containsExactly("1:1", "2:1", "3:1", "4:1", "5:1", "6:1", "7:1", "9:1", "10:1");
        }
    }

    @Test
    void theStorageNamesItsFileForTheStartUpLog() {
        Path file = dir.resolve("named.db");
        try (SqliteStore named = SqliteStore.open(file)) {
            assertThat(named.storage().description()).isEqualTo("SQLite " + file.toAbsolutePath());
        }
    }

    @Test
    void theFileIsInWalModeWithNormalSyncAndForeignKeys() {
        assertThat(pragma("journal_mode")).isEqualTo("wal");
        assertThat(pragma("foreign_keys")).isEqualTo("1");
        int synchronous = sqlite().writer().write(tx -> {
            try (var rs = tx.prepare("PRAGMA synchronous").executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(synchronous).as("1 = NORMAL").isEqualTo(1);
        assertThat(Integer.parseInt(pragma("busy_timeout"))).isPositive();
        assertThat(pragma("query_only")).as("read connections").isEqualTo("1");
    }

    private String pragma(String name) {
        return sqlite().read(r -> r.one("PRAGMA " + name, rs -> rs.getString(1))).orElseThrow();
    }

    @Test
    void readConnectionsRefuseToWrite() {
        assertThatThrownBy(() -> sqlite().read(r -> r.exists(
                "INSERT INTO threads (id, user_id, created_at, seq, json) VALUES ('x', 'u', 0, 0, '{}') RETURNING id")))
                .isInstanceOf(StoreException.class).hasMessageContaining("readonly");
    }

    @Test
    void manyVirtualThreadsWritingAtOnceAllCommitAndAreReadable() throws Exception {
        int writers = 200;
        int itemsEach = 50;
        long commitsBefore = sqlite().writer().commits();
        List<String> threadIds = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String user = "user-" + w;
                done.add(pool.submit(() -> {
                    ThreadMetadata t = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), T0);
                    store.saveThread(user, t);
                    for (int i = 0; i < itemsEach; i++) store.addItem(user, message(t.id(), T0.plusMillis(i), "m" + i));
                    return t.id();
                }));
            }
            for (Future<String> f : done) threadIds.add(f.get());
        }
        for (int w = 0; w < writers; w++) {
            var page = store.loadItems("user-" + w, threadIds.get(w), null, 100, Order.ASC);
            assertThat(page.data()).hasSize(itemsEach);
            assertThat(page.data()).extracting(ThreadItem::createdAt).isSorted();
            assertThat(store.loadThreads("user-" + w, 20, null, Order.DESC).data()).hasSize(1);
        }
        long writes = (long) writers * (itemsEach + 1);
        assertThat(sqlite().writer().commits() - commitsBefore).isBetween(1L, writes);
    }

    /** Runs on the writer thread: signals that it got there, then keeps the writer busy until released. */
    private static Void hold(CountDownLatch entered, CountDownLatch release) {
        entered.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /**
     * Holds the writer inside an operation so that the next operations queue up behind it, then releases
     * it: everything queued meanwhile must go into one batch.
     */
    private final class Gate implements AutoCloseable {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder;

        Gate() throws InterruptedException {
            holder = Thread.ofVirtual().start(() -> sqlite().writer().write(tx -> hold(entered, release)));
            entered.await();
        }

        void awaitQueued(int n) {
            // Not a timing sleep: the writer is parked on the latch, so the queue can only grow to n.
            while (sqlite().writer().queued() < n) Thread.onSpinWait();
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void oneFailingOperationInABatchDoesNotCostTheOthersTheirWrites() throws Exception {
        ThreadMetadata alices = thread(ALICE, T0);
        List<ThreadMetadata> own = new ArrayList<>();
        for (int i = 0; i < 10; i++) own.add(thread("user-" + i, T0));

        List<Future<?>> results = new ArrayList<>();
        long commits;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Gate gate = new Gate()) {
                for (int i = 0; i < 10; i++) {
                    String user = "user-" + i;
                    ThreadMetadata t = own.get(i);
                    results.add(pool.submit(() -> store.addItem(user, message(t.id(), T0, "ok"))));
                }
                // Bob writes into Alice's thread in the middle of the batch.
                results.add(pool.submit(() -> store.addItem(BOB, message(alices.id(), T0, "intrusion"))));
                gate.awaitQueued(11);
                commits = sqlite().writer().commits();
            }
            for (Future<?> f : results.subList(0, 10)) f.get();
            assertThatThrownBy(() -> results.get(10).get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NotFoundException.class);
        }
        assertThat(sqlite().writer().commits() - commits).as("the gate's batch, then all eleven in one").isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            assertThat(store.loadItems("user-" + i, own.get(i).id(), null, 20, Order.ASC).data()).hasSize(1);
        }
        assertThat(store.loadItems(ALICE, alices.id(), null, 20, Order.ASC).data()).isEmpty();
    }

    @Test
    void aDatabaseErrorInABatchIsConfinedToItsOperationAndRolledBack() throws Exception {
        List<ThreadMetadata> own = new ArrayList<>();
        for (int i = 0; i < 5; i++) own.add(thread("user-" + i, T0));

        List<Future<?>> fine = new ArrayList<>();
        Future<?> broken;
        long commits;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            try (Gate gate = new Gate()) {
                for (int i = 0; i < 5; i++) {
                    String user = "user-" + i;
                    ThreadMetadata t = own.get(i);
                    fine.add(pool.submit(() -> store.addItem(user, message(t.id(), T0, "ok"))));
                }
                // Writes a thread, then fails: its write must be undone, the others' kept.
                broken = pool.submit(() -> sqlite().writer().write(tx -> {
                    tx.prepare("INSERT INTO threads (id, user_id, created_at, seq, json) "
                            + "VALUES ('thr_partial', 'user-x', 0, 0, '{}')").executeUpdate();
                    return tx.prepare("INSERT INTO no_such_table VALUES (1)").executeUpdate();
                }));
                gate.awaitQueued(6);
                commits = sqlite().writer().commits();
            }
            for (Future<?> f : fine) f.get();
            assertThatThrownBy(broken::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class).hasMessageContaining("no_such_table");
        }
        assertThat(sqlite().writer().commits() - commits).as("the gate's batch, then the five retried together")
                .isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assertThat(store.loadItems("user-" + i, own.get(i).id(), null, 20, Order.ASC).data()).hasSize(1);
        }
        assertThatThrownBy(() -> store.loadThread("user-x", "thr_partial")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void closeCommitsWritesAlreadyQueuedAndRefusesNewOnes() throws Exception {
        Path file = dir.resolve("closing.db");
        SqliteStore closing = SqliteStore.open(file);
        ThreadMetadata t = ThreadMetadata.create("thr_close", T0);
        closing.saveThread(ALICE, t);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        List<Future<?>> queued = new ArrayList<>();
        Thread closer;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread holder = Thread.ofVirtual().start(() -> closing.writer().write(tx -> hold(entered, release)));
            entered.await();
            for (int i = 0; i < 5; i++) {
                var m = new ThreadItem.EndOfTurn("eot_" + i, t.id(), T0);
                queued.add(pool.submit(() -> closing.addItem(ALICE, m)));
            }
            while (closing.writer().queued() < 5) Thread.onSpinWait();
            closer = Thread.ofVirtual().start(closing::close);
            // The close is now waiting behind the held batch, its stop marker queued after the five.
            while (closing.writer().queued() < 6) Thread.onSpinWait();
            release.countDown();
            holder.join();
            closer.join();
            for (Future<?> f : queued) f.get();
        }
        assertThatThrownBy(() -> closing.saveThread(ALICE, t)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> closing.loadThread(ALICE, t.id())).isInstanceOf(IllegalStateException.class);
        closing.close();
        try (SqliteStore reopened = SqliteStore.open(file)) {
            assertThat(reopened.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).hasSize(5);
        }
    }

    @Test
    void aCheckpointBetweenTwoCommitsLetsTheNextOneRewindTheWal() throws Exception {
        ThreadMetadata t = thread(ALICE, T0);
        // Three hundred items in one commit: nothing can rewind the WAL in the middle of a transaction.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writes = new ArrayList<>();
            try (Gate gate = new Gate()) {
                for (int i = 0; i < 300; i++) {
                    var m = message(t.id(), T0.plusMillis(i), "x".repeat(500));
                    writes.add(pool.submit(() -> store.addItem(ALICE, m)));
                }
                gate.awaitQueued(300);
            }
            for (Future<?> f : writes) f.get();
        }
        sqlite().checkpointer().catchUp();
        long grown = sqlite().checkpointer().walFrames();
        assertThat(grown).isGreaterThan(50);

        store.addItem(ALICE, message(t.id(), T0, "after the checkpoint"));
        sqlite().checkpointer().catchUp();
        assertThat(sqlite().checkpointer().walFrames()).as("frames after the rewind").isLessThan(10);
    }

    @Test
    void readsKeepTheirStatementsButNoSnapshotSoTheWalStillRewinds() throws Exception {
        ThreadMetadata t = thread(ALICE, T0);
        for (int i = 0; i < 200; i++) store.addItem(ALICE, message(t.id(), T0.plusMillis(i), "y".repeat(500)));
        // Every read connection runs the same queries several times (its statements prepared once, then
        // reused), including a query that ends in an error and one that reads the first of its rows only.
        for (int round = 0; round < 12; round++) {
            assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.DESC).data()).hasSize(20);
            assertThat(store.loadThreads(ALICE, 10, null, Order.DESC).data()).extracting(ThreadMetadata::id).contains(t.id());
            assertThatThrownBy(() -> store.loadItems(BOB, t.id(), null, 20, Order.ASC)).isInstanceOf(NotFoundException.class);
            assertThat(store.loadItems(ALICE, t.id(), null, 1, Order.ASC).hasMore()).isTrue();
            assertThat(store.loadThread(ALICE, t.id()).id()).isEqualTo(t.id());
        }
        sqlite().checkpointer().catchUp();
        assertThat(sqlite().checkpointer().walFrames()).isGreaterThan(50);
        // A reader still holding a snapshot would keep the checkpoint from reaching the end, and the WAL from
        // rewinding.
        store.addItem(ALICE, message(t.id(), T0, "after the reads"));
        sqlite().checkpointer().catchUp();
        assertThat(sqlite().checkpointer().walFrames()).as("frames after the rewind").isLessThan(10);
        assertThat(store.loadItems(ALICE, t.id(), null, 300, Order.ASC).data()).hasSize(201);
    }

    @Test
    void theWalStaysBoundedUnderAStreamOfSmallCommits() {
        ThreadMetadata t = thread(ALICE, T0);
        long forcedBefore = sqlite().checkpointer().forcedCatchUps();
        int commits = 4 * Checkpointer.REWIND_COMMITS;
        for (int i = 0; i < commits; i++) store.addItem(ALICE, message(t.id(), T0.plusMillis(i), "m" + i));
        // The background checkpointer often wins a rewind by itself between two sequential commits, but
        // that is luck; the writer's own catch-up is what bounds the WAL.
        assertThat(sqlite().checkpointer().forcedCatchUps() - forcedBefore).isGreaterThanOrEqualTo(3);
        sqlite().checkpointer().catchUp();
        // Each of these commits adds about 3.4 pages, so without rewinds the WAL would hold some 3500; a
        // rewind at least every REWIND_COMMITS commits bounds it to about 900.
        assertThat(sqlite().checkpointer().walFrames()).isLessThan(1500);
    }

    @Test
    void anInterruptedThreadCanStillReadAndWrite() {
        ThreadMetadata t = thread(ALICE, T0);
        Thread.currentThread().interrupt();
        try {
            store.addItem(ALICE, message(t.id(), T0, "saved while cancelling"));
            assertThat(store.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).hasSize(1);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
