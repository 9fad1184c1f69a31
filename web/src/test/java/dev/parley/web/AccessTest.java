package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.EchoResponder;
import dev.parley.web.access.RateLimiter;
import dev.parley.web.config.AccessConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.session.SessionService;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Allowed origins (CORS), rate limits and message limits, against a real server. */
class AccessTest {
    static final List<String> ORIGINS = List.of("https://shop.example.com", "https://*.example.org");

    static TestServer start(AccessConfig access) {
        return TestServer.start(new EchoResponder(), c -> c.withAccess(access));
    }

    static AccessConfig origins() {
        return new AccessConfig(ORIGINS, false, 0, 0, 20_000, 10, 0, "Lax");
    }

    static HttpRequest.Builder preflight(TestServer server, String path, String origin) {
        return HttpRequest.newBuilder(server.uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, chatkit-frame-instance-id");
    }

    @Test
    void allowedOriginsGetCorsGrantsAndPreflightAnswers() {
        try (TestServer server = start(origins())) {
            for (String origin : List.of("https://shop.example.com", "https://chat.example.org", "https://Chat.Example.org")) {
                TestServer.Response r = server.send(preflight(server, "/chatkit", origin));
                assertThat(r.status()).as(origin).isEqualTo(204);
                assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
                assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
                assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                        .contains("Authorization", "Content-Type", "Accept-Language", "chatkit-frame-instance-id");
            }
            // The real request from an allowed site works and carries the grant.
            TestServer.User user = server.newUser();
            TestServer.Response listed = server.send(user.chatkit("{\"type\":\"threads.list\",\"params\":{}}")
                    .header("Origin", "https://shop.example.com"));
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
        }
    }

    @Test
    void otherOriginsGetNoGrantAndAreRefused() {
        try (TestServer server = start(origins())) {
            // One label per *: a.b.example.org is two levels below example.org, so *.example.org does not cover it.
            for (String origin : List.of("https://evil.com", "https://example.org", "https://evil-example.org",
                    "http://shop.example.com", "https://shop.example.com.evil.com", "https://a.b.example.org",
                    "https://evil.net#.example.org")) {
                TestServer.Response r = server.send(preflight(server, "/chatkit", origin));
                assertThat(r.status()).as(origin).isEqualTo(403);
                assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
                assertThat(r.errorMessage()).contains("PARLEY_ALLOWED_ORIGINS");
            }
            TestServer.Response session = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH))
                    .header("Origin", "https://evil.com").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(session.status()).isEqualTo(403);
            assertThat(session.headers().firstValue("Set-Cookie")).as("no identity handed to another site").isEmpty();
            // The server's own pages, and requests without Origin (curl, servers), are not affected.
            String own = server.uri("/").toString().replaceAll("/$", "");
            assertThat(server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH)).header("Origin", own)
                    .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
            assertThat(server.newUser().secret()).startsWith("ck_");
            // Health checks and widget files are public.
            assertThat(server.send(HttpRequest.newBuilder(server.uri("/healthz")).header("Origin", "https://evil.com")).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void addressAndUserRateLimitsAnswer429WithRetryAfter() {
        try (TestServer server = start(new AccessConfig(List.of(), false, 3, 5, 20_000, 10, 0, "Lax"))) {
            List<Integer> statuses = new ArrayList<>();
            TestServer.Response last = null;
            for (int i = 0; i < 6; i++) {
                last = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH)).POST(HttpRequest.BodyPublishers.noBody()));
                statuses.add(last.status());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
            assertThat(last.errorCode()).isEqualTo("rate_limited");
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(Long.parseLong(last.headers().firstValue("Retry-After").get())).isBetween(1L, 60L);
        }
        try (TestServer server = start(new AccessConfig(List.of(), false, 3, 0, 20_000, 10, 0, "Lax"))) {
            TestServer.User user = server.newUser();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) statuses.add(user.post("{\"type\":\"threads.list\",\"params\":{}}").status());
            assertThat(statuses).containsExactly(200, 200, 200, 429);
            // Another user has a budget of their own.
            assertThat(server.newUser().post("{\"type\":\"threads.list\",\"params\":{}}").status()).isEqualTo(200);
        }
    }

    @Test
    void tokensComeBackOverTheMinute() {
        var now = new AtomicLong();
        var limiter = new RateLimiter(60, now::get);
        for (int i = 0; i < 60; i++) assertThat(limiter.acquire("u")).isZero();
        assertThat(limiter.acquire("u")).isEqualTo(1);
        now.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire("u")).isZero();
        assertThat(limiter.acquire("u")).isEqualTo(1);
    }

    @Test
    void aMessageOverTheLimitsIsRefusedAndNothingIsStored() {
        try (TestServer server = start(new AccessConfig(List.of(), false, 0, 0, 10, 0, 0, "Lax"))) {
            TestServer.User user = server.newUser();
            TestServer.Response tooLong = user.post(WorkflowChatTest.create("eleven char"));
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.errorCode()).isEqualTo("message_too_long");
            assertThat(tooLong.errorMessage()).contains("11 characters", "limit is 10");
            TestServer.Response files = user.post("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":"
                    + "[{\"type\":\"input_text\",\"text\":\"hi\"}],\"attachments\":[\"atc_1\"],\"inference_options\":{}}}}");
            assertThat(files.status()).isEqualTo(400);
            assertThat(files.errorCode()).isEqualTo("too_many_attachments");
            assertThat(user.post("{\"type\":\"threads.list\",\"params\":{}}").body().path("data")).isEmpty();
            assertThat(user.stream(WorkflowChatTest.create("ten chars!"))).isNotEmpty();
        }
    }

    @Test
    void badSettingsNameTheirVariable() {
        assertThatThrownBy(() -> ParleyConfig.fromEnv(Map.of("PARLEY_ALLOWED_ORIGINS", "https://ok.com, example.com/path",
                "PARLEY_RATE_LIMIT_USER", "-1", "PARLEY_MAX_MESSAGE_CHARS", "0")))
                .hasMessageContaining("PARLEY_ALLOWED_ORIGINS must be")
                .hasMessageContaining("PARLEY_RATE_LIMIT_USER must be")
                .hasMessageContaining("PARLEY_MAX_MESSAGE_CHARS must be");
        AccessConfig parsed = ParleyConfig.fromEnv(Map.of("PARLEY_ALLOWED_ORIGINS", "https://Shop.Example.com/, https://*.example.org")).access();
        assertThat(parsed.allowedOrigins()).containsExactly("https://shop.example.com", "https://*.example.org");
        assertThat(parsed.allows("https://SHOP.example.com")).isTrue();
    }

    @Test
    void crossSiteEmbeddingCanAskForASameSiteNoneCookie() {
        assertThatThrownBy(() -> ParleyConfig.fromEnv(Map.of("PARLEY_COOKIE_SAMESITE", "None")))
                .hasMessageContaining("PARLEY_COOKIE_SECURE=true");
        ParleyConfig config = ParleyConfig.fromEnv(Map.of("PARLEY_COOKIE_SAMESITE", "none", "PARLEY_COOKIE_SECURE", "true"));
        try (TestServer server = TestServer.start(new EchoResponder(), c -> c.withCookieSecure(true).withAccess(config.access()))) {
            var r = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH)).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("SameSite=None").contains("Secure");
        }
    }

    @Test
    void aUserAtTheThreadLimitIsToldToDeleteSome() {
        try (TestServer server = start(new AccessConfig(List.of(), false, 0, 0, 20_000, 10, 2, "Lax"))) {
            TestServer.User user = server.newUser();
            user.stream(WorkflowChatTest.create("one"));
            user.stream(WorkflowChatTest.create("two"));
            TestServer.Response third = user.post(WorkflowChatTest.create("three"));
            assertThat(third.status()).isEqualTo(409);
            assertThat(third.errorCode()).isEqualTo("too_many_threads");
            assertThat(third.errorMessage()).contains("limit of 2", "delete some");
            assertThat(server.newUser().stream(WorkflowChatTest.create("another user"))).isNotEmpty();
        }
    }
}
