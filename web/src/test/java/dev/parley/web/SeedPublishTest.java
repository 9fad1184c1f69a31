package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.testing.KeywordModel;
import dev.parley.store.WorkflowStore;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.workflow.engine.Workflows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Servers starting at the same moment on one empty PostgreSQL database: migrations and the seed happen once. */
class SeedPublishTest {
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setLocaleConfig("encoding", "UTF8").setLocaleConfig("locale", "C").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) postgres.close();
    }

    @Test
    void twoServersStartedTogetherOnAnEmptyDatabasePublishTheSeedOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            String database = "seed_" + round;
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE DATABASE " + database);
            }
            String url = postgres.getJdbcUrl("postgres", database);
            var go = new CountDownLatch(1);
            List<CompletableFuture<ParleyServer>> starting = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                Path dir = Files.createTempDirectory("parley-seed-");
                dirs.add(dir);
                ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir)
                        .withDatabaseUrl(url).withSecretKey("seed-test-key-0123456789abcdef0123456789");
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return ParleyServer.start(config, AssistantConfig.defaults(), new KeywordModel());
                }, r -> Thread.ofVirtual().start(r)));
            }
            go.countDown();
            List<ParleyServer> servers = new ArrayList<>();
            try {
                for (var f : starting) servers.add(f.get());
                List<WorkflowStore.Version> versions = servers.getFirst().storage().workflows().versions(Workflows.SEED_ID);
                assertThat(versions).as("round %d", round).hasSize(1);
                assertThat(servers.getLast().storage().workflows().latest(Workflows.SEED_ID)).as("round %d", round)
                        .get().extracting(WorkflowStore.Version::version).isEqualTo(1);
            } finally {
                servers.forEach(ParleyServer::close);
                for (Path dir : dirs) TestServer.deleteTree(dir);
            }
        }
    }
}
