package dev.parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * OpenAI's ChatKit session API on loopback, as far as Parley's hosted mode uses it: {@code POST /v1/chatkit/sessions}
 * answers a ChatSession resolved from the request the way OpenAI resolves it, {@code POST
 * /v1/chatkit/sessions/{id}/cancel} answers it cancelled. Like OpenAI it refuses a request without a bearer key
 * or without {@code OpenAI-Beta: chatkit_beta=v1} (401 for both: the "cryptic authentication error" the seed
 * guide warns about), so a test that gets a session has proved both were sent.
 *
 * <pre>{@code
 * try (var openai = StandInChatKitSessions.start()) {
 *     openai.failWith(404, StandInChatKitSessions.error("Workflow not found", "invalid_request_error", "workflow.id", null));
 *     // point OPENAI_BASE_URL at openai.baseUrl(), call Parley, then inspect openai.requests()
 * }
 * }</pre>
 */
final class StandInChatKitSessions implements AutoCloseable {
    static final String CLIENT_SECRET = "ek_68e3b1c2d4e5f6a7_cs_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String SESSION_ID = "cksess_68e3b1c2d4e5f6a7b8c9d0e1f2a3b4c5";

    /** One request as the stand-in received it; header names in lower case. */
    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        JsonNode json() {
            try {
                return TestServer.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Reply(int status, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Reply failure;
    private volatile boolean stall;

    private StandInChatKitSessions(HttpServer server) {
        this.server = server;
    }

    static StandInChatKitSessions start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var standIn = new StandInChatKitSessions(server);
            server.setExecutor(standIn.executor);
            server.createContext("/v1/chatkit/sessions", standIn::handle);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the value for {@code OPENAI_BASE_URL}} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Answers every later request with this status, body and headers instead of a session. */
    void failWith(int status, String body, Map<String, String> headers) {
        failure = new Reply(status, body, headers);
    }

    void failWith(int status, String body) {
        failWith(status, body, Map.of());
    }

    /** Never answers later requests (until closed), like a server that accepted the connection and hung. */
    void stall() {
        stall = true;
    }

    /** {@return an OpenAI error body} */
    static String error(String message, String type, String param, String code) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return JsonNodeFactory.instance.objectNode().set("error", error).toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            var request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            requests.add(request);
            if (stall) {
                released.await(60, TimeUnit.SECONDS);
                return;
            }
            Reply reply = failure != null ? failure : answer(request);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply answer(Recorded request) {
        String auth = request.header("authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
            return new Reply(401, error("You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null), Map.of());
        }
        if (!"chatkit_beta=v1".equals(request.header("openai-beta"))) {
            // What the seed guide reports for a missing beta header: an error that reads like a bad key.
            return new Reply(401, error("Invalid authorization header for this endpoint.",
                    "invalid_request_error", null, null), Map.of());
        }
        if (!request.method().equals("POST")) {
            return new Reply(405, error("Method not allowed", "invalid_request_error", null, null), Map.of());
        }
        String path = request.path();
        if (path.equals("/v1/chatkit/sessions")) return new Reply(200, created(request.json()).toString(), Map.of());
        if (path.startsWith("/v1/chatkit/sessions/") && path.endsWith("/cancel")) {
            String id = path.substring("/v1/chatkit/sessions/".length(), path.length() - "/cancel".length());
            ObjectNode session = created(TestServer.JSON.createObjectNode()
                    .put("user", "usr_cancelled").set("workflow", JsonNodeFactory.instance.objectNode().put("id", "wf_x")));
            session.put("id", id).put("status", "cancelled");
            return new Reply(200, session.toString(), Map.of());
        }
        return new Reply(404, error("Invalid URL (POST " + path + ")", "invalid_request_error", null, null), Map.of());
    }

    /** {@return the ChatSession OpenAI would answer}: the request's settings, resolved with OpenAI's defaults */
    private static ObjectNode created(JsonNode req) {
        var f = JsonNodeFactory.instance;
        JsonNode cfg = req.path("chatkit_configuration");
        ObjectNode workflow = f.objectNode()
                .put("id", req.path("workflow").path("id").asText())
                .put("version", req.path("workflow").path("version").textValue());
        workflow.set("state_variables", req.path("workflow").hasNonNull("state_variables")
                ? req.path("workflow").path("state_variables") : f.nullNode());
        workflow.set("tracing", f.objectNode().put("enabled", true));
        ObjectNode configuration = f.objectNode();
        configuration.set("automatic_thread_titling", f.objectNode()
                .put("enabled", cfg.path("automatic_thread_titling").path("enabled").asBoolean(true)));
        configuration.set("file_upload", f.objectNode()
                .put("enabled", cfg.path("file_upload").path("enabled").asBoolean(false))
                .put("max_file_size", cfg.path("file_upload").path("max_file_size").asInt(512))
                .put("max_files", cfg.path("file_upload").path("max_files").asInt(10)));
        ObjectNode history = f.objectNode().put("enabled", cfg.path("history").path("enabled").asBoolean(true));
        history.set("recent_threads", cfg.path("history").hasNonNull("recent_threads")
                ? cfg.path("history").path("recent_threads") : f.nullNode());
        configuration.set("history", history);
        int perMinute = req.path("rate_limits").path("max_requests_per_1_minute").asInt(10);
        long expiresAt = Instant.now().getEpochSecond() + req.path("expires_after").path("seconds").asLong(600);

        ObjectNode session = f.objectNode();
        session.put("id", SESSION_ID);
        session.put("object", "chatkit.session");
        session.set("chatkit_configuration", configuration);
        session.put("client_secret", CLIENT_SECRET);
        session.put("expires_at", expiresAt);
        session.put("max_requests_per_1_minute", perMinute);
        session.set("rate_limits", f.objectNode().put("max_requests_per_1_minute", perMinute));
        session.put("status", "active");
        session.put("user", req.path("user").asText());
        session.set("workflow", workflow);
        return session;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
