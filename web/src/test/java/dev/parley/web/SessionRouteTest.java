package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.EchoResponder;
import java.net.http.HttpRequest;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/chatkit/session}: the cookie, the secret, and the refresh flow. */
class SessionRouteTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(new EchoResponder());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestServer.Response session(TestServer on, String cookieHeader) {
        var request = HttpRequest.newBuilder(on.uri("/api/chatkit/session")).POST(HttpRequest.BodyPublishers.noBody());
        if (cookieHeader != null) request.header("Cookie", cookieHeader);
        return on.send(request);
    }

    @Test
    void aFirstCallSetsTheSessionCookieWithExactAttributes() {
        var r = session(server, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().allValues("Set-Cookie")).singleElement().asString()
                .matches("chatkit_session_id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}; "
                        + "Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void theBodyHasTheSecretAndItsLifetime() {
        long before = Instant.now().getEpochSecond();
        var r = session(server, null);
        assertThat(r.body().path("client_secret").asText()).startsWith("ck_");
        assertThat(r.body().path("expires_after").asLong()).isEqualTo(600);
        assertThat(r.body().path("expires_at").asLong()).isBetween(before + 599, Instant.now().getEpochSecond() + 600);
        assertThat(r.body().size()).isEqualTo(3);
    }

    @Test
    void secureCookiesWhenConfigured() {
        try (var secure = TestServer.start(new EchoResponder(), c -> c.withCookieSecure(true))) {
            assertThat(session(secure, null).headers().firstValue("Set-Cookie").orElseThrow())
                    .endsWith("; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure");
        }
    }

    @Test
    void theCookieKeepsTheUserAcrossSecrets() {
        TestServer.User user = server.newUser();
        var created = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"remember me\"}],\"attachments\":[],\"inference_options\":{}}}}");
        String thread = created.getFirst().path("thread").path("id").asText();

        TestServer.User again = user.refreshed();
        assertThat(again.secret()).isNotEqualTo(user.secret());
        var list = again.post("{\"type\":\"threads.list\",\"params\":{}}");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("data").findValuesAsText("id")).contains(thread);
        // No new cookie for a known session.
        assertThat(session(server, "chatkit_session_id=" + user.cookie()).headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void differentCookiesAreDifferentUsers() {
        TestServer.User a = server.newUser();
        TestServer.User b = server.newUser();
        assertThat(a.cookie()).isNotEqualTo(b.cookie());
        assertThat(a.userId()).isNotEqualTo(b.userId());
    }

    @Test
    void theCookieNeverAppearsInTheSecret() {
        // The secret is readable by page scripts; the HttpOnly cookie must not be recoverable from it.
        TestServer.User user = server.newUser();
        String payload = user.secret().substring(3, user.secret().indexOf('.'));
        String decoded = new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(decoded).doesNotContain(user.cookie()).contains(user.userId());
    }

    @Test
    void malformedCookiesAreReplaced() {
        for (String bad : new String[] {"short", "has space inside it!!", "a".repeat(129), "x;y", "\"\""}) {
            var r = session(server, "chatkit_session_id=" + bad);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).as(bad).startsWith("chatkit_session_id=")
                    .doesNotContain(bad);
        }
    }

    @Test
    void otherCookiesAreIgnored() {
        TestServer.User user = server.newUser();
        var r = session(server, "theme=dark; chatkit_session_id=" + user.cookie() + "; broken");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        var mine = server.userWith(user.cookie(), r.body().path("client_secret").asText());
        assertThat(mine.post("{\"type\":\"threads.list\",\"params\":{}}").status()).isEqualTo(200);
    }

    @Test
    void onlyPostCreatesSessions() {
        var r = server.send(HttpRequest.newBuilder(server.uri("/api/chatkit/session")).GET());
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST, OPTIONS");
        assertThat(r.errorCode()).isEqualTo("method_not_allowed");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
}
