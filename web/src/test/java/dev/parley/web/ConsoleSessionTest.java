package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.model.testing.KeywordModel;
import dev.parley.web.auth.ConsoleSessions;
import dev.parley.web.config.AssistantConfig;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over plain HTTP: the token becomes a cookie that is not the token, the admin API takes
 * that cookie, and a state-changing request with it alone (as another site could make) is refused.
 */
class ConsoleSessionTest {
    private static final String TOKEN = "console-admin-token-0123456789ab";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), new KeywordModel());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Response signIn(String body) {
        return server.send(HttpRequest.newBuilder(server.uri("/console/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String sessionCookie() {
        TestServer.Response r = signIn("{\"token\": \"" + TOKEN + "\"}");
        assertThat(r.status()).isEqualTo(200);
        String header = r.headers().firstValue("Set-Cookie").orElseThrow();
        return header.substring(0, header.indexOf(';'));
    }

    private static TestServer.Response withCookie(String cookie, HttpRequest.Builder request) {
        return server.send(request.header("Cookie", cookie));
    }

    @Test
    void theTokenBecomesAStrictHttpOnlyCookieThatIsNotTheToken() {
        TestServer.Response r = signIn("{\"token\": \"" + TOKEN + "\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("signed_in").asBoolean()).isTrue();
        String header = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(header).startsWith(ConsoleSessions.COOKIE + "=v1.").contains("HttpOnly", "SameSite=Strict", "Path=/",
                "Max-Age=" + ConsoleSessions.TTL.toSeconds()).doesNotContain(TOKEN);
        assertThat(r.text()).doesNotContain(TOKEN);

        String cookie = header.substring(0, header.indexOf(';'));
        TestServer.Response state = withCookie(cookie, HttpRequest.newBuilder(server.uri("/console/session")).GET());
        assertThat(state.body().path("signed_in").asBoolean()).isTrue();
        assertThat(withCookie(cookie, HttpRequest.newBuilder(server.uri("/admin/workflows")).GET()).status()).isEqualTo(200);
    }

    @Test
    void aWrongOrMissingTokenIsRefusedWithAMessageNotAStackTrace() {
        TestServer.Response wrong = signIn("{\"token\": \"not-the-token-0123456789abcdef\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorMessage()).isEqualTo("The admin token is wrong");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        assertThat(signIn("").status()).isEqualTo(400);
        assertThat(signIn("{\"token\": 42}").errorCode()).isEqualTo("invalid_sign_in");
        assertThat(signIn("not json").status()).isEqualTo(400);
        assertThat(signIn("{\"token\": \"  \"}").status()).isEqualTo(401);
        TestServer.Response none = server.send(HttpRequest.newBuilder(server.uri("/console/session")).GET());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().path("signed_in").asBoolean()).isFalse();
    }

    @Test
    void aPostWithTheCookieAloneIsRefusedUntilItCarriesTheConsoleHeader() {
        String cookie = sessionCookie();
        String doc = "{\"id\": \"wf_x\", \"name\": \"x\", \"nodes\": [], \"edges\": []}";
        TestServer.Response bare = withCookie(cookie, HttpRequest.newBuilder(server.uri("/admin/workflows/validate"))
                .POST(HttpRequest.BodyPublishers.ofString(doc)));
        assertThat(bare.status()).isEqualTo(403);
        assertThat(bare.errorCode()).isEqualTo("console_header_missing");

        TestServer.Response marked = withCookie(cookie, HttpRequest.newBuilder(server.uri("/admin/workflows/validate"))
                .header("X-Parley-Console", "1").POST(HttpRequest.BodyPublishers.ofString(doc)));
        assertThat(marked.status()).isEqualTo(200);
        assertThat(marked.body().has("errors")).isTrue();
    }

    @Test
    void aForgedOrAlteredCookieIsRefused() {
        String cookie = sessionCookie();
        // Pushing the expiry out invalidates the signature.
        String later = cookie.replaceFirst("v1\\.(\\d)", "v1.9");
        for (String bad : new String[] {later, ConsoleSessions.COOKIE + "=" + TOKEN, ConsoleSessions.COOKIE + "=v1.1.x.y"}) {
            TestServer.Response r = withCookie(bad, HttpRequest.newBuilder(server.uri("/admin/workflows")).GET());
            assertThat(r.status()).as(bad).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("invalid_session");
        }
    }

    @Test
    void signingOutClearsTheCookieAndNeedsTheConsoleHeader() {
        String cookie = sessionCookie();
        TestServer.Response bare = withCookie(cookie, HttpRequest.newBuilder(server.uri("/console/session")).DELETE());
        assertThat(bare.status()).isEqualTo(403);
        TestServer.Response out = withCookie(cookie, HttpRequest.newBuilder(server.uri("/console/session"))
                .header("X-Parley-Console", "1").DELETE());
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(ConsoleSessions.COOKIE + "=;")
                .contains("Max-Age=0");
        // A copy of the cookie kept after signing out is refused: the session ended on the server, not only in the browser.
        TestServer.Response copy = withCookie(cookie, HttpRequest.newBuilder(server.uri("/admin/workflows")).GET());
        assertThat(copy.status()).isEqualTo(401);
        assertThat(copy.errorCode()).isEqualTo("signed_out");
        assertThat(copy.errorMessage()).contains("sign in again");
        // Other sessions go on.
        assertThat(withCookie(sessionCookie(), HttpRequest.newBuilder(server.uri("/admin/workflows")).GET()).status())
                .isEqualTo(200);
    }

    @Test
    void thePageAndItsModulesComeWithAStrictContentSecurityPolicy() {
        for (String path : new String[] {"/console", "/console/console.css", "/console/src/main.js"}) {
            TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri(path)).GET());
            assertThat(r.status()).as(path).isEqualTo(200);
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
        }
        // The preview frame runs the widget, whose shadow root is styled inline: inline styles there, never scripts,
        // and only the console may frame it.
        TestServer.Response frame = server.send(HttpRequest.newBuilder(server.uri("/console/preview")).GET());
        assertThat(frame.status()).isEqualTo(200);
        assertThat(frame.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self';", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'self'")
                .doesNotContain("unsafe-eval", "script-src 'self' 'unsafe-inline'");
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/console/preview.html")).GET()).status()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/console/src/nope.js")).GET()).status()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/console/..%2Fwidget%2Fsrc%2Fapi.js")).GET()).status())
                .isEqualTo(404);
    }
}
