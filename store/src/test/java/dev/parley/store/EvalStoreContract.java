package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.store.jdbc.JdbcStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link EvalStore} must do; one subclass per backend. */
public abstract class EvalStoreContract extends StoreFixtures {
    private EvalStore evals() {
        return ((JdbcStore) store).storage().evals();
    }

    private static EvalStore.Run run(String id, String workflow, java.time.Instant at, double rate) {
        return new EvalStore.Run(id, workflow, 2, "default", at, 1234, rate, 60, "{\"summary\":{\"id\":\"" + id + "\"}}");
    }

    @Test
    void aDatasetIsReplacedByNameAndListedWithoutItsCases() {
        evals().saveDataset(new EvalStore.Dataset("wf_a", "default", "{\"input\":\"one\"}\n", 1, T0));
        evals().saveDataset(new EvalStore.Dataset("wf_a", "default", "{\"input\":\"one\"}\n{\"input\":\"two\"}\n", 2,
                T0.plusSeconds(1)));
        evals().saveDataset(new EvalStore.Dataset("wf_a", "edge", "{\"input\":\"x\"}", 1, T0));
        evals().saveDataset(new EvalStore.Dataset("wf_b", "default", "{\"input\":\"b\"}", 1, T0));

        var d = evals().dataset("wf_a", "default").orElseThrow();
        assertThat(d.cases()).isEqualTo("{\"input\":\"one\"}\n{\"input\":\"two\"}\n");
        assertThat(d.caseCount()).isEqualTo(2);
        assertThat(d.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(evals().datasets("wf_a")).extracting(EvalStore.Dataset::name).containsExactly("default", "edge");
        assertThat(evals().datasets("wf_a")).allSatisfy(x -> assertThat(x.cases()).isEmpty());
        assertThat(evals().dataset("wf_a", "missing")).isEmpty();
        assertThat(evals().datasets("wf_none")).isEmpty();
    }

    @Test
    void saveIfAbsentNeverOverwritesAnOperatorsDataset() {
        assertThat(evals().saveDatasetIfAbsent(new EvalStore.Dataset("wf_a", "default", "mine", 1, T0))).isTrue();
        assertThat(evals().saveDatasetIfAbsent(new EvalStore.Dataset("wf_a", "default", "bundled", 60, T0))).isFalse();
        assertThat(evals().dataset("wf_a", "default").orElseThrow().cases()).isEqualTo("mine");
    }

    @Test
    void runsComeBackWholeByIdAndNewestFirstWithoutDocumentsInLists() {
        evals().saveRun(run("evl_1", "wf_a", T0, 0.5));
        evals().saveRun(run("evl_2", "wf_b", T0.plusSeconds(2), 0.75));
        evals().saveRun(run("evl_3", "wf_a", T0.plusSeconds(1), 1.0));

        var one = evals().run("evl_1").orElseThrow();
        assertThat(one).isEqualTo(run("evl_1", "wf_a", T0, 0.5));
        assertThat(evals().run("evl_missing")).isEmpty();
        assertThat(evals().runs(null, 10)).extracting(EvalStore.Run::evalId).containsExactly("evl_2", "evl_3", "evl_1");
        assertThat(evals().runs("wf_a", 10)).extracting(EvalStore.Run::evalId).containsExactly("evl_3", "evl_1");
        assertThat(evals().runs(null, 1)).extracting(EvalStore.Run::evalId).containsExactly("evl_2");
        assertThat(evals().runs(null, 10)).allSatisfy(r -> assertThat(r.document()).isEmpty());
        assertThat(evals().runs("wf_a", 10).getFirst().passRate()).isEqualTo(1.0);
    }

    @Test
    void aRunSavedAgainKeepsItsIdAndTakesTheNewResult() {
        evals().saveRun(run("evl_1", "wf_a", T0, 0));
        evals().saveRun(run("evl_1", "wf_a", T0, 0.9));
        assertThat(evals().runs(null, 10)).hasSize(1);
        assertThat(evals().run("evl_1").orElseThrow().passRate()).isEqualTo(0.9);
    }

    @Test
    void overridesAreRecordedPerVersionNewestFirstAndOnlyOnce() {
        evals().saveOverride(new EvalStore.GateOverride("wf_a", 3, "evl_1", 0.6, 0.85, "hotfix", T0));
        evals().saveOverride(new EvalStore.GateOverride("wf_a", 4, "evl_2", 0.7, 0.85, "", T0.plusSeconds(5)));
        List<EvalStore.GateOverride> list = evals().overrides("wf_a");
        assertThat(list).extracting(EvalStore.GateOverride::version).containsExactly(4, 3);
        assertThat(list.get(1)).isEqualTo(new EvalStore.GateOverride("wf_a", 3, "evl_1", 0.6, 0.85, "hotfix", T0));
        assertThat(evals().overrides("wf_b")).isEmpty();
        assertThatThrownBy(() -> evals().saveOverride(new EvalStore.GateOverride("wf_a", 3, "evl_9", 0.1, 0.85, "", T0)))
                .isInstanceOf(StoreException.class);
    }
}
