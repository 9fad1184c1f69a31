package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.CookieSettings;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.hosted.HostedSessionService;
import dev.parley.web.hosted.HostedSessions;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.session.SessionService;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hosted mode against a stand-in of OpenAI's session API on loopback: what Parley sends upstream (beta header,
 * key, exact body), what the browser gets back, how each upstream failure is answered (the cookie set on every
 * path, the key on none), and how the configuration is checked.
 */
class HostedSessionTest {
    static final String KEY = "sk-test-4f9a2c1e8b7d6053a1b2c3d4e5f60718";
    static final String WORKFLOW = "wf_68e3a1c2b4d5e6f7a8b9c0d1e2f3a4b5";
    static final String COOKIE_PATTERN = "chatkit_session_id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}; "
            + "Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax";

    StandInChatKitSessions openai;
    WebServer parley;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startOpenAi() {
        openai = StandInChatKitSessions.start();
    }

    @AfterEach
    void stop() {
        if (parley != null) parley.stop();
        openai.close();
        http.close();
    }

    /** Starts Parley's hosted session route on the stand-in, with these variables on top of mode, key and workflow. */
    HostedSessions startParley(Map<String, String> extra) {
        return startParley(extra, false);
    }

    HostedSessions startParley(Map<String, String> extra, boolean cookieSecure) {
        Map<String, String> env = new HashMap<>(Map.of(
                HostedConfig.SESSION_MODE, "hosted",
                HostedConfig.OPENAI_API_KEY, KEY,
                HostedConfig.OPENAI_BASE_URL, openai.baseUrl(),
                HostedConfig.WORKFLOW_ID, WORKFLOW));
        env.putAll(extra);
        var sessions = new HostedSessions(HostedConfig.fromEnv(env));
        var service = new HostedSessionService(sessions, new CookieSettings(cookieSecure, "Lax"));
        // ParleyServer.routing's shape: the service, a JSON 404 for anything else, ErrorResponses for every error.
        parley = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.register(service)
                        .any((req, res) -> {
                            throw HttpError.notFound("No route");
                        })
                        .error(Exception.class, new ErrorResponses()))
                .build()
                .start();
        return sessions;
    }

    TestServer.Response session(String cookie, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.port() + SessionService.PATH))
                .timeout(Duration.ofSeconds(30))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) request.header("Cookie", SessionService.COOKIE + "=" + cookie);
        if (body != null) request.header("Content-Type", "application/json");
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return TestServer.Response.of(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String cookieOf(TestServer.Response r) {
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie"));
        return setCookie.split(";", 2)[0].substring(SessionService.COOKIE.length() + 1);
    }

    static JsonNode json(String text) {
        try {
            return TestServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts a JSON error answer that carries a fresh cookie, and {@return its message} */
    static String errorWithCookie(TestServer.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.body().path("error").path("code").asText()).isEqualTo(code);
        assertThat(r.headers().allValues("Set-Cookie")).singleElement().asString().matches(COOKIE_PATTERN);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.text()).doesNotContain(KEY);
        return r.body().path("error").path("message").asText();
    }

    // --- what goes upstream, what comes back

    @Test
    void createsTheSessionUpstreamWithTheBetaHeaderTheKeyAndExactlyTheConfiguredBody() {
        startParley(Map.of(
                HostedConfig.WORKFLOW_VERSION, "3",
                HostedConfig.FILE_UPLOAD, "true",
                HostedConfig.MAX_FILE_SIZE_MB, "20",
                HostedConfig.MAX_FILES, "5",
                HostedConfig.RECENT_THREADS, "15",
                HostedConfig.THREAD_TITLING, "false",
                HostedConfig.SECRET_TTL, "300",
                HostedConfig.RATE_LIMIT, "30"));
        String key64 = "k".repeat(64);
        var r = session(null, """
                {"state_variables": {"plan": "pro", "seats": 3, "trial": false, "ratio": 0.5, "%s": "edge"}}"""
                .formatted(key64));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        String cookie = cookieOf(r);
        assertThat(openai.requests()).singleElement().satisfies(sent -> {
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1/chatkit/sessions");
            assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(sent.header("OpenAI-Beta")).isEqualTo("chatkit_beta=v1");
            assertThat(sent.header("Content-Type")).isEqualTo("application/json");
            assertThat(sent.json()).isEqualTo(json("""
                    {"user": "%s",
                     "workflow": {"id": "%s", "version": "3",
                                  "state_variables": {"plan": "pro", "seats": 3, "trial": false, "ratio": 0.5, "%s": "edge"}},
                     "chatkit_configuration": {"file_upload": {"enabled": true, "max_file_size": 20, "max_files": 5},
                                               "history": {"enabled": true, "recent_threads": 15},
                                               "automatic_thread_titling": {"enabled": false}},
                     "expires_after": {"anchor": "created_at", "seconds": 300},
                     "rate_limits": {"max_requests_per_1_minute": 30}}"""
                    .formatted(SessionService.userIdOf(cookie), WORKFLOW, key64)));
        });
    }

    @Test
    void theBrowserGetsTheUpstreamSecretAndItsLifetimeButNotTheSessionId() {
        startParley(Map.of(HostedConfig.SECRET_TTL, "300"));
        long before = Instant.now().getEpochSecond();
        var r = session(null, null);

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().allValues("Set-Cookie")).singleElement().asString().matches(COOKIE_PATTERN);
        assertThat(r.body().path("client_secret").asText()).isEqualTo(StandInChatKitSessions.CLIENT_SECRET);
        long expiresAt = r.body().path("expires_at").asLong();
        assertThat(expiresAt).isBetween(before + 300, Instant.now().getEpochSecond() + 300);
        // Computed from expires_at by Parley's clock: OpenAI's ChatSession has no expires_after.
        assertThat(r.body().path("expires_after").asLong()).isBetween(298L, 300L);
        assertThat(r.body().size()).isEqualTo(3);
        assertThat(r.text()).doesNotContain(StandInChatKitSessions.SESSION_ID);
    }

    @Test
    void unsetSettingsAreLeftOutSoOpenAisDefaultsApply() {
        startParley(Map.of());
        var r = session(null, null);

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(openai.requests()).singleElement().satisfies(sent -> assertThat(sent.json()).isEqualTo(json("""
                {"user": "%s",
                 "workflow": {"id": "%s"},
                 "chatkit_configuration": {"file_upload": {"enabled": false},
                                           "history": {"enabled": true},
                                           "automatic_thread_titling": {"enabled": true}}}"""
                .formatted(SessionService.userIdOf(cookieOf(r)), WORKFLOW))));
    }

    @Test
    void theSameCookieIsTheSameUpstreamUserOnEveryCallAndEveryCallCarriesTheHeaders() {
        startParley(Map.of(HostedConfig.HISTORY, "false"));
        var first = session(null, null);
        String cookie = cookieOf(first);
        var again = session(cookie, null);
        var refreshed = session(cookie, "{\"state_variables\": {\"page\": \"/pricing\"}}");
        var stranger = session(null, null);

        assertThat(List.of(first, again, refreshed, stranger)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(refreshed.headers().allValues("Set-Cookie")).isEmpty();
        List<StandInChatKitSessions.Recorded> sent = openai.requests();
        assertThat(sent).hasSize(4).allSatisfy(s -> {
            assertThat(s.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(s.header("OpenAI-Beta")).isEqualTo("chatkit_beta=v1");
            assertThat(s.json().path("chatkit_configuration").path("history").path("enabled").asBoolean()).isFalse();
        });
        String user = SessionService.userIdOf(cookie);
        assertThat(sent.subList(0, 3)).extracting(s -> s.json().path("user").asText()).containsOnly(user);
        assertThat(sent.get(3).json().path("user").asText()).isNotEqualTo(user).isEqualTo(SessionService.userIdOf(cookieOf(stranger)));
        // The user id is a hash: the cookie, a credential, never leaves Parley.
        assertThat(sent).allSatisfy(s -> assertThat(s.body()).doesNotContain(cookie));
        assertThat(sent.get(2).json().path("workflow").path("state_variables").path("page").asText()).isEqualTo("/pricing");
    }

    @Test
    void aSecureCookieWhenConfigured() {
        startParley(Map.of(), true);
        assertThat(session(null, null).headers().firstValue("Set-Cookie").orElseThrow())
                .endsWith("; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure");
    }

    @Test
    void cancelPostsToTheSessionsCancelPathWithTheSameHeaders() throws Exception {
        HostedSessions sessions = startParley(Map.of());
        HostedSessions.Session cancelled = sessions.cancel(StandInChatKitSessions.SESSION_ID);

        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(cancelled.id()).isEqualTo(StandInChatKitSessions.SESSION_ID);
        assertThat(openai.requests()).singleElement().satisfies(sent -> {
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1/chatkit/sessions/" + StandInChatKitSessions.SESSION_ID + "/cancel");
            assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(sent.header("OpenAI-Beta")).isEqualTo("chatkit_beta=v1");
            assertThat(sent.body()).isEmpty();
        });
        assertThatThrownBy(() -> sessions.cancel("../../files")).isInstanceOf(IllegalArgumentException.class);
        assertThat(openai.requests()).hasSize(1);
    }

    // --- the browser's body

    @Test
    void aBadStateVariablesBodyIs400WithTheCookieAndNoUpstreamCall() {
        startParley(Map.of());
        Map<String, String> bad = Map.of(
                "{\"state_variables\": {\"" + "k".repeat(65) + "\": 1}}", "invalid_state_variables",
                "{\"state_variables\": {\"\": 1}}", "invalid_state_variables",
                "{\"state_variables\": {\"plan\": {\"tier\": \"pro\"}}}", "invalid_state_variables",
                "{\"state_variables\": {\"plans\": [\"pro\"]}}", "invalid_state_variables",
                "{\"state_variables\": {\"plan\": null}}", "invalid_state_variables",
                "{\"state_variables\": \"plan=pro\"}", "invalid_state_variables",
                "{\"workflow\": {\"version\": \"3\"}}", "invalid_body",
                "[1, 2]", "invalid_body",
                "{\"state_variables\": {", "invalid_json");
        bad.forEach((body, code) -> {
            String message = errorWithCookie(session(null, body), 400, code);
            assertThat(message).as(body).isNotBlank();
        });
        assertThat(errorWithCookie(session(null, "{\"state_variables\": {\"" + "k".repeat(65) + "\": 1}}"),
                400, "invalid_state_variables")).contains("1 to 64 characters");
        assertThat(errorWithCookie(session(null, "{\"state_variables\": {\"plan\": null}}"), 400, "invalid_state_variables"))
                .contains("state_variables.plan must be a string, number or boolean");
        assertThat(errorWithCookie(session(null, "{\"workflow\": {\"version\": \"3\"}}"), 400, "invalid_body"))
                .contains(HostedConfig.WORKFLOW_ID, HostedConfig.WORKFLOW_VERSION);
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void anEmptyOrNullBodyOrEmptyVariablesSendNoStateVariables() {
        startParley(Map.of());
        for (String body : new String[] {"", "null", "{}", "{\"state_variables\": null}", "{\"state_variables\": {}}"}) {
            assertThat(session(null, body).status()).as(body).isEqualTo(200);
        }
        assertThat(openai.requests()).hasSize(5)
                .allSatisfy(s -> assertThat(s.json().path("workflow").has("state_variables")).isFalse());
    }

    // --- upstream failures

    @Test
    void upstream401IsUpstreamAuthNamingTheKeyAndTheBetaHeader() {
        startParley(Map.of());
        openai.failWith(401, StandInChatKitSessions.error("Incorrect API key provided: sk-test-****0718. You can find "
                + "your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key"));
        String message = errorWithCookie(session(null, null), 502, "upstream_auth");

        assertThat(message).contains("401", "Incorrect API key provided: sk-test-****0718", "check OPENAI_API_KEY",
                "OpenAI-Beta: chatkit_beta=v1");
    }

    @Test
    void upstream403IsUpstreamAuthToo() {
        startParley(Map.of());
        openai.failWith(403, StandInChatKitSessions.error("Project proj_abc does not have access to ChatKit.",
                "invalid_request_error", null, null));
        assertThat(errorWithCookie(session(null, null), 502, "upstream_auth"))
                .contains("403", "Project proj_abc does not have access to ChatKit", "OPENAI_API_KEY");
    }

    @Test
    void theKeyIsNeverReturnedEvenWhenUpstreamEchoesIt() {
        startParley(Map.of());
        openai.failWith(401, StandInChatKitSessions.error("Key " + KEY + " is not valid for this proxy",
                "invalid_request_error", null, null));
        String message = errorWithCookie(session(null, null), 502, "upstream_auth");
        assertThat(message).contains("Key (OPENAI_API_KEY) is not valid for this proxy");
    }

    @Test
    void upstream404IsWorkflowNotFoundNamingTheWorkflow() {
        startParley(Map.of(HostedConfig.WORKFLOW_VERSION, "7"));
        openai.failWith(404, StandInChatKitSessions.error("No workflow found with id '" + WORKFLOW + "'.",
                "invalid_request_error", "workflow.id", null));
        String message = errorWithCookie(session(null, null), 502, "upstream_workflow_not_found");

        assertThat(message).contains(WORKFLOW + " version 7", "404", "No workflow found with id",
                HostedConfig.WORKFLOW_ID, HostedConfig.WORKFLOW_VERSION);
    }

    @Test
    void upstream400IsUpstreamRejectedWithItsMessageAndParam() {
        startParley(Map.of());
        openai.failWith(400, StandInChatKitSessions.error("Invalid value for 'max_file_size': must be at most 512.",
                "invalid_request_error", "chatkit_configuration.file_upload.max_file_size", "invalid_value"));
        String message = errorWithCookie(session(null, null), 502, "upstream_rejected");

        assertThat(message).contains("400", "Invalid value for 'max_file_size': must be at most 512",
                "chatkit_configuration.file_upload.max_file_size");
    }

    @Test
    void upstream429Is429WithRetryAfterPassedThrough() {
        startParley(Map.of());
        openai.failWith(429, StandInChatKitSessions.error("Rate limit reached for chatkit sessions on requests per min "
                + "(RPM): Limit 60, Used 60, Requested 1.", "requests", null, "rate_limit_exceeded"), Map.of("Retry-After", "7"));
        var r = session(null, null);
        String message = errorWithCookie(r, 429, "upstream_rate_limited");

        assertThat(r.headers().firstValue("Retry-After")).contains("7");
        assertThat(message).contains("429", "Rate limit reached for chatkit sessions");
    }

    @Test
    void upstream429WithOnlyRetryAfterMsIsRoundedUpToSeconds() {
        startParley(Map.of());
        openai.failWith(429, StandInChatKitSessions.error("Rate limit reached", "requests", null, "rate_limit_exceeded"),
                Map.of("retry-after-ms", "1500"));
        var r = session(null, null);
        errorWithCookie(r, 429, "upstream_rate_limited");
        assertThat(r.headers().firstValue("Retry-After")).contains("2");
    }

    @Test
    void anExhaustedQuotaSaysSo() {
        startParley(Map.of());
        openai.failWith(429, StandInChatKitSessions.error("You exceeded your current quota, please check your plan and "
                + "billing details.", "insufficient_quota", null, "insufficient_quota"));
        var r = session(null, null);
        assertThat(errorWithCookie(r, 429, "upstream_rate_limited")).contains("quota", "billing");
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void upstream5xxIsUpstreamError() {
        startParley(Map.of());
        openai.failWith(500, StandInChatKitSessions.error("The server had an error while processing your request. "
                + "Sorry about that!", "server_error", null, null));
        assertThat(errorWithCookie(session(null, null), 502, "upstream_error"))
                .contains("500", "The server had an error while processing your request");
    }

    @Test
    void aProxysHtmlErrorPageIsUpstreamErrorWithoutTheHtml() {
        startParley(Map.of());
        openai.failWith(503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
        String message = errorWithCookie(session(null, null), 502, "upstream_error");
        assertThat(message).contains("503", "no JSON error body").doesNotContain("<html>");
    }

    @Test
    void aSuccessWithoutAClientSecretIsUpstreamError() {
        startParley(Map.of());
        openai.failWith(200, "{\"object\": \"chatkit.session\", \"status\": \"active\"}");
        assertThat(errorWithCookie(session(null, null), 502, "upstream_error")).contains("200", "client secret");
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIs504Unreachable() {
        startParley(Map.of(HostedConfig.TIMEOUT, "1"));
        openai.stall();
        long start = System.nanoTime();
        String message = errorWithCookie(session(null, null), 504, "upstream_unreachable");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(message).contains("1 s", HostedConfig.TIMEOUT);
    }

    @Test
    void anUpstreamThatRefusesConnectionsIs502Unreachable() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        startParley(Map.of(HostedConfig.OPENAI_BASE_URL, "http://127.0.0.1:" + closedPort + "/v1"));
        assertThat(errorWithCookie(session(null, null), 502, "upstream_unreachable"))
                .contains(HostedConfig.OPENAI_BASE_URL);
    }

    @Test
    void aFailureStillKeepsAReturningVisitorsCookieUnchanged() {
        startParley(Map.of());
        String cookie = cookieOf(session(null, null));
        openai.failWith(500, StandInChatKitSessions.error("boom", "server_error", null, null));
        var r = session(cookie, null);
        assertThat(r.status()).isEqualTo(502);
        // A returning visitor already holds the cookie: it is kept (not replaced) on errors too.
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(openai.requests().get(1).json().path("user").asText()).isEqualTo(SessionService.userIdOf(cookie));
    }

    // --- configuration

    @Test
    void selfModeIsTheDefaultAndNeedsNothing() {
        HostedConfig config = HostedConfig.fromEnv(Map.of());
        assertThat(config.mode()).isEqualTo(HostedConfig.Mode.SELF);
        assertThat(config.hosted()).isFalse();
        assertThat(config.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(config.history()).isTrue();
        assertThat(config.threadTitling()).isTrue();
        assertThat(config.fileUpload()).isFalse();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void hostedModeWithoutKeyOrWorkflowNamesEachVariable() {
        assertThatThrownBy(() -> HostedConfig.fromEnv(Map.of(HostedConfig.SESSION_MODE, "hosted")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENAI_API_KEY")
                .hasMessageContaining("PARLEY_HOSTED_WORKFLOW_ID");
        assertThatThrownBy(() -> HostedConfig.fromEnv(Map.of(HostedConfig.SESSION_MODE, "hosted",
                HostedConfig.WORKFLOW_ID, WORKFLOW)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_SESSION_MODE=hosted needs OPENAI_API_KEY")
                .hasMessageNotContaining("PARLEY_HOSTED_WORKFLOW_ID");
        assertThatThrownBy(() -> HostedConfig.fromEnv(Map.of(HostedConfig.SESSION_MODE, "hosted",
                HostedConfig.OPENAI_API_KEY, KEY, HostedConfig.WORKFLOW_ID, "  ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARLEY_SESSION_MODE=hosted needs PARLEY_HOSTED_WORKFLOW_ID")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void badValuesNameTheirVariableAndNeverShowTheKey() {
        Map<String, String> env = Map.of(
                HostedConfig.SESSION_MODE, "openai",
                HostedConfig.OPENAI_API_KEY, KEY,
                HostedConfig.OPENAI_BASE_URL, "api.openai.com",
                HostedConfig.WORKFLOW_ID, "my-workflow",
                HostedConfig.WORKFLOW_VERSION, "3 beta",
                HostedConfig.FILE_UPLOAD, "sometimes",
                HostedConfig.MAX_FILE_SIZE_MB, "600",
                HostedConfig.MAX_FILES, "0",
                HostedConfig.SECRET_TTL, "3600",
                HostedConfig.TIMEOUT, "0");
        assertThatThrownBy(() -> HostedConfig.fromEnv(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("PARLEY_SESSION_MODE must be self or hosted, got \"openai\"",
                        "OPENAI_BASE_URL must be an absolute http(s) URL",
                        "PARLEY_HOSTED_WORKFLOW_ID must be the id of a published Agent Builder workflow",
                        "PARLEY_HOSTED_WORKFLOW_VERSION", "PARLEY_HOSTED_FILE_UPLOAD must be true or false",
                        "PARLEY_HOSTED_MAX_FILE_SIZE_MB must be a number of megabytes from 1 to 512, got \"600\"",
                        "PARLEY_HOSTED_MAX_FILES", "PARLEY_HOSTED_SECRET_TTL must be a number of seconds from 1 to 600",
                        "PARLEY_HOSTED_TIMEOUT")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void theKeyStaysOutOfToString() {
        HostedConfig config = HostedConfig.fromEnv(Map.of(HostedConfig.SESSION_MODE, "hosted",
                HostedConfig.OPENAI_API_KEY, KEY, HostedConfig.WORKFLOW_ID, WORKFLOW));
        assertThat(config.hosted()).isTrue();
        assertThat(config.toString()).doesNotContain(KEY).contains("apiKey=(set)", WORKFLOW);
        assertThatThrownBy(() -> new HostedConfig(HostedConfig.Mode.HOSTED, " ", HostedConfig.DEFAULT_BASE_URL,
                WORKFLOW, null, false, null, null, true, null, true, null, null, Duration.ofSeconds(5)))
                .hasMessageContaining("OPENAI_API_KEY");
    }
}
