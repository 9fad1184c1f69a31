package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.model.echo.EchoProvider;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ObservabilityConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on a running server after real turns through a workflow (classifier → If/else → an agent with a
 * webhook tool, or another agent), scraped over HTTP and read with a Prometheus text-format parser that is not
 * ours: counters and histograms move by exactly what the turns did, and no label value is a user or thread id.
 */
class MetricsServiceTest {
    static final String ADMIN = "admin-token-for-the-metrics-test-0123456789";
    static final String SECRET = "a-webhook-key-of-at-least-32-characters!";

    @TempDir Path dir;
    HttpServer backend;
    TestServer server;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/lookup", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] answer = "{\"refund\":\"sent\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        backend.stop(0);
    }

    /** A workflow with every kind of step the metrics count: classifier, If/else, agents, a webhook tool, ends. */
    static String workflow(int backendPort) {
        return """
            {"id": "wf_observed", "name": "Observed", "nodes": [
              {"id": "start", "type": "start"},
              {"id": "triage", "type": "classifier", "instructions": "Sort the message.",
               "categories": [{"name": "billing", "description": "Money questions", "examples": ["refund"]},
                              {"name": "other", "description": "Anything else", "examples": ["hello"]}]},
              {"id": "route", "type": "if_else", "conditions": [
                 {"id": "billing", "expression": "triage.output_parsed.category == \\"billing\\""}]},
              {"id": "billing_agent", "type": "agent", "instructions": "Help with money.", "tools": [
                 {"type": "function", "name": "lookup", "description": "Looks up an order.", "runs_on": "webhook",
                  "url": "http://127.0.0.1:%d/lookup",
                  "parameters": {"type": "object", "properties": {"order": {"type": "string"}}, "required": ["order"]}}]},
              {"id": "other_agent", "type": "agent", "instructions": "Help."},
              {"id": "billing_end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__billing_agent.output_text__ENDVAR__"}}, "required": ["message"]}},
              {"id": "other_end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string",
                 "default": "__VAR__other_agent.output_text__ENDVAR__"}}, "required": ["message"]}}],
             "edges": [{"from": "start", "to": "triage"}, {"from": "triage", "to": "route"},
                       {"from": "route", "to": "billing_agent", "branch": "billing"},
                       {"from": "route", "to": "other_agent", "branch": "else"},
                       {"from": "billing_agent", "to": "billing_end"}, {"from": "other_agent", "to": "other_end"}]}
            """.formatted(backendPort);
    }

    static AssistantConfig assistant(Path dir, int backendPort, String provider) throws IOException {
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Files.writeString(workflows.resolve("observed.json"), workflow(backendPort));
        return AssistantConfig.fromEnv(Map.of(
                AssistantConfig.WORKFLOW, "wf_observed",
                AssistantConfig.WORKFLOWS_DIR, workflows.toString(),
                AssistantConfig.MODEL_PROVIDER, provider,
                AssistantConfig.WEBHOOK_HOSTS, "http://127.0.0.1:" + backendPort,
                AssistantConfig.WEBHOOK_SECRET, SECRET,
                AssistantConfig.ADMIN_TOKEN, ADMIN));
    }

