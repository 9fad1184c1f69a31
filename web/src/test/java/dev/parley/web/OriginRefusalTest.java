package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.session.SessionService;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * A page on a site that is not in {@code PARLEY_ALLOWED_ORIGINS} can read why it was refused (so the widget can say
 * "this site is not allowed" with the variable to set), and still gets nothing else: no identity, no preflight grant.
 */
class OriginRefusalTest {
    @Test
    void theRefusalOfARequestIsReadableByThePageButGrantsNothing() {
        try (TestServer server = AccessTest.start(AccessTest.origins())) {
            TestServer.Response session = server.send(HttpRequest.newBuilder(server.uri(SessionService.PATH))
                    .header("Origin", "https://evil.com").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(session.status()).isEqualTo(403);
            assertThat(session.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://evil.com");
            assertThat(session.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            assertThat(session.errorCode()).isEqualTo("origin_not_allowed");
            assertThat(session.errorMessage()).contains("https://evil.com").contains("PARLEY_ALLOWED_ORIGINS");
            assertThat(session.headers().firstValue("Set-Cookie")).isEmpty();

            TestServer.Response preflight = server.send(AccessTest.preflight(server, "/chatkit", "https://evil.com"));
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as("no preflight grant").isEmpty();
        }
    }
}
