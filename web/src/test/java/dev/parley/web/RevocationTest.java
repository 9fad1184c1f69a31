package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.auth.Revocations;
import dev.parley.web.auth.SecretKeyFile;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.session.SessionService;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelled sessions: their secrets get 401 at once here and within seconds on every server sharing the store. */
class RevocationTest {
    static final String TOKEN = WorkflowChatTest.TOKEN;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), WorkflowChatTest.KEYWORDS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String LIST = "{\"type\":\"threads.list\",\"params\":{}}";

    @Test
    void logOutEndsTheBrowsersIdentityEveryOneOfItsSecretsAndItsCookie() {
        TestServer.User user = server.newUser();
        user.stream(WorkflowChatTest.create("remember me"));
        // A second tab of the same browser holds a secret of its own for the same cookie.
        TestServer.User otherTab = user.refreshed();
        assertThat(otherTab.post(LIST).body().path("data")).hasSize(1);

        TestServer.Response cancelled = server.send(user.authorized(HttpRequest.newBuilder(server.uri(SessionService.PATH + "/cancel")))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith(SessionService.COOKIE + "=;").contains("Max-Age=0");

        for (TestServer.User secret : List.of(user, otherTab)) {
            TestServer.Response refused = secret.post(LIST);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("revoked_token");
            assertThat(refused.errorMessage()).contains("cancelled").contains("/api/chatkit/session");
        }
        // A browser that still sends the old cookie gets a new identity, not the old one's threads.
        TestServer.Response next = server.send(user.withCookie(HttpRequest.newBuilder(server.uri(SessionService.PATH)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(next.status()).isEqualTo(200);
        String newCookie = next.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0]
                .substring(SessionService.COOKIE.length() + 1);
        assertThat(newCookie).isNotEqualTo(user.cookie());
        TestServer.User fresh = server.userWith(newCookie, next.body().path("client_secret").asText());
        assertThat(fresh.userId()).isNotEqualTo(user.userId());
        assertThat(fresh.post(LIST).body().path("data")).isEmpty();
        // A cancelled secret cannot cancel again, nor mint anything.
        assertThat(server.send(user.authorized(HttpRequest.newBuilder(server.uri(SessionService.PATH + "/cancel")))
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(401);
    }

    @Test
    void theHostBackendCancelsASessionItMinted() {
        TestServer.Response minted = server.send(HttpRequest.newBuilder(server.uri("/admin/users/alice/sessions"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{}")));
        TestServer.User alice = server.userWith(null, minted.body().path("client_secret").asText());
        assertThat(alice.post(LIST).status()).isEqualTo(200);
        String session = minted.body().path("session_id").asText();
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/admin/sessions/" + session + "/cancel"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
        assertThat(alice.post(LIST).errorCode()).isEqualTo("revoked_token");
    }

    @Test
    void aCancelMadeByAnotherServerArrivesWithinTheRefreshInterval() throws Exception {
        TestServer.User user = server.newUser();
        String sessionId = sessionIdOf(user.secret());
        // Another server writes the cancel straight into the shared store; this one learns it on its next reload.
        server.storage().sessions().revoke(sessionId, Instant.now().plus(Duration.ofMinutes(10)));
        long deadline = System.nanoTime() + Revocations.REFRESH.multipliedBy(3).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            status = user.post(LIST).status();
            if (status == 200) Thread.sleep(100);
        }
        assertThat(status).isEqualTo(401);
    }

    /** The session id inside a secret, read the way the server reads it. */
    static String sessionIdOf(String secret) throws Exception {
        return new ClientSecrets(SecretKeyFile.resolve(server.config()), Duration.ofMinutes(10)).verify(secret).sessionId();
    }
}
