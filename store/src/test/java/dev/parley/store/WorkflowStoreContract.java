package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link WorkflowStore} must do; one subclass per backend. */
public abstract class WorkflowStoreContract {
    /** {@return the store under test, fresh for each test} */
    protected abstract WorkflowStore workflows();

    @Test
    void publishingNumbersVersionsFromOneAndNeverChangesThem() {
        WorkflowStore s = workflows();
        var v1 = s.publish("wf_a", "Agency", "{\"v\":1}");
        var v2 = s.publish("wf_a", "Agency bot", "{\"v\":2}");
        var other = s.publish("wf_b", "Other", "{}");
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(other.version()).isEqualTo(1);
        assertThat(s.latest("wf_a")).get().satisfies(v -> {
            assertThat(v.version()).isEqualTo(2);
            assertThat(v.document()).isEqualTo("{\"v\":2}");
            assertThat(v.name()).isEqualTo("Agency bot");
        });
        assertThat(s.version("wf_a", 1)).get().extracting(WorkflowStore.Version::document).isEqualTo("{\"v\":1}");
        assertThat(s.version("wf_a", 3)).isEmpty();
        assertThat(s.latest("wf_missing")).isEmpty();
        assertThat(s.versions("wf_a")).extracting(WorkflowStore.Version::version).containsExactly(2, 1);
        assertThat(s.list()).extracting(w -> w.workflowId() + "@" + w.latestVersion() + ":" + w.name())
                .containsExactly("wf_a@2:Agency bot", "wf_b@1:Other");
    }

