package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Action;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Responder;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import dev.parley.web.auth.ClientSecrets;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /chatkit} at the HTTP level: authentication, limits, error bodies and stream framing. */
class ChatKitRouteTest {
    static final String KEY = "route-test-key-route-test-key-0123456789";
    static final Switchable responder = new Switchable();
    static TestServer server;
    TestServer.User user;

    @BeforeAll
    static void start() {
        server = TestServer.start(responder, c -> c.withSecretKey(KEY).withMaxBodyBytes(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshUser() {
        responder.script = (turn, input, events) -> events.emit(new ThreadStreamEvent.ItemDone(
                new ThreadItem.AssistantMessage(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(),
                        List.of(AssistantContent.of("Hello")))));
        responder.syncScript = (turn, action, sender) -> null;
        user = server.newUser();
    }

    static String create(String text) {
        return "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\""
                + text + "\"}],\"attachments\":[],\"inference_options\":{}}}}";
    }

    /** A responder each test points at its own behaviour. */
    static final class Switchable implements Responder {
        volatile Responder script;
        volatile SyncScript syncScript;

        interface SyncScript {
            ThreadItem run(Turn turn, Action action, ThreadItem.Widget sender) throws Exception;
        }

        @Override
        public void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) throws Exception {
            script.respond(turn, input, events);
        }

        @Override
        public ThreadItem syncAction(Turn turn, Action action, ThreadItem.Widget sender) throws Exception {
            return syncScript.run(turn, action, sender);
        }
    }

    static final String LIST = "{\"type\":\"threads.list\",\"params\":{}}";

    // ---- authentication ------------------------------------------------------------------------------

    @Test
    void noSecretIs401WithAChallenge() {
        var r = server.userWith(user.cookie(), null).post(LIST);
        assertUnauthorized(r, "missing_token");
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"parley\"");
        assertThat(r.errorMessage()).contains("Authorization: Bearer").contains("/api/chatkit/session");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "ck_garbage", "ck_AAAA.BBBB", "Bearer", "null"})
    void garbageSecretsAre401(String secret) {
        var r = user.withSecret(secret).post(LIST);
        assertUnauthorized(r, "invalid_token");
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"parley\", error=\"invalid_token\"");
    }

    @Test
    void otherAuthorizationSchemesAre401() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/chatkit"))
                .header("Authorization", "Basic " + user.secret())
                .POST(HttpRequest.BodyPublishers.ofString(LIST)));
        assertUnauthorized(r, "missing_token");
    }

    @Test
    void anExpiredSecretIs401Expired() {
        var yesterday = new ClientSecrets(KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofMinutes(10),
                Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
        var r = user.withSecret(yesterday.issue(user.userId()).secret()).post(LIST);
        assertUnauthorized(r, "expired_token");
        assertThat(r.errorMessage()).contains("expired");
    }

    @Test
    void aTamperedSecretIs401() {
        String secret = user.secret();
        String other = server.newUser().secret();
        // Alice's payload with Bob's signature, and a flipped signature character.
        assertUnauthorized(user.withSecret(secret.substring(0, secret.indexOf('.')) + other.substring(other.indexOf('.')))
                .post(LIST), "invalid_token");
        int mid = secret.indexOf('.') + 10;
        char c = secret.charAt(mid);
        assertUnauthorized(user.withSecret(secret.substring(0, mid) + (c == 'x' ? 'y' : 'x') + secret.substring(mid + 1))
                .post(LIST), "invalid_token");
    }

    @Test
    void aSecretIsEnoughWithoutTheCookie() {
        // The widget's requests carry only the bearer secret.
        assertThat(server.userWith(null, user.secret()).post(LIST).status()).isEqualTo(200);
    }

    static void assertUnauthorized(TestServer.Response r, String code) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(r.errorCode()).isEqualTo(code);
    }

    // ---- bodies --------------------------------------------------------------------------------------

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"type\":\"threads.list\",\"params\":{},\"metadata\":{\"pad\":\"" + "x".repeat(5000) + "\"}}";
        var r = user.post(big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("body_too_large");
        assertThat(r.errorMessage()).contains("4096");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        // No Content-Length: the limit is enforced while reading.
        byte[] big = ("{\"type\":\"threads.list\",\"params\":{},\"metadata\":{\"pad\":\"" + "x".repeat(50_000) + "\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var r = server.send(user.authorized(HttpRequest.newBuilder(server.uri("/chatkit")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("body_too_large");
        // The server stays usable afterwards.
        assertThat(user.post(LIST).status()).isEqualTo(200);
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        String pad = "x".repeat(4096 - 60);
        String body = "{\"type\":\"threads.list\",\"params\":{},\"metadata\":{\"p\":\"" + pad + "\"}}";
        assertThat(body.length()).isLessThanOrEqualTo(4096);
        assertThat(user.post(body).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400() {
        for (String body : new String[] {"{", "not json", "[]", "", "{\"type\":\"threads.list\",\"params\":{}"}) {
            var r = user.post(body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorCode()).as(body).isEqualTo("invalid_json");
        }
    }

    @Test
    void anUnknownTypeIs400AndListsTheValidOnes() {
        var r = user.post("{\"type\":\"threads.explode\",\"params\":{}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("unknown_type");
        assertThat(r.errorMessage()).contains("threads.explode").contains("threads.create").contains("items.list");
    }

    @Test
    void missingParamsAre400() {
        var r = user.post("{\"type\":\"threads.get_by_id\",\"params\":{}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("invalid_params");
        assertThat(r.errorMessage()).contains("thread_id");
    }

    @Test
    void anUnknownThreadIs404() {
        var r = user.post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"thr_nope\"}}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
    }

    @Test
    void curlStyleAndMissingContentTypesAreAccepted() {
        for (String type : new String[] {null, "application/x-www-form-urlencoded", "text/plain;charset=UTF-8",
                "application/json; charset=utf-8", "application/vnd.chatkit+json"}) {
            var request = user.authorized(HttpRequest.newBuilder(server.uri("/chatkit")))
                    .POST(HttpRequest.BodyPublishers.ofString(LIST));
            if (type != null) request.header("Content-Type", type);
            assertThat(server.send(request).status()).as(String.valueOf(type)).isEqualTo(200);
        }
    }

    @Test
    void nonJsonContentTypesAre415() {
        var r = server.send(user.authorized(HttpRequest.newBuilder(server.uri("/chatkit")))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString(LIST)));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void unexpectedFailuresAre500WithoutInternals() {
        var events = user.stream(create("hi"));
        String thread = events.getFirst().path("thread").path("id").asText();
        responder.syncScript = (turn, action, sender) -> {
            throw new IllegalStateException("db password is hunter2");
        };
        var r = user.post("{\"type\":\"threads.sync_custom_action\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"action\":{\"type\":\"boom\"}}}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.errorCode()).isEqualTo("internal_error");
        assertThat(r.errorMessage()).matches(".*ref [0-9a-f]{8}");
        assertThat(r.text()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at dev.");
    }

    @Test
    void jsonAnswersAreJson() {
        var r = user.post(LIST);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body().path("data").isArray()).isTrue();
    }

    // ---- methods and other routes ---------------------------------------------------------------------

    @Test
    void otherMethodsAre405() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/chatkit")).GET());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST, OPTIONS");
        assertThat(r.errorCode()).isEqualTo("method_not_allowed");
    }

    @Test
    void optionsAnswersWithTheAllowedMethods() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/chatkit")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers().firstValue("Allow")).contains("POST, OPTIONS");
    }

    @Test
    void unknownPathsAreJson404() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/nothing/here")).GET());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
    }

    @Test
    void healthz() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/healthz")).GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void theListenerHasTcpNoDelay() {
        // Not observable from the client side; the listener's applied options are the next best thing.
        // The latency effect itself (about 40 ms per streamed turn without it) is left to the benchmark.
        assertThat(server.server().listenerConfig().connectionOptions().tcpNoDelay()).isTrue();
    }

    // ---- streams -------------------------------------------------------------------------------------

    @Test
    void streamsAreEventStreamsWithExactFraming() {
        var r = server.send(user.chatkit(create("hello")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(r.headers().firstValue("Connection")).contains("keep-alive");
        assertThat(r.text()).startsWith("data: {\"type\":\"thread.created\"").endsWith("}\n\n").doesNotContain("\r");
        List<JsonNode> events = TestServer.parseEvents(r.text());
        assertThat(events.stream().map(e -> e.path("type").asText()).toList())
                .containsExactly("thread.created", "thread.item.done", "stream_options", "thread.item.done");
    }

    @Test
    void localeAndBaseUrlReachTheResponder() {
        var seen = new AtomicReference<dev.parley.server.RequestContext>();
        responder.script = (turn, input, events) -> seen.set(turn.context());
        server.send(user.chatkit(create("hi")).header("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5"));
        assertThat(seen.get().locale()).isEqualTo("fr-CA");
        assertThat(seen.get().baseUrl()).isEqualTo("http://127.0.0.1:" + server.server().port());
        assertThat(seen.get().userId()).isEqualTo(user.userId());

        server.send(user.chatkit(create("hi")).header("X-Forwarded-Proto", "https").header("Accept-Language", "<script>"));
        assertThat(seen.get().baseUrl()).isEqualTo("https://127.0.0.1:" + server.server().port());
        assertThat(seen.get().locale()).isNull();
    }

    @Test
    void aDisconnectStopsTheResponder() throws Exception {
        var stopped = new CountDownLatch(1);
        var steps = new java.util.concurrent.atomic.AtomicInteger();
        responder.script = (turn, input, events) -> {
            try {
                // A long-running responder asks the sink whether anyone still listens, as the workflow engine does.
                while (events.isOpen() && steps.get() < 500) {
                    events.emit(new ThreadStreamEvent.ProgressUpdate(null, "step " + steps.incrementAndGet()));
                    Thread.sleep(10);
                }
            } finally {
                stopped.countDown();
            }
        };
        try (TestServer.EventStream stream = user.open(create("long task"))) {
            assertThat(stream.next().path("type").asText()).isEqualTo("thread.created");
            assertThat(stream.next().path("type").asText()).isEqualTo("thread.item.done");
        }
        assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the responder stopped").isTrue();
        assertThat(steps.get()).as("steps run before the responder saw the disconnect").isLessThan(500);
        // The server is still fine for everyone else.
        assertThat(user.post(LIST).status()).isEqualTo(200);
    }
}
