package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.session.SessionService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws seeded random malformed HTTP (raw sockets) and malformed JSON (mutated valid requests, through the JDK
 * client) at a running server, as an operator runs it with the admin API on, and asserts: no 5xx, every error is
 * Parley's JSON error body, no SEVERE log line, and afterwards the server still answers a normal chat turn.
 *
 * <p>The seed is printed; {@code -Dparley.fuzz.seed=…} replays a run, and a failure names the seed and each
 * offending request. The run stops after its case counts or {@link #BUDGET}, whichever comes first.
 */
class FuzzTest {
    static final String TOKEN = WorkflowChatTest.TOKEN;
    static final Duration BUDGET = Duration.ofSeconds(25);
    static final int RAW_CASES = 1_000;
    static final int JSON_CASES = 3_000;
    static final int SHOWN_FAILURES = 5;

    static final List<String> CHATKIT = List.of(
            "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}],"
                    + "\"attachments\":[],\"inference_options\":{}}}}",
            "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"$THREAD\",\"input\":{\"content\":"
                    + "[{\"type\":\"input_text\",\"text\":\"more\"}],\"attachments\":[],\"inference_options\":{}}}}",
            "{\"type\":\"threads.list\",\"params\":{\"limit\":5,\"order\":\"desc\"}}",
            "{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"$THREAD\"}}",
            "{\"type\":\"items.list\",\"params\":{\"thread_id\":\"$THREAD\",\"limit\":10,\"order\":\"asc\",\"after\":null}}",
            "{\"type\":\"threads.update\",\"params\":{\"thread_id\":\"$THREAD\",\"title\":\"renamed\"}}",
            "{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"$THREAD\",\"item_ids\":[\"msg_1\"],\"kind\":\"positive\"}}",
            "{\"type\":\"attachments.create\",\"params\":{\"name\":\"a.png\",\"size\":10,\"mime_type\":\"image/png\"}}",
            "{\"type\":\"threads.custom_action\",\"params\":{\"thread_id\":\"$THREAD\",\"item_id\":null,"
                    + "\"action\":{\"type\":\"click\",\"payload\":{}}}}");
    static final String SESSION = "{\"workflow\":{\"version\":\"1\"}}";
    static final String WORKFLOW = """
            {"id": "wf_fuzz", "name": "Fuzz", "nodes": [{"id": "start", "type": "start"},
             {"id": "end", "type": "end", "schema": {"type": "object", "properties": {"message": {"type": "string"}}},
              "values": {"message": "'ok'"}}], "edges": [{"from": "start", "to": "end"}]}""";
    static final String MESSAGE = "{\"text\":\"hello\",\"state_variables\":{\"plan\":\"pro\"}}";

    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> statuses = new java.util.TreeMap<>();
    private TestServer server;
    private HttpClient http;
    private String secret;
    private String thread;
    private Random random;
    private Mutations mutations;
    private long seed;

    @Test
    void malformedHttpAndJsonGetJson4xxAndTheServerStillChats() throws Exception {
        seed = Long.getLong("parley.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("FuzzTest seed " + seed + " (replay with -Dparley.fuzz.seed=" + seed + ")");
        random = new Random(seed);
        mutations = new Mutations(random);
        Path dir = Files.createTempDirectory("parley-fuzz-");
        // Rate limits off: the point is malformed input, not 429s.
        var access = ParleyConfig.fromEnv(Map.of("PARLEY_RATE_LIMIT_USER", "0", "PARLEY_RATE_LIMIT_IP", "0")).access();
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir).withAccess(access);
        try (LogCapture log = new LogCapture();
                TestServer s = TestServer.startWorkflows(config, AssistantConfig.defaults().withAdminToken(TOKEN),
                        WorkflowChatTest.KEYWORDS, true)) {
            server = s;
            http = s.http();
            TestServer.User user = s.newUser();
            secret = user.secret();
            thread = user.stream(CHATKIT.getFirst()).getFirst().path("thread").path("id").asText();
            assertThat(admin("POST", "/admin/workflows", WORKFLOW.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);

            long end = System.nanoTime() + BUDGET.toNanos();
            int raw = 0;
            int json = 0;
            while ((raw < RAW_CASES || json < JSON_CASES) && System.nanoTime() < end) {
                if (raw < RAW_CASES && (json >= JSON_CASES || random.nextInt(4) == 0)) {
                    rawCase(raw++);
                } else {
                    jsonCase(json++);
                }
            }
            System.out.println("FuzzTest sent " + raw + " raw and " + json + " JSON requests; statuses " + statuses);

            assertThat(failures).as("seed " + seed + ": " + failures.size() + " bad answers, the first "
                    + SHOWN_FAILURES + ":\n" + String.join("\n", failures.subList(0, Math.min(SHOWN_FAILURES, failures.size()))))
                    .isEmpty();
            assertThat(log.severe()).as("seed " + seed + ": SEVERE log lines").isEmpty();
            List<String> types = s.newUser().stream(CHATKIT.getFirst()).stream().map(e -> e.path("type").asText()).toList();
            assertThat(types).as("a normal turn after the fuzzing").startsWith("thread.created").contains("thread.item.done")
                    .doesNotContain("error");
        }
    }

    // ---- raw HTTP ----------------------------------------------------------------------------------------

    private void rawCase(int n) {
        String[][] targets = {
                {"POST", "/chatkit", "Authorization", "Bearer " + secret, CHATKIT.get(2)},
                {"POST", SessionService.PATH, "Content-Type", "application/json", SESSION},
                {"GET", "/admin/users/alice/threads?limit=5", "Authorization", "Bearer " + TOKEN, ""},
                {"POST", "/admin/users/alice/messages", "Authorization", "Bearer " + TOKEN, MESSAGE},
                {"PUT", "/chatkit/attachments/atc_missing/upload", "Authorization", "Bearer " + secret, "0123456789"},
                {"GET", "/healthz", "Accept", "*/*", ""}};
        String[] t = targets[random.nextInt(targets.length)];
        Mutations.Body request = mutations.http(t[0], t[1], Map.of(t[2], t[3]), t[4].getBytes(StandardCharsets.UTF_8));
        String what = "raw #" + n + " " + t[0] + " " + t[1] + " (" + request.how() + ")";
        RawHttp.Reply r;
        try {
            // Half-closed: the server has the whole request and must answer or close at once.
            r = RawHttp.exchange(server.uri("/"), request.bytes(), true, 10_000);
        } catch (UncheckedIOException e) {
            failures.add(what + " → no answer and no close within 10 s: " + e.getCause());
            return;
        }
        count(r.status());
        if (r.status() == -1) return; // closed without answering: the request never completed
        check(what, r.status(), r.headers().getOrDefault("content-type", ""), r.body(), t[0]);
    }

    // ---- JSON --------------------------------------------------------------------------------------------

    private void jsonCase(int n) throws InterruptedException {
        int target = random.nextInt(20);
        if (target < 13) {
            String valid = CHATKIT.get(random.nextInt(CHATKIT.size())).replace("$THREAD", thread);
            Mutations.Body body = mutations.json(parse(valid));
            send("json #" + n + " /chatkit " + body.shown(), HttpRequest.newBuilder(server.uri("/chatkit"))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())), "POST");
        } else if (target < 15) {
            Mutations.Body body = mutations.json(parse(SESSION));
            send("json #" + n + " session " + body.shown(), HttpRequest.newBuilder(server.uri(SessionService.PATH))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())), "POST");
        } else if (target < 18) {
            adminCase(n);
        } else {
            uploadCase(n);
        }
    }

    private void adminCase(int n) throws InterruptedException {
        String[] weird = {"abc", "-1", "0", "1.5", "99999999999999999999", "", "%00", "😀", "1e3", " 7", "null"};
        String w = URLEncoder.encode(weird[random.nextInt(weird.length)], StandardCharsets.UTF_8);
        switch (random.nextInt(5)) {
            case 0 -> send("json #" + n + " admin threads limit=" + w, adminRequest("GET",
                    "/admin/users/alice/threads?limit=" + w + "&after=" + w, null), "GET");
            case 1 -> send("json #" + n + " admin runs limit=" + w, adminRequest("GET",
                    "/admin/workflows/wf_fuzz/runs?limit=" + w, null), "GET");
            case 2 -> send("json #" + n + " admin version " + w, adminRequest("GET",
                    "/admin/workflows/" + w + "/versions/" + w, null), "GET");
            case 3 -> {
                Mutations.Body body = mutations.json(parse(WORKFLOW));
                send("json #" + n + " admin publish " + body.shown(), adminRequest("POST", "/admin/workflows", body.bytes()), "POST");
            }
            default -> {
                Mutations.Body body = mutations.json(parse(MESSAGE));
                send("json #" + n + " admin message " + body.shown(),
                        adminRequest("POST", "/admin/users/alice/messages", body.bytes()), "POST");
            }
        }
    }

    private void uploadCase(int n) throws InterruptedException {
        HttpResponse<String> created = exchange(HttpRequest.newBuilder(server.uri("/chatkit"))
                .header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString(CHATKIT.get(7))));
        String url = parse(created.body()).path("upload_descriptor").path("url").asText();
        if (url.isEmpty()) {
            failures.add("json #" + n + " attachments.create failed: " + created.statusCode() + " " + created.body());
            return;
        }
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        String[] types = {"image/png", "multipart/form-data; boundary=xyz", "multipart/form-data", "", "text/plain; charset=\u00ff"};
        String type = types[random.nextInt(types.length)];
        String method = random.nextBoolean() ? "PUT" : "POST";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (!type.isEmpty()) b.header("Content-Type", type);
        send("json #" + n + " upload " + method + " " + type + " " + bytes.length + " random bytes", b, method);
    }

    private HttpRequest.Builder adminRequest(String method, String path, byte[] body) {
        return HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> admin(String method, String path, byte[] body) throws InterruptedException {
        return exchange(adminRequest(method, path, body));
    }

    private void send(String what, HttpRequest.Builder request, String method) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failures.add(what + " → no answer: " + e);
            return;
        }
        count(r.statusCode());
        check(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), method);
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) throws InterruptedException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- checks ------------------------------------------------------------------------------------------

    private void check(String what, int status, String contentType, String body, String method) {
        // 505 is the one 5xx about the client: it asked for an HTTP version other than 1.1.
        if (status >= 500 && status != 505) {
            failures.add(what + " → " + status + " " + shorten(body));
        } else if (status >= 400 && !method.equals("HEAD") && !isErrorBody(contentType, body)) {
            failures.add(what + " → " + status + " without Parley's JSON error body: \"" + contentType + "\" " + shorten(body));
        }
    }

    private static boolean isErrorBody(String contentType, String body) {
        if (!contentType.startsWith("application/json")) return false;
        try {
            JsonNode error = TestServer.JSON.readTree(body).path("error");
            return error.path("code").isTextual() && error.path("message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    private void count(int status) {
        statuses.merge(status == -1 ? "closed" : Integer.toString(status), 1, Integer::sum);
    }

    private static JsonNode parse(String json) {
        try {
            return TestServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
