package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.web.session.SessionService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Parley processes on one PostgreSQL, as operators run them behind a load balancer: a user's turns land on
 * either server, and one server dying mid-reply leaves the thread consistent for the other to continue.
 *
 * <p>The servers are real processes ({@code java -cp <test classpath> dev.parley.web.Main}), configured only
 * through environment variables. They answer through the openai-compatible provider from a stand-in model in
 * this JVM, which streams slowly when asked to, so "mid-stream" is a fact the test observes, not a race.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_KEY = "multi-server-test-key-0123456789abcdef";
    private static final String SLOW = "slowly";
    private static final String WORKFLOW = """
            {"id": "wf_multi", "name": "Multi-server test",
             "nodes": [
               {"id": "start", "type": "start"},
               {"id": "route", "type": "if_else", "conditions": [
                 {"id": "send", "expression": "workflow.input_as_text.contains('send the summary')"}]},
               {"id": "assistant", "type": "agent", "instructions": "Answer briefly.", "include_chat_history": true},
               {"id": "answered", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                "values": {"message": "assistant.output_text"}},
               {"id": "confirm", "type": "user_approval", "message": "Send the summary to the team?"},
               {"id": "sent", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                "values": {"message": "'Summary sent.'"}},
               {"id": "kept", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
                "values": {"message": "'Not sent.'"}}
             ],
             "edges": [
               {"from": "start", "to": "route"},
               {"from": "route", "branch": "send", "to": "confirm"},
               {"from": "route", "branch": "else", "to": "assistant"},
               {"from": "assistant", "to": "answered"},
               {"from": "confirm", "branch": "approved", "to": "sent"},
               {"from": "confirm", "branch": "rejected", "to": "kept"}
             ]}""";

    static EmbeddedPostgres postgres;
    static StandInModel model;
    static Parley a;
    static Parley b;
    static Path root;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // Shared between the ordered tests: one user's conversation.
    static String cookie;
    static String thread;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setLocaleConfig("encoding", "UTF8").setLocaleConfig("locale", "C").start();
        model = new StandInModel();
        root = Files.createTempDirectory("parley-multi-");
        Path workflows = Files.createDirectories(root.resolve("workflows"));
        Files.writeString(workflows.resolve("wf_multi.json"), WORKFLOW);
        Map<String, String> env = Map.of(
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_SECRET_KEY", SECRET_KEY,
                "PARLEY_DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "PARLEY_WORKFLOWS_DIR", workflows.toString(),
                "PARLEY_WORKFLOW", "wf_multi",
                "PARLEY_MODEL_PROVIDER", "openai-compatible",
                "OPENAI_BASE_URL", model.baseUrl(),
                "PARLEY_MODEL", "stand-in",
                "PARLEY_MODEL_MAX_RETRIES", "0");
        // Both start at once, as a rolling deploy would: Flyway and the workflows folder meet on one database.
        a = Parley.launch("a", root.resolve("a"), env);
        b = Parley.launch("b", root.resolve("b"), env);
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Parley p : new Parley[] {a, b}) {
            if (p == null) continue;
            p.process.destroyForcibly();
            p.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (model != null) model.close();
        if (postgres != null) postgres.close();
        if (root != null) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void turnsAlternateBetweenServersWithOneSecretAndOneHistory() throws Exception {
        Session onA = a.newSession();
        cookie = onA.cookie;
        List<JsonNode> first = a.stream(onA.secret, create("Hello from server A"));
        thread = first.getFirst().path("thread").path("id").asText();
        assertThat(reply(first)).isEqualTo("Reply to: Hello from server A");

        // A secret minted by A is accepted by B (shared key, nothing stored), and B sees A's turn.
        List<JsonNode> second = b.stream(onA.secret, say(thread, "And hello from server B"));
        assertThat(reply(second)).isEqualTo("Reply to: And hello from server B");
        assertThat(texts(b.items(onA.secret, thread))).containsExactly(
                "Hello from server A", "Reply to: Hello from server A",
                "And hello from server B", "Reply to: And hello from server B");

        // The cookie A set identifies the same user on B, whose fresh secret sees the same thread.
        Session onB = b.session(cookie);
        assertThat(texts(a.items(onB.secret, thread))).hasSize(4);
        // Another visitor finds nothing, on either server.
        assertThat(b.call(b.newSession().secret, itemsList(thread)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void anApprovalAskedForOnOneServerIsAnsweredOnTheOther() throws Exception {
        String secret = b.session(cookie).secret;
        List<JsonNode> ask = b.stream(secret, say(thread, "Please send the summary"));
        assertThat(ask).anyMatch(e -> e.path("type").asText().equals("thread.item.done")
                && e.path("item").path("type").asText().equals("widget"));

        List<JsonNode> approved = a.stream(a.session(cookie).secret, say(thread, "yes"));
        assertThat(reply(approved)).isEqualTo("Summary sent.");
    }

    @Test
    @Order(3)
    void aServerKilledMidReplyLeavesAConsistentThreadAndTheOtherAnswersTheRetry() throws Exception {
        String secret = b.session(cookie).secret;
        int before = b.items(secret, thread).size();
        String question = "Tell me " + SLOW + " about PostgreSQL";
        try (var events = b.open(secret, say(thread, question))) {
            // Read until the reply is visibly in flight: its item added and two pieces of text streamed.
            List<JsonNode> seen = events.readUntil(e -> count(e, "assistant_message.content_part.text_delta") >= 2);
            assertThat(seen).noneMatch(e -> e.path("type").asText().equals("thread.item.done")
                    && e.path("item").path("type").asText().equals("assistant_message"));
            b.process.destroyForcibly();
            assertThat(b.process.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
        }

        // On A: the user's message is there, and nothing of the half-streamed reply.
        String onA = a.session(cookie).secret;
        List<JsonNode> items = a.items(onA, thread);
        assertThat(items).hasSize(before + 1);
        JsonNode last = items.getLast();
        assertThat(last.path("type").asText()).isEqualTo("user_message");
        assertThat(last.path("content").get(0).path("text").asText()).isEqualTo(question);
        assertThat(texts(items)).as("no part of the reply B was streaming was stored")
                .noneMatch(text -> text.startsWith("Reply to: " + question));
        assertThat(items).allSatisfy(item -> assertThat(item.path("id").asText()).isNotBlank());

        // The user retries on A and gets the whole reply; the thread holds the question once, then the answer.
        List<JsonNode> retried = a.stream(onA, retry(thread, last.path("id").asText()));
        assertThat(reply(retried)).isEqualTo(StandInModel.slowReply(question));
        List<JsonNode> after = a.items(onA, thread);
        assertThat(texts(after.subList(before, after.size()))).containsExactly(question, StandInModel.slowReply(question));
    }

    @Test
    @Order(4)
    void aServerWhoseDatabaseIsUnreachableSaysWhatToFixWithoutThePassword() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Parley broken = Parley.launch("broken", root.resolve("broken"), Map.of(
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_SECRET_KEY", SECRET_KEY,
                "PARLEY_MODEL_PROVIDER", "openai-compatible",
                "OPENAI_BASE_URL", model.baseUrl(),
                "PARLEY_MODEL", "stand-in",
                "PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/parley?user=parley&password=s3cret-pw"));
        assertThat(broken.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exits").isTrue();
        assertThat(broken.process.exitValue()).isEqualTo(1);
        String log = Files.readString(broken.log);
        assertThat(log).contains("PARLEY_DATABASE_URL").contains("127.0.0.1:" + closedPort + "/parley as user parley")
                .doesNotContain("s3cret-pw");
    }

    // ---- requests ------------------------------------------------------------------------------------

    static String input(String text) {
        return "{\"content\":[{\"type\":\"input_text\",\"text\":" + quote(text) + "}],\"attachments\":[],\"inference_options\":{}}";
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":" + input(text) + "}}";
    }

    static String say(String thread, String text) {
        return "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":" + quote(thread) + ",\"input\":" + input(text) + "}}";
    }

    static String retry(String thread, String item) {
        return "{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":" + quote(thread) + ",\"item_id\":" + quote(item) + "}}";
    }

    static String itemsList(String thread) {
        return "{\"type\":\"items.list\",\"params\":{\"thread_id\":" + quote(thread) + ",\"order\":\"asc\",\"limit\":100}}";
    }

    static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    static String reply(List<JsonNode> events) {
        for (JsonNode e : events.reversed()) {
            if (e.path("type").asText().equals("thread.item.done") && e.path("item").path("type").asText().equals("assistant_message")) {
                return e.path("item").path("content").get(0).path("text").asText();
            }
        }
        throw new AssertionError("No assistant reply in " + events);
    }

    static List<String> texts(List<JsonNode> items) {
        return items.stream().filter(i -> i.path("type").asText().endsWith("_message"))
                .map(i -> i.path("content").get(0).path("text").asText()).toList();
    }

    static int count(List<JsonNode> events, String updateType) {
        return (int) events.stream().filter(e -> e.path("update").path("type").asText().equals(updateType)).count();
    }

    record Session(String cookie, String secret) {}

    /** One Parley process: its output goes to a log file that a failing test prints. */
    static final class Parley {
        final String name;
        final Process process;
        final Path log;
        final URI base;

        private Parley(String name, Process process, Path log, int port) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.base = URI.create("http://127.0.0.1:" + port + "/");
        }

        static Parley launch(String name, Path dataDir, Map<String, String> env) throws IOException {
            Files.createDirectories(dataDir);
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = ProcessHandle.current().info().command().orElse("java");
            var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classpath, "dev.parley.web.Main");
            builder.environment().keySet().removeIf(k -> k.startsWith("PARLEY_") || k.startsWith("OPENAI_"));
            builder.environment().putAll(env);
            builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
            // A port that was free a moment ago: the child's log level (the test classpath's logging.properties
            // wins) hides the line that would name a port it chose itself.
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            builder.environment().put("PARLEY_PORT", Integer.toString(port));
            Path log = dataDir.resolve("server.log");
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            return new Parley(name, builder.start(), log, port);
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new AssertionError("Server " + name + " exited:\n" + Files.readString(log));
                try {
                    var health = HttpRequest.newBuilder(base.resolve("healthz")).timeout(Duration.ofSeconds(2)).build();
                    if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(100);
            }
            throw new AssertionError("Server " + name + " did not start:\n" + Files.readString(log));
        }

        Session newSession() throws Exception {
            return session(null);
        }

        Session session(String cookie) throws Exception {
            var request = HttpRequest.newBuilder(base.resolve("api/chatkit/session")).POST(HttpRequest.BodyPublishers.noBody());
            if (cookie != null) request.header("Cookie", SessionService.COOKIE + "=" + cookie);
            HttpResponse<String> res = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as("session on %s: %s", name, res.body()).isEqualTo(200);
            String set = res.headers().firstValue("Set-Cookie").orElse(null);
            String id = cookie != null ? cookie : set.substring(set.indexOf('=') + 1, set.indexOf(';'));
            return new Session(id, JSON.readTree(res.body()).path("client_secret").asText());
        }

        HttpResponse<String> call(String secret, String body) throws Exception {
            return HTTP.send(post(secret, body), HttpResponse.BodyHandlers.ofString());
        }

        List<JsonNode> items(String secret, String thread) throws Exception {
            HttpResponse<String> res = call(secret, itemsList(thread));
            assertThat(res.statusCode()).as("items.list on %s: %s", name, res.body()).isEqualTo(200);
            List<JsonNode> items = new ArrayList<>();
            JSON.readTree(res.body()).path("data").forEach(items::add);
            return items;
        }

        List<JsonNode> stream(String secret, String body) throws Exception {
            try (Events events = open(secret, body)) {
                List<JsonNode> all = events.readUntil(e -> false);
                assertThat(all).as("events from %s", name).noneMatch(e -> e.path("type").asText().equals("error"));
                return all;
            }
        }

        Events open(String secret, String body) throws Exception {
            HttpResponse<InputStream> res = HTTP.send(post(secret, body), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).as("stream on %s", name).isEqualTo(200);
            return new Events(res.body());
        }

        private HttpRequest post(String secret, String body) {
            return HttpRequest.newBuilder(base.resolve("chatkit")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    /** The events of one SSE response, read as they arrive. */
    static final class Events implements AutoCloseable {
        private final BufferedReader reader;
        private final List<JsonNode> seen = new ArrayList<>();

        Events(InputStream body) {
            reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** {@return every event so far, once the newest satisfies the condition or the stream ends} */
        List<JsonNode> readUntil(Predicate<List<JsonNode>> done) throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) continue;
                seen.add(JSON.readTree(line.substring(5).strip()));
                if (done.test(seen)) break;
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // The server may already be gone; that is the point of one of the tests.
            }
        }
    }

    /**
     * A Chat Completions endpoint that answers "Reply to: <last user message>" in three pieces, or, when the
     * message asks for it to be slow the first time, in twenty pieces a quarter of a second apart.
     */
    static final class StandInModel implements AutoCloseable {
        private final HttpServer server;
        private final AtomicBoolean sloweddown = new AtomicBoolean();

        StandInModel() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", this::complete);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        static String slowReply(String question) {
            return "Reply to: " + question + " (a long answer, in many pieces)";
        }

        private void complete(HttpExchange exchange) throws IOException {
            try (exchange) {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                String question = lastUserText(request.path("messages"));
                boolean slow = question.contains(SLOW);
                List<String> pieces = new ArrayList<>();
                if (slow) {
                    String text = slowReply(question);
                    for (int i = 0; i < 20; i++) pieces.add(text.substring(i * text.length() / 20, (i + 1) * text.length() / 20));
                } else {
                    pieces.addAll(List.of("Reply ", "to: ", question));
                }
                boolean paced = slow && sloweddown.compareAndSet(false, true);
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                send(out, chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
                for (String piece : pieces) {
                    send(out, chunk(JSON.createObjectNode().put("content", piece), null));
                    if (paced) Thread.sleep(250);
                }
                send(out, chunk(JSON.createObjectNode(), "stop"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException e) {
                // The Parley server that asked was killed mid-reply; its connection is gone.
            }
        }

        private static String lastUserText(JsonNode messages) {
            String text = "";
            for (JsonNode m : messages) {
                if (!m.path("role").asText().equals("user")) continue;
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    text = content.asText();
                } else {
                    var parts = new StringBuilder();
                    content.forEach(p -> parts.append(p.path("text").asText()));
                    text = parts.toString();
                }
            }
            return text;
        }

        private static ObjectNode chunk(ObjectNode delta, String finish) {
            ObjectNode c = JSON.createObjectNode().put("id", "chatcmpl-multi").put("object", "chat.completion.chunk")
                    .put("created", 1_764_000_000L).put("model", "stand-in");
            ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
            return c;
        }

        private static void send(OutputStream out, ObjectNode chunk) throws IOException {
            out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
