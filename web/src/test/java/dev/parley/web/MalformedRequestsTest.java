package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.web.config.AssistantConfig;
import dev.parley.web.session.SessionService;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed requests at every layer get a 4xx with Parley's JSON error body and leave no SEVERE line in the log:
 * broken body framing on the authenticated {@code /chatkit} and the unauthenticated session route, bad query
 * parameters on the admin API, and what Helidon refuses before routing (Content-Encoding, oversized or malformed
 * heads, HTTP/1.0). Sent over raw sockets, since a real client would not send them.
 */
class MalformedRequestsTest {
    static final String TOKEN = WorkflowChatTest.TOKEN;
    static final String LIST = "{\"type\":\"threads.list\",\"params\":{}}";
    static TestServer server;
    static LogCapture log;
    static String secret;

    @BeforeAll
    static void start() {
        log = new LogCapture();
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN), WorkflowChatTest.KEYWORDS);
        secret = server.newUser().secret();
    }

    @AfterAll
    static void stop() {
        server.close();
        log.close();
    }

    @AfterEach
    void nothingSevereWasLogged() {
        assertThat(log.severe()).as("SEVERE log lines for a client's mistake").isEmpty();
        log.clear();
    }

    static String post(String path, String... headers) {
        var head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (path.equals("/chatkit")) head.append("Authorization: Bearer ").append(secret).append("\r\n");
        head.append("Content-Type: application/json\r\n");
        for (String h : headers) head.append(h).append("\r\n");
        return head.append("\r\n").toString();
    }

    static RawHttp.Reply send(String request, boolean halfClose) {
        return RawHttp.exchange(server.uri("/"), request, halfClose);
    }

    static void assertRefused(RawHttp.Reply r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chatkit", SessionService.PATH})
    void aChunkSizeThatIsNotHexIsA400(String path) {
        RawHttp.Reply r = send(post(path, "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n", false);
        assertRefused(r, 400, "incomplete_body");
        assertThat(r.headers().get("connection")).isEqualTo("close");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chatkit", SessionService.PATH})
    void aChunkSizeThatOverflowsIsA400(String path) {
        assertRefused(send(post(path, "Transfer-Encoding: chunked") + "FFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", false),
                400, "incomplete_body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chatkit", SessionService.PATH})
    void aChunkedBodyWithoutItsLastChunkIsA400(String path) {
        assertRefused(send(post(path, "Transfer-Encoding: chunked") + "5\r\n{\"a\":\r\n", true), 400, "incomplete_body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/chatkit", SessionService.PATH})
    void aBodyShorterThanItsContentLengthIsA400(String path) {
        assertRefused(send(post(path, "Content-Length: 100") + "{\"a\"", true), 400, "incomplete_body");
    }

    @Test
    void theConnectionServesAgainAfterABodyWasRefusedForSize() {
        // The framing was fine, only too large: after the 413 the server still answers normal requests.
        RawHttp.Reply r = send(post(SessionService.PATH, "Content-Length: 20000") + "x".repeat(20000), false);
        assertRefused(r, 413, "body_too_large");
        assertThat(server.newUser().secret()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "99999999999999999999", "-1", "0", ""})
    void aBadLimitOnTheAdminApiIsA400(String limit) {
        for (String path : new String[] {"/admin/users/alice/threads", "/admin/workflows/wf_default/runs"}) {
            TestServer.Response r = server.send(HttpRequest.newBuilder(server.uri(path + "?limit=" + limit))
                    .header("Authorization", "Bearer " + TOKEN).GET());
            if (limit.isEmpty()) {
                assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            } else {
                assertThat(r.status()).as(path + " " + r).isEqualTo(400);
                assertThat(r.errorCode()).as(r.toString()).isEqualTo("invalid_limit");
                assertThat(r.errorMessage()).contains("limit must be");
            }
        }
        TestServer.Response ok = server.send(HttpRequest.newBuilder(server.uri("/admin/users/alice/threads?limit=5"))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "identity", "br, gzip"})
    void aContentEncodingIsA415SayingBodiesAreUncompressed(String encoding) {
        RawHttp.Reply r = send(post("/chatkit", "Content-Encoding: " + encoding, "Content-Length: " + LIST.length()) + LIST, false);
        assertRefused(r, 415, "unsupported_content_encoding");
        assertThat(r.json().path("error").path("message").asText()).contains("uncompressed");
    }

    @Test
    void oversizedHeadersAreA400WithAJsonBody() {
        String request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
        assertRefused(send(request, false), 400, "invalid_headers");
    }

    @Test
    void malformedHeadersAreA400WithAJsonBody() {
        assertRefused(send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n", false), 400, "invalid_headers");
    }

    @Test
    void aTooLongUriIsA414WithAJsonBody() {
        RawHttp.Reply r = send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
        assertRefused(r, 414, "uri_too_long");
    }

    @Test
    void http10IsA505WithAJsonBody() {
        assertRefused(send("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", false), 505, "http_version_not_supported");
    }

    @Test
    void aGarbageRequestLineIsA400WithAJsonBody() {
        assertRefused(send("HELLO\r\n\r\n", false), 400, "invalid_request_line");
    }

    @Test
    void aContentLengthThatIsNotANumberIsA400WithAJsonBody() {
        RawHttp.Reply r = send(post("/chatkit", "Content-Length: ten") + LIST, false);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isNotBlank();
    }
}
