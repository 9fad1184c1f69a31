package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parley process started as an operator starts it, with {@code PARLEY_LOG_FORMAT=json} and traces going to a
 * stand-in collector: every line it logs is one JSON object, the access log has a line per request with its
 * request id and trace id, and a line written during a workflow run carries the run and chat thread ids.
 */
class JsonLogFormatTest {
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path dir;

    @Test
    void everyLineIsAJsonObjectWithTheRequestRunThreadAndTraceIds() throws Exception {
        Path logging = dir.resolve("logging.properties");
        // INFO for the access log; FINE for the observer's line at the end of each run.
        Files.writeString(logging, """
                handlers=java.util.logging.ConsoleHandler
                .level=INFO
                java.util.logging.ConsoleHandler.level=ALL
                dev.parley.web.observe.level=FINE
                """);
        try (StandInCollector collector = new StandInCollector()) {
            Path data = Files.createDirectories(dir.resolve("data"));
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = ProcessHandle.current().info().command().orElse("java");
            var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Djava.util.logging.config.file=" + logging, "-cp", classpath,
                    "dev.parley.web.Main");
            builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_") || k.startsWith("OPENAI_")
                    || k.startsWith("OTEL_"));
            builder.environment().putAll(Map.of(
                    "PARLEY_HOST", "127.0.0.1",
                    "PARLEY_PORT", Integer.toString(port),
                    "PARLEY_DATA_DIR", data.toString(),
                    "PARLEY_SECRET_KEY", "json-log-test-key-0123456789abcdef-01234",
                    "PARLEY_MODEL_PROVIDER", "echo",
                    "PARLEY_WORKFLOW", "wf_echo",
                    "PARLEY_LOG_FORMAT", "json",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint().toString()));
            Path workflows = Files.createDirectories(dir.resolve("workflows"));
            Files.writeString(workflows.resolve("echo.json"), """
                {"id": "wf_echo", "name": "Echo", "nodes": [
                  {"id": "start", "type": "start"},
                  {"id": "helper", "type": "agent", "instructions": "Help."},
                  {"id": "done", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                     "default": "__VAR__helper.output_text__ENDVAR__"}}, "required": ["message"]}}],
                 "edges": [{"from": "start", "to": "helper"}, {"from": "helper", "to": "done"}]}
                """);
            builder.environment().put("PARLEY_WORKFLOWS_DIR", workflows.toString());
            Path log = dir.resolve("server.log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            String thread;
            try {
                awaitReady(process, base, log);
                var session = HTTP.send(HttpRequest.newBuilder(base.resolve("api/chatkit/session"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                String secret = TestServer.JSON.readTree(session.body()).path("client_secret").asText();
                var turn = HTTP.send(HttpRequest.newBuilder(base.resolve("chatkit"))
                        .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                        .header("X-Request-Id", "req-from-the-proxy-42")
                        .header("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01")
                        .POST(HttpRequest.BodyPublishers.ofString(MetricsServiceTest.create("hello there"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(turn.statusCode()).isEqualTo(200);
                assertThat(turn.headers().firstValue("X-Request-Id")).hasValue("req-from-the-proxy-42");
                thread = TestServer.parseEvents(turn.body()).getFirst().path("thread").path("id").asText();
                // A path that tries to forge a log line of its own.
                var forged = HTTP.send(HttpRequest.newBuilder(URI.create(base + "nope%0A%7B%22level%22:%22SEVERE%22%7D"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(forged.statusCode()).isEqualTo(404);
            } finally {
                process.destroy();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }

            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                JsonNode json;
                try {
                    json = TestServer.JSON.readTree(line);
                } catch (IOException e) {
                    throw new AssertionError("Not a JSON line: " + line, e);
                }
                assertThat(json.isObject()).as(line).isTrue();
                assertThat(json.path("time").asText()).as(line).isNotEmpty();
                assertThat(json.path("level").asText()).as(line).isIn("SEVERE", "WARNING", "INFO", "CONFIG", "FINE");
                assertThat(json.path("logger").asText()).as(line).isNotEmpty();
                assertThat(json.has("message")).as(line).isTrue();
                lines.add(json);
            }
            assertThat(lines).as("no line claims to be SEVERE: the forged one stayed inside its message")
                    .noneMatch(l -> l.path("level").asText().equals("SEVERE"));

            JsonNode access = lines.stream().filter(l -> l.path("logger").asText().equals("dev.parley.access")
                    && l.path("message").asText().startsWith("POST /chatkit 200")).findFirst().orElseThrow();
            assertThat(access.path("message").asText()).contains("threads.create").doesNotContain("Bearer");
            assertThat(access.path("request_id").asText()).isEqualTo("req-from-the-proxy-42");
            assertThat(access.path("trace_id").asText()).isEqualTo(TRACE_ID);

            JsonNode run = lines.stream().filter(l -> l.path("message").asText().startsWith("Run run_")).findFirst()
                    .orElseThrow();
            assertThat(run.path("run_id").asText()).startsWith("run_");
            assertThat(run.path("message").asText()).contains(run.path("run_id").asText()).contains("completed");
            assertThat(run.path("thread_id").asText()).isEqualTo(thread);
            assertThat(run.path("request_id").asText()).isEqualTo("req-from-the-proxy-42");
            assertThat(run.path("trace_id").asText()).isEqualTo(TRACE_ID);

            assertThat(lines).anySatisfy(l -> {
                assertThat(l.path("logger").asText()).isEqualTo("dev.parley.access");
                assertThat(l.path("message").asText()).startsWith("GET /nope\n{\"level\":\"SEVERE\"} 404");
            });
        }
    }

    static void awaitReady(Process process, URI base, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("Parley exited:\n" + Files.readString(log));
            try {
                var health = HttpRequest.newBuilder(base.resolve("healthz")).timeout(Duration.ofSeconds(2)).build();
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Parley did not start:\n" + Files.readString(log));
    }
}
