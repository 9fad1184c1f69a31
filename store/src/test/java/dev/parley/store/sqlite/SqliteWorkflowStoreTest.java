package dev.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.WorkflowStore;
import dev.parley.store.WorkflowStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteWorkflowStoreTest extends WorkflowStoreContract {
    @TempDir Path dir;
    private SqliteStore store;

    @Override
    protected WorkflowStore workflows() {
        store = SqliteStore.open(dir.resolve("parley.db"));
        return store.storage().workflows();
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void versionsAndRunStateSurviveARestart() {
        workflows().publish("wf_a", "A", "{\"v\":1}");
        store.storage().workflows().saveRunState("u1", "thr_1", "{\"paused\":\"approve\"}");
        store.close();
        store = SqliteStore.open(dir.resolve("parley.db"));
        assertThat(store.storage().workflows().latest("wf_a")).get().extracting(WorkflowStore.Version::version).isEqualTo(1);
        assertThat(store.storage().workflows().loadRunState("u1", "thr_1")).contains("{\"paused\":\"approve\"}");
    }
}
