package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
import dev.parley.model.openai.StandInToolCalls;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ObservabilityConfig;
import dev.parley.web.config.ParleyConfig;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry traces of real turns: the server exports over OTLP/HTTP to a stand-in collector on loopback that
 * decodes the protobuf, the model is a stand-in OpenAI server, the tool a webhook on loopback. The span tree is
 * request → workflow run → nodes → model calls and tool calls, under the trace id the client sent in
 * {@code traceparent}; model spans carry the GenAI {@code gen_ai.*} attributes; prompts and replies appear only
 * when capturing them is turned on; the admin trace of the run names the trace id.
 */
class TracesTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_SPAN = "00f067aa0ba902b7";

    @TempDir Path dir;
    HttpServer backend;
    StandInCollector collector;
    StandInOpenAi openai;
    OpenAiProvider provider;
    TestServer server;

    @BeforeEach
    void startStandIns() throws IOException {
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
        collector = new StandInCollector();
        openai = StandInOpenAi.start();
        provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (provider != null) provider.close();
        openai.close();
        collector.close();
        backend.stop(0);
    }

    void start(boolean captureContent) throws IOException {
        int port = backend.getAddress().getPort();
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Files.writeString(workflows.resolve("observed.json"), MetricsServiceTest.workflow(port));
        AssistantConfig assistant = AssistantConfig.fromEnv(Map.of(
                AssistantConfig.WORKFLOW, "wf_observed",
                AssistantConfig.WORKFLOWS_DIR, workflows.toString(),
                AssistantConfig.MODEL_PROVIDER, "openai",
                AssistantConfig.OPENAI_API_KEY, "sk-test",
                AssistantConfig.OPENAI_BASE_URL, openai.baseUrl(),
                AssistantConfig.WEBHOOK_HOSTS, "http://127.0.0.1:" + port,
                AssistantConfig.WEBHOOK_SECRET, MetricsServiceTest.SECRET,
                AssistantConfig.ADMIN_TOKEN, MetricsServiceTest.ADMIN));
        // Read from variables as an operator sets them: the general endpoint, the path appended by the rules.
        Map<String, String> env = new HashMap<>();
        env.put(ObservabilityConfig.OTLP_ENDPOINT, collector.endpoint().toString());
        env.put(ObservabilityConfig.SERVICE_NAME, "parley-under-test");
        env.put(ObservabilityConfig.SAMPLER, "always_on");
        if (captureContent) env.put(ObservabilityConfig.CAPTURE_CONTENT, "true");
        ObservabilityConfig observing = ObservabilityConfig.fromEnv(env);
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir.resolve("data"));
        server = TestServer.of(ParleyServer.start(config, assistant, provider, HostedConfig.self(), null, observing));
    }

    /** Classifier answer, then the agent calls the tool, then answers with usage 11 in / 7 out. */
    void scriptBillingTurn() {
        openai.then(StandInOpenAi.responsesJson("{\"category\":\"billing\",\"confidence\":0.9,\"reason\":\"Money.\"}"),
                StandInToolCalls.responsesCalling(new StandInToolCalls.Call("call_1", "lookup", "{\"order\":", "\"A1\"}")),
                StandInOpenAi.responsesStream("Your refund ", "was sent."));
    }

    TestServer.Response turn(TestServer.User user, String text, String traceparent) {
        HttpRequest.Builder request = user.chatkit(MetricsServiceTest.create(text));
        if (traceparent != null) request.header("traceparent", traceparent);
        TestServer.Response r = server.send(request);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    static StandInCollector.Received one(List<StandInCollector.Received> spans, String name) {
        List<StandInCollector.Received> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.getFirst();
    }

    @Test
    void aTurnIsOneTraceUnderTheCallersTraceparentFromRequestToModelAndToolCalls() throws Exception {
        start(false);
        scriptBillingTurn();
        var user = server.newUser();
        TestServer.Response r = turn(user, "Where is my refund?", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");
        List<JsonNode> events = TestServer.parseEvents(r.text());
        assertThat(AgentToolsServerTest.reply(events)).isEqualTo("Your refund was sent.");
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();

        List<StandInCollector.Received> spans = collector.await(all -> all.stream()
                .anyMatch(s -> s.name().equals("POST /chatkit threads.create")));
        assertThat(collector.contentTypes()).allMatch("application/x-protobuf"::equals);
        List<StandInCollector.Received> turn = spans.stream().filter(s -> s.traceId().equals(TRACE_ID)).toList();

        var request = one(turn, "POST /chatkit threads.create");
        assertThat(request.parentSpanId()).isEqualTo(PARENT_SPAN);
        assertThat(request.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(request.string("http.request.method")).isEqualTo("POST");
        assertThat(request.number("http.response.status_code")).isEqualTo(200);
        assertThat(request.string("parley.chatkit.request_type")).isEqualTo("threads.create");
        assertThat(request.string("parley.request.id")).isEqualTo(requestId);
        assertThat(request.resource().get("service.name").getStringValue()).isEqualTo("parley-under-test");

        var run = one(turn, "workflow wf_observed");
        assertThat(run.parentSpanId()).isEqualTo(request.spanId());
        assertThat(run.string("parley.run.status")).isEqualTo("completed");
        assertThat(run.number("parley.workflow.version")).isEqualTo(1);
        String thread = events.getFirst().path("thread").path("id").asText();
        assertThat(run.string("gen_ai.conversation.id")).isEqualTo(thread);

        for (String node : List.of("node start", "node triage", "node route", "invoke_agent billing_agent", "node billing_end")) {
            assertThat(one(turn, node).parentSpanId()).as(node).isEqualTo(run.spanId());
        }
        var route = one(turn, "node route");
        assertThat(route.string("parley.node.type")).isEqualTo("if_else");
        assertThat(route.string("parley.node.branch")).isEqualTo("billing");
        var agent = one(turn, "invoke_agent billing_agent");
        assertThat(agent.string("gen_ai.operation.name")).isEqualTo("invoke_agent");
        assertThat(agent.string("gen_ai.agent.name")).isEqualTo("billing_agent");

        List<StandInCollector.Received> chats = turn.stream().filter(s -> s.name().equals("chat gpt-5-nano")).toList();
        assertThat(chats).hasSize(3);
        var triage = one(turn, "node triage");
        assertThat(chats).filteredOn(c -> c.parentSpanId().equals(triage.spanId())).singleElement()
                .satisfies(c -> assertThat(c.string("parley.model.operation")).isEqualTo("structured"));
        List<StandInCollector.Received> agentChats = chats.stream()
                .filter(c -> c.parentSpanId().equals(agent.spanId())).toList();
        assertThat(agentChats).hasSize(2);
        for (var chat : chats) {
            assertThat(chat.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(chat.string("gen_ai.operation.name")).isEqualTo("chat");
            assertThat(chat.string("gen_ai.system")).isEqualTo("openai");
            assertThat(chat.string("gen_ai.provider.name")).isEqualTo("openai");
            assertThat(chat.string("gen_ai.request.model")).isEqualTo("gpt-5-nano");
            assertThat(chat.number("gen_ai.usage.input_tokens")).isEqualTo(11);
            assertThat(chat.number("gen_ai.usage.output_tokens")).isEqualTo(7);
            // Contents stay out unless asked for.
            assertThat(chat.attributes()).doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages",
                    "gen_ai.system_instructions");
        }
        assertThat(agentChats).extracting(c -> c.strings("gen_ai.response.finish_reasons"))
                .containsExactlyInAnyOrder(List.of("tool_calls"), List.of("stop"));

        var tool = one(turn, "execute_tool lookup");
        assertThat(tool.parentSpanId()).isEqualTo(agent.spanId());
        assertThat(tool.string("gen_ai.tool.name")).isEqualTo("lookup");
        assertThat(tool.string("parley.tool.kind")).isEqualTo("webhook");
        assertThat(tool.status().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);

        // Nothing of this turn went to another trace.
        assertThat(spans).allSatisfy(s -> {
            if (!s.name().startsWith("POST /api")) assertThat(s.traceId()).as(s.name()).isEqualTo(TRACE_ID);
        });

        // The run's admin trace names the OpenTelemetry trace, so an operator can go from one to the other.
        String runId = server.storage().workflows().recentTraces("wf_observed", 1).getFirst().runId();
        TestServer.Response admin = server.send(HttpRequest.newBuilder(server.uri("/admin/runs/" + runId))
                .header("Authorization", "Bearer " + MetricsServiceTest.ADMIN).GET());
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body().path("otel_trace_id").asText()).isEqualTo(TRACE_ID);
        assertThat(run.string("parley.run.id")).isEqualTo(runId);
    }

    @Test
    void withoutTraceparentATurnStartsItsOwnTraceAndAFailedModelCallIsAnErrorSpan() throws Exception {
        start(false);
        openai.then(StandInOpenAi.error(500, "The model had an internal error.", "server_error", null, null));
        var user = server.newUser();
        TestServer.Response r = turn(user, "Where is my refund?", null);
        assertThat(TestServer.parseEvents(r.text())).anyMatch(e -> e.path("type").asText().equals("error"));

        List<StandInCollector.Received> spans = collector.await(all -> all.stream()
                .anyMatch(s -> s.name().equals("POST /chatkit threads.create")));
        var request = one(spans, "POST /chatkit threads.create");
        assertThat(request.parentSpanId()).isEmpty();
        assertThat(request.traceId()).isNotEqualTo(TRACE_ID).matches("[0-9a-f]{32}");
        var chat = one(spans, "chat gpt-5-nano");
        assertThat(chat.traceId()).isEqualTo(request.traceId());
        assertThat(chat.status().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(chat.string("error.type")).isEqualTo("ModelException");
        var run = one(spans, "workflow wf_observed");
        assertThat(run.string("parley.run.status")).isEqualTo("failed");
        assertThat(run.status().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(one(spans, "node triage").status().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    }

    @Test
    void promptsAndRepliesGoOnModelSpansOnlyWhenCapturingIsOn() throws Exception {
        start(true);
        scriptBillingTurn();
        turn(server.newUser(), "Where is my refund for order A1?", null);
        List<StandInCollector.Received> spans = collector.await(all -> all.stream()
                .anyMatch(s -> s.name().equals("POST /chatkit threads.create")));
        List<StandInCollector.Received> chats = spans.stream().filter(s -> s.name().equals("chat gpt-5-nano")).toList();
        assertThat(chats).hasSize(3).allSatisfy(c -> {
            JsonNode input = TestServer.JSON.readTree(c.string("gen_ai.input.messages"));
            assertThat(input.path(input.size() - 1).path("role").asText()).isEqualTo("user");
            assertThat(input.path(input.size() - 1).path("parts").path(0).path("content").asText())
                    .contains("Where is my refund for order A1?");
            assertThat(c.string("gen_ai.system_instructions")).isNotEmpty();
        });
        assertThat(chats).anySatisfy(c -> assertThat(TestServer.JSON.readTree(c.string("gen_ai.output.messages"))
                .path(0).path("parts").path(0).path("content").asText()).isEqualTo("Your refund was sent."));
    }

    @Test
    void tracingIsOffUntilAnEndpointIsSet() {
        ObservabilityConfig none = ObservabilityConfig.fromEnv(Map.of(ObservabilityConfig.SERVICE_NAME, "parley"));
        assertThat(none.tracing()).isNull();
        ObservabilityConfig disabled = ObservabilityConfig.fromEnv(Map.of(ObservabilityConfig.OTLP_ENDPOINT,
                "http://collector:4318", ObservabilityConfig.SDK_DISABLED, "true"));
        assertThat(disabled.tracing()).isNull();
        ObservabilityConfig set = ObservabilityConfig.fromEnv(Map.of(ObservabilityConfig.OTLP_ENDPOINT, "http://collector:4318/"));
        assertThat(set.tracing().endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        ObservabilityConfig own = ObservabilityConfig.fromEnv(Map.of(ObservabilityConfig.OTLP_ENDPOINT, "http://a:4318",
                ObservabilityConfig.OTLP_TRACES_ENDPOINT, "http://b:4318/custom/traces"));
        assertThat(own.tracing().endpoint()).isEqualTo(URI.create("http://b:4318/custom/traces"));
    }
}
