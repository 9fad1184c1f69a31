package dev.parley.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley embedded in a plain Java program on the JDK's own HTTP server, with no Helidon anywhere: the host's
 * login (HTTP Basic) says who the user is, the seed workflow answers on the embedded model, and the conversation
 * is in a SQLite file.
 */
class EmbeddedLibraryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    static Parley parley;
    static HttpServer http;
    static URI chatkit;

    @BeforeAll
    static void start() throws Exception {
        parley = Parley.builder().sqlite(dir.resolve("data/parley.db")).build();
        http = JdkHttpServerHost.start(parley, Map.of("alice", "a-pass", "bob", "b-pass"));
        chatkit = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/chatkit");
    }

    @AfterAll
    static void stop() {
        if (http != null) http.stop(0);
        if (parley != null) parley.close();
    }

    @Test
    void helidonIsNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("io.helidon.webserver.WebServer"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.parley.web.ParleyServer"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theSeedWorkflowAnswersAStreamedTurnAndTheThreadIsStoredForThatUserAlone() throws Exception {
        HttpResponse<String> created = post("alice", "a-pass", create("How much does a website cost?"));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> events = events(created.body());
        assertThat(events.getFirst().path("type").asText()).isEqualTo("thread.created");
        String thread = events.getFirst().path("thread").path("id").asText();
        JsonNode answer = events.stream()
                .filter(e -> e.path("type").asText().equals("thread.item.done"))
                .map(e -> e.path("item"))
                .filter(i -> i.path("type").asText().equals("assistant_message"))
                .findFirst().orElseThrow(() -> new AssertionError("no assistant message in " + created.body()));
        // The embedded provider quotes the bundled agency knowledge; pricing is in it.
        assertThat(answer.path("content").get(0).path("text").asText()).isNotBlank();
        assertThat(events.stream().map(e -> e.path("type").asText())).contains("progress_update");

        JsonNode items = JSON.readTree(post("alice", "a-pass", itemsList(thread)).body());
        assertThat(items.path("data")).hasSize(2);
        assertThat(items.path("data").get(0).path("type").asText()).isEqualTo("user_message");

        HttpResponse<String> foreign = post("bob", "b-pass", itemsList(thread));
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(foreign.body()).path("error").path("code").asText()).isEqualTo("not_found");
        JsonNode bobs = JSON.readTree(post("bob", "b-pass", "{\"type\":\"threads.list\",\"params\":{}}").body());
        assertThat(bobs.path("data")).isEmpty();
    }

    @Test
    void mistakesGetAStatusAndAMessageNotAStackTrace() throws Exception {
        HttpResponse<String> broken = post("alice", "a-pass", "{\"type\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(broken.body()).path("error").path("code").asText()).isEqualTo("invalid_json");

        HttpResponse<String> unknown = post("alice", "a-pass", "{\"type\":\"threads.explode\",\"params\":{}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(unknown.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("unknown_type");
        assertThat(error.path("message").asText()).contains("threads.explode").contains("threads.create");
        assertThat(unknown.body()).doesNotContain("Exception").doesNotContain("\tat ");

        assertThat(post("alice", "wrong", itemsList("thr_x")).statusCode()).isEqualTo(401);
    }

    @Test
    void aBuilderWithoutAStoreSaysWhichToChoose() {
        assertThatThrownBy(() -> Parley.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sqlite(Path)")
                .hasMessageContaining("postgres(DataSource, schema)");
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    static String itemsList(String thread) {
        return "{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}";
    }

    static HttpResponse<String> post(String user, String password, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return CLIENT.send(HttpRequest.newBuilder(chatkit)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@return every {@code data: } frame of an SSE body, parsed}; fails on any other line */
    static List<JsonNode> events(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isEmpty() || frame.equals(":")) continue;
            assertThat(frame).startsWith("data: ").doesNotContain("\n");
            events.add(JSON.readTree(frame.substring("data: ".length())));
        }
        return events;
    }
}
