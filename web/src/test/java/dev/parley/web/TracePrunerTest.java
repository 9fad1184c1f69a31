package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.WorkflowStore;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run traces past the retention period are deleted when the server starts (and every hour after). */
class TracePrunerTest {
    @TempDir Path dir;

    @Test
    void oldTracesGoAtStartAndRecentOnesStay() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (SqliteStore store = SqliteStore.open(dir.resolve(ParleyServer.DATABASE_FILE))) {
            store.storage().workflows().saveTrace(new WorkflowStore.Trace("run_old", "wf_seed_agency", 1, "u", "thr_1",
                    now.minus(Duration.ofDays(31)), 1, "completed", "{}"));
            store.storage().workflows().saveTrace(new WorkflowStore.Trace("run_recent", "wf_seed_agency", 1, "u", "thr_2",
                    now.minus(Duration.ofDays(29)), 1, "completed", "{}"));
        }
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        try (var server = TestServer.startWorkflows(config, AssistantConfig.defaults(), WorkflowChatTest.KEYWORDS, false)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.storage().workflows().loadTrace("run_old").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.storage().workflows().loadTrace("run_old")).isEmpty();
            assertThat(server.storage().workflows().loadTrace("run_recent")).isPresent();
        }
        assertThat(AssistantConfig.fromEnv(Map.of("PARLEY_TRACE_RETENTION_DAYS", "0")).traceRetention()).isZero();
    }
}
