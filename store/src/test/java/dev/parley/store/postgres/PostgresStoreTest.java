package dev.parley.store.postgres;

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
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real PostgreSQL (one embedded server per JVM, one database per store), plus what
 * only this implementation promises: several stores on one database behave as one, and start-up failures
 * say what to fix without showing the password.
 */
class PostgresStoreTest extends StoreContract {
    private final List<Store> extra = new ArrayList<>();
    private String url;

    @Override
    protected Store newStore(IdGenerator ids) {
        url = TestPostgres.newDatabase();
        return PostgresStore.open(url, ids, 4);
    }

    /** A second server on the same database as {@link #store}. */
    private Store secondServer() {
        return open(url);
    }

    private Store open(String jdbcUrl) {
        Store s = PostgresStore.open(jdbcUrl, IdGenerator.timeOrdered(), 4);
        extra.add(s);
        return s;
    }

    @AfterEach
    void closeExtra() {
        extra.forEach(Store::close);
    }

    @Test
    void twoServersOnOneDatabaseSeeEachOthersWritesInOneOrder() throws Exception {
        Store a = store;
        Store b = secondServer();
        ThreadMetadata t = ThreadMetadata.create("thr_shared", T0);
        a.saveThread(ALICE, t);
        // Both servers append at the same timestamp, alternating: the shared sequence keeps the order in which
        // the writes returned, whichever server made them.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Store s = i % 2 == 0 ? a : b;
            var m = new ThreadItem.AssistantMessage("msg_" + i, t.id(), T0, List.of());
            s.addItem(ALICE, m);
            expected.add(m.id());
        }
        assertThat(b.loadItems(ALICE, t.id(), null, 50, Order.ASC).data()).extracting(ThreadItem::id)
                .containsExactlyElementsOf(expected);
        assertThat(a.loadItems(ALICE, t.id(), "msg_4", 3, Order.ASC).data()).extracting(ThreadItem::id)
                .containsExactly("msg_5", "msg_6", "msg_7");
        b.deleteThread(ALICE, t.id());
        assertThatThrownBy(() -> a.loadThread(ALICE, t.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentWritersOnTwoServersLoseNothing() throws Exception {
        Store a = store;
        Store b = secondServer();
        ThreadMetadata t = ThreadMetadata.create("thr_busy", T0);
        a.saveThread(ALICE, t);
        List<Future<?>> writes = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                Store s = i % 2 == 0 ? a : b;
                String id = "msg_" + i;
                writes.add(pool.submit(() -> s.addItem(ALICE, new ThreadItem.AssistantMessage(id, t.id(), T0, List.of()))));
            }
        }
        for (Future<?> f : writes) f.get();
        assertThat(a.loadItems(ALICE, t.id(), null, 1000, Order.ASC).data()).hasSize(200);
    }

    @Test
    void dataSurvivesReopeningAndTheMigrationsRunOnce() throws Exception {
        ThreadMetadata t = ThreadMetadata.create("thr_keep", T0).withTitle("Kept");
        store.saveThread(ALICE, t);
        var before = new ThreadItem.AssistantMessage("msg_before", t.id(), T0, List.of());
        store.addItem(ALICE, before);
        store.saveAttachment(ALICE, new Attachment.File("atc_1", "a.txt", "text/plain", null, t.id(), Map.of("k", "v")));
        store.addFeedback(ALICE, new Feedback(t.id(), List.of(before.id()), "positive", T0));
        store.close();

        Store again = open(url);
        assertThat(again.loadThread(ALICE, t.id())).isEqualTo(t);
        assertThat(again.loadAttachment(ALICE, "atc_1").metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(again.loadFeedback(ALICE, t.id())).hasSize(1);
        var after = new ThreadItem.AssistantMessage("msg_after", t.id(), T0, List.of());
        again.addItem(ALICE, after);
        assertThat(again.loadItems(ALICE, t.id(), null, 20, Order.ASC).data()).containsExactly(before, after);

        try (var c = java.sql.DriverManager.getConnection(url);
                var rs = c.createStatement().executeQuery(
                        "SELECT version || ':' || success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> history = new ArrayList<>();
            while (rs.next()) history.add(rs.getString(1));
            assertThat(history).containsExactly("1:true", "2:true", "3:true", "4:true", "5:true", "6:true", "7:true", "9:true", "10:true");
        }
    }

    @Test
    void aServerOfThePreviousReleaseStartsOnASchemaANewerOneMigrated() {
        // A newer release's migration (test resource db/postgresql-next/V99__next_release.sql) applied on top.
        org.flywaydb.core.Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/postgresql", "classpath:db/postgresql-next").load().migrate();
        Store older = open(url);
        ThreadMetadata t = thread(ALICE, T0);
        assertThat(older.loadThread(ALICE, t.id())).isEqualTo(t);
    }

    @Test
    void aClosedStoreRefusesCalls() {
        store.close();
        assertThatThrownBy(() -> store.loadThreads(ALICE, 20, null, Order.DESC)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ((PostgresStore) store).storage().workflows().latest("wf_a")).isInstanceOf(IllegalStateException.class);
        store.close();
    }

    @Test
    void aMalformedUrlSaysWhatAUrlLooksLikeWithoutThePassword() {
        assertThatThrownBy(() -> PostgresStore.open("jdbc:postgresql://db:notaport/parley?user=u&password=s3cret"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://host:5432/database")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void anUnreachableDatabaseFailsFastWithoutThePassword() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> PostgresStore.open("jdbc:postgresql://127.0.0.1:" + port + "/parley?user=u&password=s3cret"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:" + port + "/parley as user u")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("s3cret"));
        assertThat(System.nanoTime() - start).as("no long retries on a refused connection").isLessThan(5_000_000_000L);
    }

    @Test
    void theStorageNamesItsDatabaseForTheStartUpLogButNotThePassword() {
        // The embedded server trusts local connections, so the password is accepted and ignored.
        try (PostgresStore withPassword = PostgresStore.open(url + "&password=s3cret-pw")) {
            String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            assertThat(withPassword.storage().description()).startsWith("PostgreSQL ")
                    .contains("/" + database + " as user postgres").doesNotContain("s3cret");
        }
    }

    @Test
    void aWrongPasswordIsReportedWithoutIt() {
        String wrong = url.replace("user=postgres", "user=nobody") + "&password=s3cret";
        assertThatThrownBy(() -> PostgresStore.open(wrong))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("as user nobody")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("s3cret"));
    }

    @Test
    void idsAreSequencedAcrossThreadsItemsAndFeedbackLikeSqlite() {
        // Threads saved at one timestamp from two servers interleave in the order the saves returned.
        Store b = secondServer();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var t = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), T0);
            (i % 2 == 0 ? store : b).saveThread(ALICE, t);
            ids.add(t.id());
        }
        assertThat(b.loadThreads(ALICE, 3, null, Order.DESC).data()).extracting(ThreadMetadata::id)
                .containsExactlyElementsOf(ids.reversed().subList(0, 3));
    }

    private static String stackText(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
