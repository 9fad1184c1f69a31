package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.Responder;
import dev.parley.store.Store;
import dev.parley.web.chatkit.ChatKitService;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.session.SessionService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Parley server on a free port with its own temporary data directory, and clients that talk to it the
 * way a browser does: over HTTP with the JDK client, a session cookie and a client secret. No mocks.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(new EchoResponder())) {
 *     TestServer.User user = server.newUser();                 // POST /api/chatkit/session
 *     List<JsonNode> events = user.stream("""
 *         {"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"hi"}],
 *          "attachments":[],"inference_options":{}}}}""");   // asserts 200, text/event-stream, exact framing
 *     String thread = events.get(0).path("thread").path("id").asText();
 *     TestServer.Response r = user.post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + thread + "\"}}");
 *     assertThat(r.status()).isEqualTo(200);
 *     assertThat(server.store().loadThread(user.userId(), thread).title()).isEqualTo("hi");
 * }
 * }</pre>
 *
 * <p>Start one per test class ({@code @BeforeAll}) when the tests do not interfere; each {@link #newUser()} is a
 * separate user with its own threads. {@link #close()} stops the server and deletes the data directory it made.
 */
public final class TestServer implements AutoCloseable {
    /** Reads response bodies; tree reads need no wire rules. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ParleyServer server;
    private final Path ownDataDir;
    private final HttpClient http;

    private TestServer(ParleyServer server, Path ownDataDir) {
        this.server = server;
        this.ownDataDir = ownDataDir;
        // HTTP/1.1 as browsers speak to a plain-HTTP server; one client, so keep-alive connections are reused.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** {@return a server with the default configuration on 127.0.0.1, a free port and a fresh data directory} */
    public static TestServer start(Responder responder) {
        return start(responder, c -> c);
    }

    /**
     * {@return a server whose configuration the caller adjusts}, e.g.
     * {@code TestServer.start(responder, c -> c.withMaxBodyBytes(4096).withCookieSecure(true))}. Host, port and
     * data directory are set before {@code customize} runs, so it may override them too.
     */
    public static TestServer start(Responder responder, UnaryOperator<ParleyConfig> customize) {
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParleyConfig config = customize.apply(ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir));
        try {
            return new TestServer(ParleyServer.start(config, responder), dir);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * {@return a server as an operator runs it: the workflow engine answering through {@code model}}, with a
     * fresh data directory on a free port
     */
    public static TestServer startWorkflows(AssistantConfig assistant, dev.parley.model.ModelProvider model) {
        Path dir;
        try {
            dir = Files.createTempDirectory("parley-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return startWorkflows(ParleyConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir),
                    assistant, model, true);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** {@return a server with the workflow engine on exactly this configuration}, deleting its data on close if asked */
    public static TestServer startWorkflows(ParleyConfig config, AssistantConfig assistant,
            dev.parley.model.ModelProvider model, boolean ownsDataDir) {
        return new TestServer(ParleyServer.start(config, assistant, model), ownsDataDir ? config.dataDir() : null);
    }

    /** {@return a server on a running {@link ParleyServer} the test started itself}, its data left in place on close */
    public static TestServer of(ParleyServer server) {
        return new TestServer(server, null);
    }

    /** {@return a server with exactly this configuration}; its data directory is left in place on close */
    public static TestServer start(ParleyConfig config, Responder responder) {
        return new TestServer(ParleyServer.start(config, responder), null);
    }

    /** {@return the running server} */
    public ParleyServer server() {
        return server;
    }

    /** {@return the server's store, for asserting what was persisted} */
    public Store store() {
        return server.store();
    }

    /** {@return all of the server's storage (workflows, sessions), for asserting what was persisted} */
    public dev.parley.store.Storage storage() {
        return server.storage();
    }

    /** {@return the configuration the server runs with} */
    public ParleyConfig config() {
        return server.config();
    }

    /** {@return the shared HTTP client, for requests the helpers do not cover} */
    public HttpClient http() {
        return http;
    }

    /** {@return the absolute URI of a path on this server, such as {@code uri("/chatkit")}} */
    public URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    /** {@return a new user: a session from {@code POST /api/chatkit/session}, with its cookie and client secret} */
    public User newUser() {
        return newUser(null);
    }

    /** {@return a new user whose session request carries this JSON body (e.g. a pinned workflow version)} */
    public User newUser(String sessionBody) {
        Response r = send(HttpRequest.newBuilder(uri(SessionService.PATH)).POST(sessionBody == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(sessionBody)));
        if (r.status() != 200) throw new AssertionError("The session route answered " + r.status() + ": " + r.text());
        String setCookie = r.headers().firstValue("Set-Cookie")
                .orElseThrow(() -> new AssertionError("The session route set no cookie"));
        String cookie = setCookie.split(";", 2)[0].substring(SessionService.COOKIE.length() + 1);
        return new User(cookie, r.body().path("client_secret").asText());
    }

    /**
     * {@return a client with this cookie and secret}, for tests of forged or foreign credentials; either may be
     * null (no {@code Cookie} or no {@code Authorization} header is sent)
     */
    public User userWith(String cookie, String secret) {
        return new User(cookie, secret);
    }

    /** Sends any request and {@return the response, its body parsed as JSON when it is JSON} */
    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            return Response.of(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server, closes its store and deletes the data directory this harness created. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            http.close();
            if (ownDataDir != null) deleteTree(ownDataDir);
        }
    }

    /**
     * A browser session: the {@code chatkit_session_id} cookie and a client secret sent as
     * {@code Authorization: Bearer}.
     */
    public final class User {
        private final String cookie;
        private final String secret;

        private User(String cookie, String secret) {
            this.cookie = cookie;
            this.secret = secret;
        }

        /** {@return the session cookie's value, or null} */
        public String cookie() {
            return cookie;
        }

        /** {@return the client secret, or null} */
        public String secret() {
            return secret;
        }

        /** {@return the user id the store files this user's records under (derived from the cookie)} */
        public String userId() {
            return SessionService.userIdOf(cookie);
        }

        /** {@return the same user with a fresh secret from the session route, as ChatKit's refresh does} */
        public User refreshed() {
            Response r = send(withCookie(HttpRequest.newBuilder(uri(SessionService.PATH)))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (r.status() != 200) throw new AssertionError("The session route answered " + r.status() + ": " + r.text());
            return new User(cookie, r.body().path("client_secret").asText());
        }

        /** {@return this user's cookie with another secret (or none)} */
        public User withSecret(String otherSecret) {
            return new User(cookie, otherSecret);
        }

        /** Sends a non-streaming request to {@code POST /chatkit} and {@return the response} */
        public Response post(String json) {
            return send(chatkit(json));
        }

        /**
         * Sends a streaming request and {@return its events, parsed}. Fails unless the response is 200
         * {@code text/event-stream} and the body is exactly a sequence of {@code data: <one-line JSON>\n\n} frames.
         */
        public List<JsonNode> stream(String json) {
            return parseEvents(streamRaw(json));
        }

        /** As {@link #stream}, but {@return the body as sent}, after checking status and content type */
        public String streamRaw(String json) {
            Response r = send(chatkit(json));
            if (r.status() != 200) throw new AssertionError("Expected a stream, got " + r.status() + ": " + r.text());
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (!type.equals("text/event-stream")) {
                throw new AssertionError("Expected Content-Type text/event-stream, got \"" + type + "\": " + r.text());
            }
            return r.text();
        }

        /**
         * Opens a streaming request and {@return a reader of its events as they arrive}; closing it disconnects,
         * which lets tests cancel a turn midway.
         */
        public EventStream open(String json) {
            try {
                HttpResponse<InputStream> r = http.send(chatkit(json).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    String body;
                    try (InputStream in = r.body()) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    throw new AssertionError("Expected a stream, got " + r.statusCode() + ": " + body);
                }
                return new EventStream(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** {@return a GET of the URL (absolute, or a path on this server) with this user's secret, if any} */
        public Response get(String url) {
            return send(authorized(HttpRequest.newBuilder(resolve(url))).GET());
        }

        /** {@return a request builder for {@code POST /chatkit} with this user's credentials} */
        public HttpRequest.Builder chatkit(String json) {
            return authorized(HttpRequest.newBuilder(uri(ChatKitService.PATH)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
        }

        /** {@return the builder with this user's cookie and {@code Authorization: Bearer} secret added} */
        public HttpRequest.Builder authorized(HttpRequest.Builder request) {
            if (secret != null) request.header("Authorization", "Bearer " + secret);
            return withCookie(request);
        }

        /** {@return the builder with this user's cookie added} */
        public HttpRequest.Builder withCookie(HttpRequest.Builder request) {
            if (cookie != null) request.header("Cookie", SessionService.COOKIE + "=" + cookie);
            return request;
        }

        private URI resolve(String url) {
            return url.startsWith("http://") || url.startsWith("https://") ? URI.create(url) : uri(url);
        }
    }

    /**
     * A response with its body as text and, when the body is JSON, as a tree ({@code body()} is a missing node
     * otherwise, so {@code path(...)} chains never throw).
     */
    public record Response(int status, HttpHeaders headers, String text, JsonNode body, byte[] bytes) {
        static Response of(int status, HttpHeaders headers, byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            JsonNode json = JSON.missingNode();
            if (headers.firstValue("Content-Type").orElse("").startsWith("application/json")) {
                try {
                    json = JSON.readTree(text);
                } catch (IOException e) {
                    throw new AssertionError("The server sent invalid JSON: " + text, e);
                }
            }
            return new Response(status, headers, text, json, bytes);
        }

        /** {@return the {@code error.code} of an error body, or ""} */
        public String errorCode() {
            return body.path("error").path("code").asText();
        }

        /** {@return the {@code error.message} of an error body, or ""} */
        public String errorMessage() {
            return body.path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** Events of an open stream, read one at a time; framing is checked as in {@link User#stream}. */
    public static final class EventStream implements AutoCloseable {
        private final InputStream in;

        private EventStream(InputStream in) {
            this.in = in;
        }

        /** {@return the next event, or null when the server has ended the stream} */
        public JsonNode next() {
            JsonNode event;
            do {
                event = nextFrame();
            } while (event != null && event.isMissingNode());
            return event;
        }

        /** {@return the next frame's event, a missing node for a keep-alive comment, or null at the end} */
        private JsonNode nextFrame() {
            try {
                var frame = new ByteArrayOutputStream();
                int b;
                int last = -1;
                while ((b = in.read()) != -1) {
                    frame.write(b);
                    if (b == '\n' && last == '\n') break;
                    last = b;
                }
                if (frame.size() == 0) return null;
                List<JsonNode> one = parseEvents(frame.toString(StandardCharsets.UTF_8));
                return one.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : one.getFirst();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Disconnects, as a user closing the tab would. */
        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Already gone.
            }
        }
    }

    /**
     * {@return the events of a raw stream body}, failing unless every frame is exactly {@code data: } + one line of
     * JSON + a blank line: no {@code event:}/{@code id:} lines, no CRLF, nothing after the last frame. The one
     * comment allowed is Parley's empty keep-alive ({@code :\n\n}), which it writes while a tool call runs.
     */
    public static List<JsonNode> parseEvents(String raw) {
        List<JsonNode> events = new ArrayList<>();
        int at = 0;
        while (at < raw.length()) {
            if (raw.startsWith(":\n\n", at)) {
                at += 3;
                continue;
            }
            if (!raw.startsWith("data: ", at)) {
                throw new AssertionError("Frame at offset " + at + " does not start with \"data: \": " + excerpt(raw, at));
            }
            int end = raw.indexOf("\n\n", at);
            if (end < 0) throw new AssertionError("Frame at offset " + at + " is not ended by a blank line: " + excerpt(raw, at));
            String json = raw.substring(at + 6, end);
            if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
                throw new AssertionError("Frame at offset " + at + " spans several lines: " + excerpt(raw, at));
            }
            try {
                JsonNode event = JSON.readTree(json);
                if (!event.isObject() || !event.path("type").isTextual()) {
                    throw new AssertionError("Frame at offset " + at + " is not an event object: " + json);
                }
                events.add(event);
            } catch (IOException e) {
                throw new AssertionError("Frame at offset " + at + " is not JSON: " + json, e);
            }
            at = end + 2;
        }
        return events;
    }

    private static String excerpt(String raw, int at) {
        return "\"" + raw.substring(at, Math.min(raw.length(), at + 120)).replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: a leftover temp file must not fail a test.
                }
            });
        } catch (IOException e) {
            // Best effort, as above.
        }
    }
}
