package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed in the middle of a workflow run: the run does not vanish from the runs list. Its trace was
 * written as "running" when it started, and the server, started again on the same data directory, closes it as
 * interrupted.
 */
class InterruptedRunTest {
    private static final String TOKEN = "admin-token-for-tests-0123456789";

    @TempDir Path root;

    @Test
    void aRunCutOffByAKilledServerIsListedAsInterrupted() throws Exception {
        Map<String, String> env = Map.of(
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_SECRET_KEY", "interrupt-test-key-0123456789abcdef-0123",
                "PARLEY_ADMIN_TOKEN", TOKEN,
                "PARLEY_MODEL_PROVIDER", "echo",
                // Slow enough that the kill lands in the middle of the reply.
                "PARLEY_ECHO_PACE_MS", "300");
        Path data = Files.createDirectories(root.resolve("data"));
        MultiServerTest.Parley first = MultiServerTest.Parley.launch("first", data, env);
        String thread;
        try {
            first.awaitReady();
            MultiServerTest.Session session = first.newSession();
            try (MultiServerTest.Events events = first.open(session.secret(), WorkflowChatTest.create(
                    "Please tell me, in many words, what a website for a bakery could look like"))) {
                List<JsonNode> seen = events.readUntil(all -> all.getLast().path("update").path("type").asText()
                        .equals("assistant_message.content_part.text_delta"));
                thread = seen.getFirst().path("thread").path("id").asText();
                first.process.destroyForcibly();
                assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            first.process.destroyForcibly();
        }

        MultiServerTest.Parley second = MultiServerTest.Parley.launch("second", data, env);
        try {
            second.awaitReady();
            HttpResponse<String> runs = MultiServerTest.HTTP.send(HttpRequest.newBuilder(
                            second.base.resolve("admin/workflows/wf_seed_agency/runs"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            JsonNode run = null;
            for (JsonNode r : TestServer.JSON.readTree(runs.body()).path("data")) {
                if (r.path("thread_id").asText().equals(thread)) run = r;
            }
            assertThat(run).as("the killed run in %s", runs.body()).isNotNull();
            assertThat(run.path("status").asText()).isEqualTo("interrupted");

            HttpResponse<String> trace = MultiServerTest.HTTP.send(HttpRequest.newBuilder(
                            second.base.resolve("admin/runs/" + run.path("run_id").asText()))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode doc = TestServer.JSON.readTree(trace.body());
            assertThat(doc.path("status").asText()).isEqualTo("interrupted");
            assertThat(doc.path("error").asText()).contains("server stopped during this run");
            assertThat(doc.path("server").asText()).isEqualTo(Files.readString(data.resolve(ServerId.FILE)).strip());
        } finally {
            second.process.destroyForcibly();
            second.process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
