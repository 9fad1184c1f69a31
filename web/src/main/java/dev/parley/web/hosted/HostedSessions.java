package dev.parley.web.hosted;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.web.config.HostedConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A client for OpenAI's hosted ChatKit sessions: {@code POST {base}/chatkit/sessions} and
 * {@code POST {base}/chatkit/sessions/{id}/cancel}, on the JDK's {@link HttpClient}.
 *
 * <pre>{@code
 * var sessions = new HostedSessions(HostedConfig.fromEnv(System.getenv()));
 * HostedSessions.Session s = sessions.create("usr_3q2…", Map.of("plan", "pro"));
 * // s.clientSecret() goes to the browser; s.id() can cancel it later
 * }</pre>
 *
 * <p>Every call carries {@code Authorization: Bearer <OPENAI_API_KEY>}, {@code OpenAI-Beta: chatkit_beta=v1}
 * (without it OpenAI answers with errors that look like a bad key) and {@code Content-Type: application/json}.
 * A call is bounded by the configured timeout from connecting to the last byte of the answer, and is not
 * retried: the browser's ChatKit asks again when it needs a secret, and a 429's {@code Retry-After} belongs to
 * it.
 *
 * <p>Why not the official SDK: it does cover these beta endpoints (and sends the header), but the web module
 * does not depend on it directly, and two POSTs do not justify an OkHttp client and its threads at the edge.
 */