    void start(ObservabilityConfig observing) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(ParleyConfig.HOST, "127.0.0.1");
        env.put(ParleyConfig.PORT, "0");
        env.put(ParleyConfig.DATA_DIR, dir.resolve("data").toString());
        // Small enough that the test can run into it.
        env.put("PARLEY_RATE_LIMIT_USER", "12");
        ParleyConfig config = ParleyConfig.fromEnv(env);
        int port = backend.getAddress().getPort();
        server = TestServer.of(ParleyServer.start(config, assistant(dir, port, "echo"), new EchoProvider(),
                HostedConfig.self(), null, observing));
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":"
                + TestServer.JSON.valueToTree(text) + "}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static String say(String thread, String text) {
        return "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":" + TestServer.JSON.valueToTree(text) + "}],\"attachments\":[],"
                + "\"inference_options\":{}}}}";
    }

    TestServer.Response scrapeResponse(String token) {
        var request = HttpRequest.newBuilder(server.uri("/metrics")).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        return server.send(request);
    }

    Scrape scrape() {
        TestServer.Response r = scrapeResponse(ADMIN);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return Scrape.parse(r.text());
    }

    @Test
    void countersAndHistogramsMoveWithTheTurnsAndNoLabelNamesAUserOrAThread() throws Exception {
        start(ObservabilityConfig.defaults());
        Scrape before = scrape();
        assertThat(before.value("parley_turns_total")).isZero();

        var alice = server.newUser();
        var bob = server.newUser();
        List<String> threads = new ArrayList<>();
        List<JsonNode> first = alice.stream(create("billing: where is my refund?\ncall lookup {\"order\": \"A1\"}"));
        threads.add(first.getFirst().path("thread").path("id").asText());
        assertThat(AgentToolsServerTest.reply(first)).isEqualTo("lookup said: {\"refund\":\"sent\"}");
        List<JsonNode> second = bob.stream(create("something other entirely"));
        threads.add(second.getFirst().path("thread").path("id").asText());
        assertThat(AgentToolsServerTest.reply(second)).isEqualTo("You said: something other entirely");
        alice.stream(say(threads.getFirst(), "billing again\ncall lookup {\"order\": \"A2\"}"));

        Scrape after = scrape();
        assertThat(after.value("parley_http_requests_total",
                Map.of("route", "chatkit", "type", "threads.create", "status", "200"))).isEqualTo(2);
        assertThat(after.value("parley_http_requests_total",
                Map.of("route", "chatkit", "type", "threads.add_user_message", "status", "200"))).isEqualTo(1);
        assertThat(after.value("parley_http_requests_total", Map.of("route", "session", "status", "200"))).isEqualTo(2);
        assertThat(after.value("parley_turns_total", Map.of("type", "threads.create", "outcome", "ok"))).isEqualTo(2);
        assertThat(after.value("parley_turns_total", Map.of("type", "threads.add_user_message", "outcome", "ok"))).isEqualTo(1);
        assertThat(after.value("parley_turn_duration_seconds")).isEqualTo(3);
        assertThat(after.value("parley_turn_first_text_delta_seconds")).isEqualTo(3);
        assertThat(after.value("parley_open_streams")).isZero();
        assertThat(after.value("parley_workflow_runs_total",
                Map.of("workflow", "wf_observed", "version", "1", "outcome", "completed"))).isEqualTo(3);
        assertThat(after.value("parley_node_duration_seconds", Map.of("type", "classifier", "outcome", "ok"))).isEqualTo(3);
        assertThat(after.value("parley_node_duration_seconds", Map.of("type", "if_else"))).isEqualTo(3);
        assertThat(after.value("parley_node_duration_seconds", Map.of("type", "agent"))).isEqualTo(3);
        assertThat(after.value("parley_node_duration_seconds", Map.of("type", "end"))).isEqualTo(3);
        assertThat(after.value("parley_branches_total", Map.of("workflow", "wf_observed", "node", "route", "branch", "billing")))
                .isEqualTo(2);
        assertThat(after.value("parley_branches_total", Map.of("workflow", "wf_observed", "node", "route", "branch", "else")))
                .isEqualTo(1);
        assertThat(after.value("parley_model_calls_total",
                Map.of("provider", "echo", "model", "echo", "operation", "structured", "outcome", "ok"))).isEqualTo(3);
        // Each billing turn asks the model twice (the call, then the answer); the other turn once.
        assertThat(after.value("parley_model_calls_total",
                Map.of("provider", "echo", "operation", "chat", "outcome", "ok"))).isEqualTo(5);
        assertThat(after.value("parley_model_call_duration_seconds", Map.of("provider", "echo"))).isEqualTo(8);
        assertThat(after.value("parley_model_errors_total")).isZero();
        assertThat(after.value("parley_tool_calls_total", Map.of("kind", "webhook", "outcome", "ok"))).isEqualTo(2);
        assertThat(after.value("parley_tool_call_duration_seconds", Map.of("kind", "webhook"))).isEqualTo(2);
        // Every turn commits its user message and its reply at least; the seed publish and run traces add more.
        assertThat(after.value("parley_store_commit_duration_seconds") - before.value("parley_store_commit_duration_seconds"))
                .isGreaterThanOrEqualTo(6);
        assertThat(after.value("parley_store_commit_writes")).isEqualTo(after.value("parley_store_commit_duration_seconds"));
        assertThat(after.family("jvm_memory_used_bytes")).isPresent();
        assertThat(after.family("process_cpu_seconds_total")).isPresent();

        // One more turn moves each turn counter by exactly one.
        bob.stream(say(threads.getLast(), "other again"));
        Scrape later = scrape();
        assertThat(later.value("parley_turns_total") - after.value("parley_turns_total")).isEqualTo(1);
        assertThat(later.value("parley_branches_total", Map.of("branch", "else"))
                - after.value("parley_branches_total", Map.of("branch", "else"))).isEqualTo(1);
        assertThat(later.value("parley_http_requests_total", Map.of("route", "metrics", "status", "200"))).isEqualTo(2);

        // Bounded labels: no user id, thread id, message id or run id anywhere.
        List<String> ids = new ArrayList<>(threads);
        ids.add(alice.userId());
        ids.add(bob.userId());
        for (String value : later.labelValues()) {
            assertThat(ids).noneMatch(value::contains);
            assertThat(value).doesNotStartWith("thr_").doesNotStartWith("msg_").doesNotStartWith("run_");
        }
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsServed() throws Exception {
        start(ObservabilityConfig.defaults());
        server.newUser().stream(create("billing\ncall lookup {\"order\": \"A1\"}"));
        TestServer.Response r = scrapeResponse(ADMIN);
        Path dashboard = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("grafana")
                .resolve("parley-dashboard.json");
        JsonNode json = TestServer.JSON.readTree(Files.readString(dashboard));
        java.util.Set<String> queried = new java.util.TreeSet<>();
        var name = java.util.regex.Pattern.compile("\\b((?:parley|jvm|process)_[a-z_]+)");
        for (JsonNode expr : json.findValues("expr")) {
            var m = name.matcher(expr.asText());
            while (m.find()) queried.add(m.group(1).replaceAll("_(bucket|sum|count)$", ""));
        }
        assertThat(queried).hasSizeGreaterThan(15);
        for (String metric : queried) {
            assertThat(r.text()).as("the dashboard queries %s", metric).contains("# TYPE " + metric + " ");
        }
    }

    @Test
    void rateLimitRefusalsAreCounted() throws Exception {
        start(ObservabilityConfig.defaults());
        var user = server.newUser();
        int refused = 0;
        for (int i = 0; i < 16; i++) {
            var r = user.post("{\"type\":\"threads.list\",\"params\":{}}");
            if (r.status() == 429) refused++;
        }
        assertThat(refused).as("the user limit is 12 a minute").isGreaterThanOrEqualTo(4);
        Scrape s = scrape();
        assertThat(s.value("parley_rate_limited_total", Map.of("route", "chatkit"))).isEqualTo(refused);
        assertThat(s.value("parley_http_requests_total", Map.of("route", "chatkit", "status", "429"))).isEqualTo(refused);
        assertThat(s.value("parley_http_requests_total", Map.of("route", "chatkit", "type", "threads.list", "status", "200")))
                .isEqualTo(16 - refused);
    }

    @Test
    void theMainPortAnswersOnlyTheAdminToken() throws Exception {
        start(ObservabilityConfig.defaults());
        TestServer.Response none = scrapeResponse(null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("missing_token");
        assertThat(none.text()).doesNotContain("parley_");
        TestServer.Response wrong = scrapeResponse("not-the-admin-token-0123456789");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("invalid_token");
    }

    @Test
    void aManagementPortServesMetricsWithoutATokenAndTheMainPortThenHasNone() throws Exception {
        start(ObservabilityConfig.defaults().withMetricsPort(0));
        int port = server.server().metricsPort();
        assertThat(port).isPositive().isNotEqualTo(server.server().port());
        server.newUser().stream(create("hello"));
        var r = server.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(Scrape.parse(r.text()).value("parley_turns_total", Map.of("outcome", "ok"))).isEqualTo(1);
        assertThat(scrapeResponse(ADMIN).status()).isEqualTo(404);
        var elsewhere = server.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/chatkit")).GET());
        assertThat(elsewhere.status()).isEqualTo(404);
    }

    @Test
    void withMetricsOffThereIsNoMetricsRoute() throws Exception {
        start(ObservabilityConfig.off());
        server.newUser().stream(create("hello"));
        assertThat(scrapeResponse(ADMIN).status()).isEqualTo(404);
    }
}
