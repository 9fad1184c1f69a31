package dev.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.IdGenerator;
import dev.parley.store.WorkflowStore;
import dev.parley.store.WorkflowStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The workflow contract against a real PostgreSQL, plus what sharing one database between servers needs. */
class PostgresWorkflowStoreTest extends WorkflowStoreContract {
    private final List<PostgresStore> opened = new ArrayList<>();
    private String url;

    @Override
    protected WorkflowStore workflows() {
        url = TestPostgres.newDatabase();
        return open().storage().workflows();
    }

    private PostgresStore open() {
        PostgresStore store = PostgresStore.open(url, IdGenerator.timeOrdered(), 4);
        opened.add(store);
        return store;
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresStore::close);
    }

    @Test
    void twoServersPublishingTheSameWorkflowNeverTakeTheSameNumber() throws Exception {
        WorkflowStore a = workflows();
        WorkflowStore b = open().storage().workflows();
        List<Thread> publishers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            WorkflowStore s = i % 2 == 0 ? a : b;
            publishers.add(Thread.ofVirtual().start(() -> s.publish("wf_shared", "shared", "{}")));
        }
        for (Thread t : publishers) t.join();
        assertThat(b.versions("wf_shared")).extracting(WorkflowStore.Version::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(30, i -> i >= 1, i -> i - 1).boxed().toList());
    }

    @Test
    void serversStartingTogetherPublishADefaultOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            WorkflowStore a = workflows();
            WorkflowStore b = open().storage().workflows();
            var start = new java.util.concurrent.CountDownLatch(1);
            var made = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> servers = new ArrayList<>();
            for (WorkflowStore s : List.of(a, b)) {
                servers.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (s.publish("wf_seed_agency", "Seed", "{}", WorkflowStore.PublishIf.ABSENT).published()) {
                        made.incrementAndGet();
                    }
                }));
            }
            start.countDown();
            for (Thread t : servers) t.join();
            assertThat(made).as("round %d", round).hasValue(1);
            assertThat(a.versions("wf_seed_agency")).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void aPausedRunSavedByOneServerIsLoadedByAnother() {
        WorkflowStore a = workflows();
        WorkflowStore b = open().storage().workflows();
        a.saveRunState("u1", "thr_1", "{\"paused\":{\"node\":\"confirm\"}}");
        assertThat(b.loadRunState("u1", "thr_1")).contains("{\"paused\":{\"node\":\"confirm\"}}");
        b.saveRunState("u1", "thr_1", "{}");
        assertThat(a.loadRunState("u1", "thr_1")).contains("{}");
    }

    @Test
    void theTestDatabasesSortTextLinguistically() {
        workflows();
        // Otherwise the contract's code-point ordering test could not catch a query that relies on the collation.
        assertThat(TestPostgres.icuCollation()).as("embedded PostgreSQL built with ICU").isTrue();
    }
}