public final class HostedSessions {
    static final String BETA_HEADER = "OpenAI-Beta";
    static final String BETA_VALUE = "chatkit_beta=v1";
    /** OpenAI's session ids are {@code cksess_…}; anything else must not reach a URL path. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final Pattern DELAY_SECONDS = Pattern.compile("\\d{1,9}");
    private static final Pattern HTTP_DATE = Pattern.compile("[A-Za-z]{3}, \\d{2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final int MAX_MESSAGE_CHARS = 500;

    private final HostedConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final URI sessionsUri;

    /** A client with its own {@link HttpClient}, connecting within the configured timeout. */
    public HostedSessions(HostedConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(config.timeout()).build(), Clock.systemUTC());
    }

    /** @param clock turns the upstream's {@code expires_at} into {@code expires_after} */
    public HostedSessions(HostedConfig config, HttpClient http, Clock clock) {
        if (!config.hosted()) throw new IllegalArgumentException("HostedSessions needs " + HostedConfig.SESSION_MODE + "=hosted");
        this.config = config;
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessionsUri = URI.create(config.baseUrl() + "/chatkit/sessions");
    }

    HostedConfig config() {
        return config;
    }

    /**
     * A session as OpenAI created it.
     *
     * @param expiresAfter seconds from now until {@code expiresAt}, by this server's clock
     * @param status {@code active}, {@code expired} or {@code cancelled}; null if OpenAI sent none
     */
    public record Session(String id, String clientSecret, long expiresAt, long expiresAfter, String status) {
        /** Keeps the secret out of logs. */
        @Override
        public String toString() {
            return "Session[id=" + id + ", expiresAt=" + expiresAt + ", status=" + status + "]";
        }
    }

    /** Why OpenAI did not hand out a session. */
    enum FailureKind {
        /** OpenAI answered with an error status; {@link Failure#status()} holds it. */
        STATUS,
        /** No complete answer within the configured timeout. */
        TIMEOUT,
        /** No connection, or it broke before the answer was complete. */
        UNREACHABLE,
        /** A success status with a body that is not a session. */
        INVALID_RESPONSE
    }

    /**
     * A session call that failed. The message is for the operator and never contains the key; the upstream's
     * own error fields are kept apart so the caller can word its answer.
     */
    static final class Failure extends Exception {
        private final FailureKind kind;
        private final int status;
        private final String upstreamMessage;
        private final String upstreamCode;
        private final String param;
        private final String retryAfter;

        Failure(FailureKind kind, int status, String message, String upstreamMessage, String upstreamCode,
                String param, String retryAfter) {
            super(message, null, false, false);
            this.kind = kind;
            this.status = status;
            this.upstreamMessage = upstreamMessage;
            this.upstreamCode = upstreamCode;
            this.param = param;
            this.retryAfter = retryAfter;
        }

        FailureKind kind() {
            return kind;
        }

        /** {@return the upstream's HTTP status, or 0 when there was no answer} */
        int status() {
            return status;
        }

        /** {@return {@code error.message} of the upstream's body, or a description of the body when it had none} */
        String upstreamMessage() {
            return upstreamMessage;
        }

        /** {@return {@code error.code} of the upstream's body, or null} */
        String upstreamCode() {
            return upstreamCode;
        }

        /** {@return {@code error.param} of the upstream's body, or null} */
        String param() {
            return param;
        }

        /** {@return the upstream's {@code Retry-After} as delay-seconds or an HTTP date, or null} */
        String retryAfter() {
            return retryAfter;
        }
    }

    /**
     * Creates a session for {@code user} on the configured workflow.
     *
     * @param user who the session belongs to: OpenAI scopes threads by it
     * @param stateVariables passed to the workflow; values are strings, numbers or booleans; may be empty
     * @throws Failure when OpenAI refuses, does not answer in time, cannot be reached, or answers nonsense
     */
    Session create(String user, Map<String, ?> stateVariables) throws Failure {
        Objects.requireNonNull(user, "user");
        return call(sessionsUri, body(user, stateVariables));
    }

    /**
     * Cancels a session, so that its client secret stops working.
     *
     * @throws IllegalArgumentException if {@code sessionId} is not an OpenAI session id
     * @throws Failure as {@link #create}
     */
    public Session cancel(String sessionId) throws Failure {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("Not a session id: " + sessionId);
        }
        return call(URI.create(sessionsUri + "/" + sessionId + "/cancel"), null);
    }

    /** {@return the JSON body of a create call}: only what is configured, so OpenAI's defaults apply to the rest */
    Map<String, Object> body(String user, Map<String, ?> stateVariables) {
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("id", config.workflowId());
        if (config.workflowVersion() != null) workflow.put("version", config.workflowVersion());
        if (stateVariables != null && !stateVariables.isEmpty()) workflow.put("state_variables", stateVariables);

        Map<String, Object> fileUpload = new LinkedHashMap<>();
        fileUpload.put("enabled", config.fileUpload());
        if (config.maxFileSizeMb() != null) fileUpload.put("max_file_size", config.maxFileSizeMb());
        if (config.maxFiles() != null) fileUpload.put("max_files", config.maxFiles());
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("enabled", config.history());
        if (config.recentThreads() != null) history.put("recent_threads", config.recentThreads());
        Map<String, Object> chatkit = new LinkedHashMap<>();
        chatkit.put("file_upload", fileUpload);
        chatkit.put("history", history);
        chatkit.put("automatic_thread_titling", Map.of("enabled", config.threadTitling()));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("workflow", workflow);
        body.put("chatkit_configuration", chatkit);
        if (config.secretTtlSeconds() != null) {
            body.put("expires_after", Map.of("anchor", "created_at", "seconds", config.secretTtlSeconds()));
        }
        if (config.maxRequestsPerMinute() != null) {
            body.put("rate_limits", Map.of("max_requests_per_1_minute", config.maxRequestsPerMinute()));
        }
        return body;
    }

    private Session call(URI uri, Map<String, Object> body) throws Failure {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + config.apiKey())
                .header(BETA_HEADER, BETA_VALUE)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json(body)))
                .build();
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        if (status / 100 != 2) throw rejected(status, answer, response);
        String secret = answer == null ? null : answer.path("client_secret").textValue();
        JsonNode expiresAt = answer == null ? null : answer.path("expires_at");
        if (secret == null || secret.isEmpty() || expiresAt == null || !expiresAt.canConvertToLong()) {
            throw new Failure(FailureKind.INVALID_RESPONSE, status, "OpenAI answered " + status
                    + " with a body that is not a ChatKit session (no client_secret or expires_at)", null, null, null, null);
        }
        long at = expiresAt.asLong();
        return new Session(answer.path("id").textValue(), secret, at, Math.max(0, at - clock.instant().getEpochSecond()),
                answer.path("status").textValue());
    }

    /** Bounds the whole exchange, body included: {@link HttpRequest#timeout} alone stops at the headers. */
    private HttpResponse<byte[]> send(HttpRequest request) throws Failure {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        Duration timeout = config.timeout();
        try {
            return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(FailureKind.UNREACHABLE, 0, "Interrupted while waiting for OpenAI", null, null, null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) throw timedOut();
            String why = cause instanceof ConnectException ? "connection refused or no route"
                    : cause instanceof IOException ? describe(cause) : "unexpected " + cause.getClass().getSimpleName();
            throw new Failure(FailureKind.UNREACHABLE, 0, "Could not reach OpenAI at " + config.baseUrl() + ": " + why,
                    null, null, null, null);
        }
    }

    private Failure timedOut() {
        return new Failure(FailureKind.TIMEOUT, 0, "OpenAI at " + config.baseUrl() + " did not answer within "
                + config.timeout().toSeconds() + " s (" + HostedConfig.TIMEOUT + ")", null, null, null, null);
    }

    private Failure rejected(int status, JsonNode answer, HttpResponse<?> response) {
        JsonNode error = answer == null ? null : answer.path("error");
        String message = error == null ? null : error.path("message").textValue();
        if (message == null || message.isBlank()) {
            message = answer == null ? "no JSON error body" : "no error message in the body";
        }
        message = redacted(message.strip());
        if (message.length() > MAX_MESSAGE_CHARS) message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        // Callers append "; check …", which reads badly after OpenAI's closing full stop.
        if (message.endsWith(".")) message = message.substring(0, message.length() - 1);
        String code = error == null ? null : error.path("code").textValue();
        String param = error == null ? null : error.path("param").textValue();
        return new Failure(FailureKind.STATUS, status, "OpenAI answered " + status + ": " + message
                + (code == null ? "" : " (code " + code + ")") + (param == null ? "" : " (param " + param + ")"),
                message, code, param, retryAfter(response));
    }

    /** {@return a delay a client may be told to wait}: {@code Retry-After} as sent, or {@code retry-after-ms} rounded up */
    private static String retryAfter(HttpResponse<?> response) {
        String header = response.headers().firstValue("Retry-After").map(String::strip).orElse(null);
        if (header != null && (DELAY_SECONDS.matcher(header).matches() || HTTP_DATE.matcher(header).matches())) {
            return header;
        }
        String millis = response.headers().firstValue("retry-after-ms").map(String::strip).orElse("");
        try {
            double ms = Double.parseDouble(millis);
            if (ms >= 0 && ms < 1e9) return Long.toString((long) Math.ceil(ms / 1000));
        } catch (NumberFormatException ignored) {
            // Neither header is usable: the client gets no hint.
        }
        return null;
    }

    /** OpenAI masks keys in its messages, but a proxy in front of it might not. */
    private String redacted(String text) {
        String key = config.apiKey();
        return key == null || key.isEmpty() ? text : text.replace(key, "(" + HostedConfig.OPENAI_API_KEY + ")");
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            JsonNode node = ChatKitJson.mapper().readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return ChatKitJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A session body of maps, strings, numbers and booleans always serialises", e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