    @Test
    void concurrentPublishesGetDistinctNumbers() throws Exception {
        WorkflowStore s = workflows();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) threads.add(Thread.ofVirtual().start(() -> s.publish("wf_c", "c", "{}")));
        for (Thread t : threads) t.join();
        assertThat(s.versions("wf_c")).extracting(WorkflowStore.Version::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).map(i -> 21 - i).boxed().toList());
    }

    @Test
    void aConditionalPublishChecksAndInsertsAsOne() throws Exception {
        WorkflowStore s = workflows();
        List<Thread> threads = new java.util.ArrayList<>();
        var made = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 12; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                if (s.publish("wf_seed", "Seed", "{\"v\":1}", WorkflowStore.PublishIf.ABSENT).published()) made.incrementAndGet();
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(made).hasValue(1);
        assertThat(s.versions("wf_seed")).extracting(WorkflowStore.Version::version).containsExactly(1);

        var absent = s.publish("wf_seed", "Seed", "{\"v\":2}", WorkflowStore.PublishIf.ABSENT);
        assertThat(absent.published()).isFalse();
        assertThat(absent.version().document()).isEqualTo("{\"v\":1}");
        var unchanged = s.publish("wf_seed", "Seed", "{\"v\":1}", WorkflowStore.PublishIf.CHANGED);
        assertThat(unchanged.published()).isFalse();
        assertThat(unchanged.version().version()).isEqualTo(1);
        var changed = s.publish("wf_seed", "Seed", "{\"v\":2}", WorkflowStore.PublishIf.CHANGED);
        assertThat(changed.published()).isTrue();
        assertThat(changed.version().version()).isEqualTo(2);
        assertThat(s.publish("wf_seed", "Seed", "{\"v\":2}", WorkflowStore.PublishIf.ALWAYS).version().version()).isEqualTo(3);
    }

    @Test
    void runStateBelongsToItsUser() {
        WorkflowStore s = workflows();
        assertThat(s.loadRunState("u1", "thr_1")).isEmpty();
        s.saveRunState("u1", "thr_1", "{\"state\":{\"n\":1}}");
        s.saveRunState("u1", "thr_1", "{\"state\":{\"n\":2}}");
        assertThat(s.loadRunState("u1", "thr_1")).contains("{\"state\":{\"n\":2}}");
        assertThat(s.loadRunState("u2", "thr_1")).isEmpty();
        assertThatThrownBy(() -> s.saveRunState("u2", "thr_1", "{}")).isInstanceOf(StoreException.class);
        assertThat(s.loadRunState("u1", "thr_1")).contains("{\"state\":{\"n\":2}}");
    }

    @Test
    void tracesAreKeptAndListedNewestFirst() {
        WorkflowStore s = workflows();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.saveTrace(new WorkflowStore.Trace("run_1", "wf_a", 1, "u1", "thr_1", t0, 1500, "completed", "{\"nodes\":[]}"));
        s.saveTrace(new WorkflowStore.Trace("run_2", "wf_a", 2, "u1", "thr_1", t0.plusMillis(5), 900, "paused", "{}"));
        s.saveTrace(new WorkflowStore.Trace("run_3", "wf_b", 1, "u2", "thr_2", t0.plusMillis(9), 10, "failed", "{}"));
        assertThat(s.loadTrace("run_1")).get().satisfies(t -> {
            assertThat(t.startedAt()).isEqualTo(t0);
            assertThat(t.durationMicros()).isEqualTo(1500);
            assertThat(t.document()).isEqualTo("{\"nodes\":[]}");
        });
        assertThat(s.recentTraces("wf_a", 10)).extracting(WorkflowStore.Trace::runId).containsExactly("run_2", "run_1");
        assertThat(s.recentTraces("wf_a", 1)).extracting(WorkflowStore.Trace::runId).containsExactly("run_2");
        // A paused run that finishes later is saved again under the same id.
        s.saveTrace(new WorkflowStore.Trace("run_2", "wf_a", 2, "u1", "thr_1", t0.plusMillis(5), 2000, "completed", "{\"x\":1}"));
        assertThat(s.loadTrace("run_2")).get().extracting(WorkflowStore.Trace::status).isEqualTo("completed");
        assertThat(s.loadTrace("run_missing")).isEmpty();
    }

    @Test
    void aRunSavesStateAndTraceTogetherOrNeither() {
        WorkflowStore s = workflows();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.saveRun("u1", "thr_9", "{\"state\":{\"n\":1}}",
                new WorkflowStore.Trace("run_9", "wf_a", 1, "u1", "thr_9", t0, 10, "completed", "{}"));
        assertThat(s.loadRunState("u1", "thr_9")).contains("{\"state\":{\"n\":1}}");
        assertThat(s.loadTrace("run_9")).isPresent();
        // Another user's thread: the state is refused, and the trace of that run is not kept either.
        assertThatThrownBy(() -> s.saveRun("u2", "thr_9", "{}",
                new WorkflowStore.Trace("run_10", "wf_a", 1, "u2", "thr_9", t0, 10, "completed", "{}")))
                .isInstanceOf(StoreException.class);
        assertThat(s.loadTrace("run_10")).isEmpty();
        assertThat(s.loadRunState("u1", "thr_9")).contains("{\"state\":{\"n\":1}}");
    }

    @Test
    void workflowsListByCodePointWhateverTheDatabaseCollation() {
        WorkflowStore s = workflows();
        for (String id : List.of("wf_b", "wf_\u00E9", "wf_B", "wf_a", "wf_a_2")) s.publish(id, id, "{}");
        // Byte (code point) order, as SQLite sorts: capitals first, accents last. A linguistic collation would
        // interleave wf_a and wf_B.
        assertThat(s.list()).extracting(WorkflowStore.Summary::workflowId)
                .containsExactly("wf_B", "wf_a", "wf_a_2", "wf_b", "wf_\u00E9");
    }

    @Test
    void documentsKeepUnicodeExactly() {
        WorkflowStore s = workflows();
        String doc = "{\"instructions\":\"R\u00E9ponds en fran\u00E7ais \uD83D\uDE00 \u4F60\u597D\"}";
        s.publish("wf_u", "Unicod\u00E9", doc);
        assertThat(s.latest("wf_u")).get().satisfies(v -> {
            assertThat(v.document()).isEqualTo(doc);
            assertThat(v.name()).isEqualTo("Unicod\u00E9");
        });
        s.saveRunState("u\u00F1", "thr_\u00FC", doc);
        assertThat(s.loadRunState("u\u00F1", "thr_\u00FC")).contains(doc);
    }

    @Test
    void oldTracesArePrunedButNotThoseOfPausedRuns() {
        WorkflowStore s = workflows();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        s.saveTrace(new WorkflowStore.Trace("run_old", "wf_p", 1, "u1", "thr_1", now.minus(40, ChronoUnit.DAYS), 5, "completed", "{}"));
        s.saveTrace(new WorkflowStore.Trace("run_paused", "wf_p", 1, "u1", "thr_2", now.minus(40, ChronoUnit.DAYS), 5, "paused", "{}"));
        s.saveTrace(new WorkflowStore.Trace("run_new", "wf_p", 1, "u1", "thr_3", now.minus(1, ChronoUnit.DAYS), 5, "failed", "{}"));
        // Other workflows' traces, pruned workflow by workflow the same way.
        s.saveTrace(new WorkflowStore.Trace("run_a_old", "wf_a", 1, "u1", "thr_4", now.minus(31, ChronoUnit.DAYS), 5, "completed", "{}"));
        s.saveTrace(new WorkflowStore.Trace("run_z_old", "wf_z", 2, "u2", "thr_5", now.minus(90, ChronoUnit.DAYS), 5, "cancelled", "{}"));
        s.saveTrace(new WorkflowStore.Trace("run_z_new", "wf_z", 2, "u2", "thr_6", now.minus(29, ChronoUnit.DAYS), 5, "completed", "{}"));
        assertThat(s.deleteTracesBefore(now.minus(30, ChronoUnit.DAYS))).isEqualTo(3);
        assertThat(s.loadTrace("run_old")).isEmpty();
        assertThat(s.loadTrace("run_a_old")).isEmpty();
        assertThat(s.loadTrace("run_z_old")).isEmpty();
        assertThat(s.loadTrace("run_paused")).isPresent();
        assertThat(s.loadTrace("run_new")).isPresent();
        assertThat(s.loadTrace("run_z_new")).isPresent();
        assertThat(s.deleteTracesBefore(now.minus(30, ChronoUnit.DAYS))).isZero();
    }

    @Test
    void aDraftIsKeptPerWorkflowReplacedBySavingAndGoneWhenDeleted() {
        WorkflowStore s = workflows();
        s.publish("wf_d", "D", "{\"v\":1}");
        assertThat(s.draft("wf_d")).isEmpty();
        // Drafts are work in progress: text that is not even JSON is kept as it is.
        s.saveDraft("wf_d", 1, "{\"nodes\": [");
        var second = s.saveDraft("wf_d", 1, "{\"v\":\"edited \u00E9\"}");
        s.saveDraft("wf_new", 0, "{}");
        assertThat(s.draft("wf_d")).get().satisfies(d -> {
            assertThat(d.document()).isEqualTo("{\"v\":\"edited \u00E9\"}");
            assertThat(d.baseVersion()).isEqualTo(1);
            assertThat(d.savedAt()).isEqualTo(second.savedAt());
        });
        assertThat(s.drafts()).extracting(WorkflowStore.Draft::workflowId).containsExactly("wf_d", "wf_new");
        // A draft never changes what is published.
        assertThat(s.latest("wf_d")).get().extracting(WorkflowStore.Version::document).isEqualTo("{\"v\":1}");
        assertThat(s.deleteDraft("wf_d")).isTrue();
        assertThat(s.deleteDraft("wf_d")).isFalse();
        assertThat(s.draft("wf_d")).isEmpty();
        assertThat(s.drafts()).extracting(WorkflowStore.Draft::workflowId).containsExactly("wf_new");
    }
}
