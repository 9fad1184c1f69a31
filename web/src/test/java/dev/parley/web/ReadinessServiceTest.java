package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.echo.EchoProvider;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} on running servers: ready with every check named; not ready (503, saying what is wrong) when the
 * PostgreSQL server goes away under a running Parley, while {@code /healthz} (liveness) still answers; not ready
 * when the chat's workflow has no published version.
 */
class ReadinessServiceTest {
    @TempDir Path dir;

    static AssistantConfig echo(String workflow) {
        return AssistantConfig.fromEnv(Map.of(AssistantConfig.MODEL_PROVIDER, "echo", AssistantConfig.WORKFLOW, workflow));
    }

    static TestServer.Response get(TestServer server, String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET());
    }

    @Test
    void aServerWithItsDatabaseAndModelIsReady() {
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        try (TestServer server = TestServer.startWorkflows(config, echo(AssistantConfig.SEED_WORKFLOW), new EchoProvider(), false)) {
            TestServer.Response r = get(server, "/readyz");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode body = r.body();
            assertThat(body.path("status").asText()).isEqualTo("ready");
            assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("ok");
            assertThat(body.path("checks").path("database").path("store").asText()).isEqualTo("sqlite");
            assertThat(body.path("checks").path("model").path("status").asText()).isEqualTo("ok");
            assertThat(body.path("checks").path("model").path("provider").asText()).isEqualTo("echo");
            assertThat(body.path("checks").path("workflow").path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aServerWhoseDatabaseIsGoneIsNotReadyButStillAlive() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setLocaleConfig("encoding", "UTF8")
                .setLocaleConfig("locale", "C").start();
        boolean stopped = false;
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir)
                .withDatabaseUrl(postgres.getJdbcUrl("postgres", "postgres"));
        try (TestServer server = TestServer.startWorkflows(config, echo(AssistantConfig.SEED_WORKFLOW), new EchoProvider(), false)) {
            TestServer.Response before = get(server, "/readyz");
            assertThat(before.status()).as(before.text()).isEqualTo(200);
            assertThat(before.body().path("checks").path("database").path("store").asText()).isEqualTo("postgresql");

            postgres.close();
            stopped = true;
            long started = System.nanoTime();
            TestServer.Response after = get(server, "/readyz");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(after.status()).as(after.text()).isEqualTo(503);
            assertThat(after.body().path("status").asText()).isEqualTo("not_ready");
            JsonNode database = after.body().path("checks").path("database");
            assertThat(database.path("status").asText()).isEqualTo("failed");
            assertThat(database.path("problem").asText()).startsWith("database ");
            assertThat(after.text()).doesNotContain("password").doesNotContain("Exception:").doesNotContain("\tat ");
            // A probe that waits for the pool's 10 s connection timeout would hold the orchestrator's probe.
            assertThat(took).isLessThan(Duration.ofSeconds(6));
            assertThat(get(server, "/healthz").status()).isEqualTo(200);
        } finally {
            if (!stopped) postgres.close();
        }
    }

    @Test
    void aServerWhoseWorkflowIsNotPublishedIsNotReady() {
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir);
        try (TestServer server = TestServer.startWorkflows(config, echo("wf_not_there"), new EchoProvider(), false)) {
            TestServer.Response r = get(server, "/readyz");
            assertThat(r.status()).isEqualTo(503);
            JsonNode workflow = r.body().path("checks").path("workflow");
            assertThat(workflow.path("status").asText()).isEqualTo("failed");
            assertThat(workflow.path("problem").asText()).contains("wf_not_there").contains("PARLEY_WORKFLOW");
            assertThat(r.body().path("checks").path("database").path("status").asText()).isEqualTo("ok");
            assertThat(get(server, "/healthz").status()).isEqualTo(200);
        }
    }
}
