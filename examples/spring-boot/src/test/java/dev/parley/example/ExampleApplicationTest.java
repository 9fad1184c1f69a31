package dev.parley.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application started as it runs, on a random port with a real PostgreSQL: a conversation over HTTP
 * with SSE through the starter's endpoint, the seed workflow answering on the embedded model, each Spring Security
 * user seeing only their own threads, conversations stored in the application's database, health and metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final EmbeddedPostgres POSTGRES = start();

    @Value("${local.server.port}")
    int port;
    @Autowired
    DataSource dataSource;

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().setLocaleConfig("encoding", "UTF8").setLocaleConfig("locale", "C").start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @AfterAll
    static void stop() throws IOException {
        POSTGRES.close();
    }

    @Test
    void aConversationStreamsIsStoredInTheAppsDatabaseAndBelongsToItsUser() throws Exception {
        // Create: a streamed turn answered by the seed workflow.
        HttpResponse<String> created = chat("alice", create("How much does a website cost?"));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = events(created.body());
        assertThat(events.getFirst().path("type").asText()).isEqualTo("thread.created");
        String thread = events.getFirst().path("thread").path("id").asText();
        String firstUserItem = itemsDone(events, "user_message").getFirst().path("id").asText();
        JsonNode answer = itemsDone(events, "assistant_message").getFirst();
        assertThat(answer.path("content").get(0).path("text").asText()).isNotBlank();

        // Add a message: a second streamed turn on the same thread.
        HttpResponse<String> added = chat("alice", "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\""
                + thread + "\",\"input\":" + input("How long would that take?") + "}}");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(itemsDone(events(added.body()), "assistant_message")).hasSize(1);

        // List: the thread, and its four items in order.
        JsonNode threads = JSON.readTree(chat("alice", "{\"type\":\"threads.list\",\"params\":{}}").body());
        assertThat(threads.path("data").findValuesAsText("id")).contains(thread);
        JsonNode items = JSON.readTree(chat("alice", itemsList(thread)).body()).path("data");
        assertThat(items).hasSize(4);
        assertThat(items.get(0).path("type").asText()).isEqualTo("user_message");
        assertThat(items.get(3).path("type").asText()).isEqualTo("assistant_message");

        // Feedback on the first answer, stored in the application's database under Parley's schema.
        String firstAnswer = items.get(1).path("id").asText();
        HttpResponse<String> feedback = chat("alice", "{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\""
                + thread + "\",\"item_ids\":[\"" + firstAnswer + "\"],\"kind\":\"positive\"}}");
        assertThat(feedback.statusCode()).isEqualTo(200);
        var db = new JdbcTemplate(dataSource);
        assertThat(db.queryForObject("SELECT count(*) FROM parley.feedback WHERE thread_id = ?", Long.class, thread))
                .isEqualTo(1);
        assertThat(db.queryForObject("SELECT user_id FROM parley.threads WHERE id = ?", String.class, thread))
                .isEqualTo("alice");

        // Retry after the first user message: the later items go and a new answer streams.
        HttpResponse<String> retried = chat("alice", "{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":\""
                + thread + "\",\"item_id\":\"" + firstUserItem + "\"}}");
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(itemsDone(events(retried.body()), "assistant_message")).hasSize(1);
        assertThat(JSON.readTree(chat("alice", itemsList(thread)).body()).path("data")).hasSize(2);

        // Per-user isolation keyed on the Spring Security user: bob cannot read, retry or delete alice's thread.
        HttpResponse<String> foreign = chat("bob", itemsList(thread));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(foreign.body()).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(chat("bob", deleteThread(thread)).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(chat("bob", "{\"type\":\"threads.list\",\"params\":{}}").body())
                .path("data").findValuesAsText("id")).doesNotContain(thread);

        // Delete: gone for alice, and from the database.
        assertThat(chat("alice", deleteThread(thread)).statusCode()).isEqualTo(200);
        assertThat(chat("alice", itemsList(thread)).statusCode()).isEqualTo(404);
        assertThat(db.queryForObject("SELECT count(*) FROM parley.threads WHERE id = ?", Long.class, thread)).isZero();
    }

    @Test
    void mistakesGetAClearErrorAndNoStackTrace() throws Exception {
        HttpResponse<String> broken = chat("alice", "{\"type\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(error(broken).path("code").asText()).isEqualTo("invalid_json");

        HttpResponse<String> unknown = chat("alice", "{\"type\":\"threads.explode\",\"params\":{}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).path("message").asText()).contains("threads.explode").contains("threads.create");

        HttpResponse<String> missing = chat("alice", "{\"type\":\"items.list\",\"params\":{}}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing).path("message").asText()).contains("thread_id");

        HttpResponse<String> form = send(request("/chatkit").header("Authorization", basic("alice"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(error(form).path("message").asText()).contains("application/json");

        HttpResponse<String> huge = chat("alice", "{\"type\":\"threads.list\",\"params\":{},\"metadata\":\""
                + "x".repeat(1_100_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);

        // No login: the application's own security answers, before Parley sees the request.
        HttpResponse<String> anonymous = send(request("/chatkit").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"threads.list\",\"params\":{}}")));
        assertThat(anonymous.statusCode()).isEqualTo(401);

        for (HttpResponse<String> r : List.of(broken, unknown, missing, form, huge)) {
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void aSignedInUserChatsThroughTheWidgetOnThePage() {
        org.junit.jupiter.api.Assumptions.assumeTrue(WidgetInTheBrowser.available(),
                "Browser test skipped: install Debian's chromium and chromium-driver");
        var db = new JdbcTemplate(dataSource);
        long before = db.queryForObject("SELECT count(*) FROM parley.threads WHERE user_id = 'bob'", Long.class);
        try (var browser = new WidgetInTheBrowser()) {
            browser.signIn("http://localhost:" + port, "bob", "bob-password");
            String reply = browser.ask("What does a website cost?");
            assertThat(reply).isNotBlank();
            assertThat(browser.errors()).isEmpty();
        }
        assertThat(db.queryForObject("SELECT count(*) FROM parley.threads WHERE user_id = 'bob'", Long.class))
                .isEqualTo(before + 1);
    }

    @Test
    void theApplicationRunsWithoutParleysStandaloneServer() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Class.forName("io.helidon.webserver.WebServer"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theWidgetsSessionRouteAnswersForTheLoggedInUser() throws Exception {
        HttpResponse<String> session = send(request("/chatkit/session").header("Authorization", basic("alice"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(session.body()).path("client_secret").asText()).isNotBlank();
    }

    @Test
    void thePageAndTheWidgetScriptAreServedBehindTheLogin() throws Exception {
        HttpResponse<String> page = send(request("/").header("Authorization", basic("bob")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<parley-chat", "/chatkit/widget.js");

        HttpResponse<String> script = send(request("/chatkit/widget.js").header("Authorization", basic("bob")).GET());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("customElements").contains("parley-chat");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = send(request("/chatkit/widget.js").header("Authorization", basic("bob"))
                .header("If-None-Match", etag).GET());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        assertThat(send(request("/chatkit/widget.js").GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void healthAndMetricsShowParley() throws Exception {
        chat("alice", "{\"type\":\"threads.list\",\"params\":{}}");
        JsonNode health = JSON.readTree(send(request("/actuator/health").GET()).body());
        JsonNode parley = health.path("components").path("parley");
        assertThat(parley.path("status").asText()).isEqualTo("UP");
        assertThat(parley.path("details").path("workflow").asText()).isEqualTo("wf_seed_agency");
        assertThat(parley.path("details").path("store").asText()).contains("schema parley");

        HttpResponse<String> metrics = send(request("/actuator/metrics/parley.requests?tag=type:threads.list")
                .header("Authorization", basic("alice")).GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        JsonNode count = JSON.readTree(metrics.body()).path("measurements").get(0);
        assertThat(count.path("statistic").asText()).isEqualTo("COUNT");
        assertThat(count.path("value").asDouble()).isGreaterThanOrEqualTo(1);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private HttpResponse<String> chat(String user, String body) throws Exception {
        return send(request("/chatkit").header("Authorization", basic(user)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error");
    }

    private static String input(String text) {
        return "{\"content\":[{\"type\":\"input_text\",\"text\":\"" + text + "\"}],\"attachments\":[],\"inference_options\":{}}";
    }

    private static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":" + input(text) + "}}";
    }

    private static String itemsList(String thread) {
        return "{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}";
    }

    private static String deleteThread(String thread) {
        return "{\"type\":\"threads.delete\",\"params\":{\"thread_id\":\"" + thread + "\"}}";
    }

    private static List<JsonNode> itemsDone(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals("thread.item.done"))
                .map(e -> e.path("item")).filter(i -> i.path("type").asText().equals(type)).toList();
    }

    /** {@return every {@code data: } frame of an SSE body, parsed}; fails on any other line */
    private static List<JsonNode> events(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isEmpty() || frame.equals(":")) continue;
            assertThat(frame).startsWith("data: ").doesNotContain("\n");
            events.add(JSON.readTree(frame.substring("data: ".length())));
        }
        return events;
    }
}
