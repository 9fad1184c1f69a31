package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.ConnectionLimits;
import dev.parley.web.session.SessionService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow or greedy clients are cut off as configured (here with one-second timeouts and four connections per
 * address): trickled headers or body get a JSON 408 and a closed connection, an idle or silent connection is
 * closed, a fifth connection from one address gets a JSON 429; a ChatKit stream longer than every timeout is not
 * cut, because the limits apply to reading requests, not to writing responses.
 */
class SlowClientTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final int PER_ADDRESS = 4;
    static final ScriptedResponder responder = new ScriptedResponder();
    static TestServer server;
    static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture();
        server = TestServer.start(responder, c -> c.withConnections(
                new ConnectionLimits(TIMEOUT, TIMEOUT, TIMEOUT, PER_ADDRESS)));
    }

    @AfterAll
    static void stop() {
        server.close();
        log.close();
    }

    @AfterEach
    void nothingSevereWasLogged() {
        assertThat(log.severe()).as("SEVERE log lines for a slow client").isEmpty();
        log.clear();
    }

    @Test
    void headersTrickledAByteAtATimeGetA408AndTheConnectionCloses() throws Exception {
        try (Socket socket = RawHttp.open(server.uri("/"), 10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + SessionService.PATH + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            Thread writer = trickle(out, "Host: 127.0.0.1\r\nX-Slow: " + "a".repeat(100));
            RawHttp.Reply r = RawHttp.read(socket.getInputStream());
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            writer.interrupt();
            assertThat(r.status()).as(r.toString()).isEqualTo(408);
            assertThat(r.errorCode()).isEqualTo("request_timeout");
            assertThat(elapsed).as("ms until cut off").isBetween(900L, 4000L);
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void aBodyTrickledAByteAtATimeGetsA408AndTheConnectionCloses() throws Exception {
        try (Socket socket = RawHttp.open(server.uri("/"), 10_000)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + SessionService.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            Thread writer = trickle(out, " ".repeat(200));
            RawHttp.Reply r = RawHttp.read(socket.getInputStream());
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            writer.interrupt();
            assertThat(r.status()).as(r.toString()).isEqualTo(408);
            assertThat(r.errorCode()).isEqualTo("request_timeout");
            assertThat(elapsed).as("ms until cut off").isBetween(900L, 4000L);
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void aBodyThatStopsArrivingGetsA408AndTheConnectionCloses() throws Exception {
        try (Socket socket = RawHttp.open(server.uri("/"), 10_000)) {
            socket.getOutputStream().write(("POST " + SessionService.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 100\r\n\r\n{\"a\"").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            RawHttp.Reply r = RawHttp.read(socket.getInputStream());
            assertThat(r.status()).as(r.toString()).isEqualTo(408);
            assertThat(r.errorCode()).isEqualTo("request_timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(900L, 4000L);
            assertClosed(socket.getInputStream());
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = RawHttp.open(server.uri("/"), 10_000)) {
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Reply first = RawHttp.read(socket.getInputStream());
            assertThat(first.status()).as(first.toString()).isEqualTo(200);
            // Used again within the timeout, it still serves.
            Thread.sleep(TIMEOUT.toMillis() / 2);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
            long start = System.nanoTime();
            assertClosed(socket.getInputStream());
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(900L, 4000L);
        }
    }

    @Test
    void aConnectionThatNeverSendsIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = RawHttp.open(server.uri("/"), 10_000)) {
            long start = System.nanoTime();
            assertClosed(socket.getInputStream());
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(900L, 4000L);
        }
    }

    @Test
    void connectionsBeyondThePerAddressLimitGetA429() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) held.add(RawHttp.open(server.uri("/"), 10_000));
            // The guard counts a connection from its accept; give the server a moment to accept the four.
            Thread.sleep(200);
            RawHttp.Reply refused = RawHttp.exchange(server.uri("/"), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.errorCode()).isEqualTo("too_many_connections");
            assertThat(refused.headers().get("connection")).isEqualTo("close");
            // The held ones work.
            Socket first = held.getFirst();
            first.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(RawHttp.read(first.getInputStream()).status()).isEqualTo(200);
        } finally {
            for (Socket s : held) s.close();
        }
        // Once they are closed, the address may connect again.
        Thread.sleep(200);
        RawHttp.Reply again = RawHttp.exchange(server.uri("/"), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
    }

    @Test
    void aStreamLongerThanEveryTimeoutIsNotCut() {
        responder.script = (turn, input, events) -> Thread.sleep(3 * TIMEOUT.toMillis() + 500);
        try {
            List<JsonNode> events = server.newUser().stream("""
                    {"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"slow"}],
                     "attachments":[],"inference_options":{}}}}""");
            assertThat(events.getFirst().path("type").asText()).isEqualTo("thread.created");
            assertThat(events).noneMatch(e -> e.path("type").asText().equals("error"));
        } finally {
            responder.script = (turn, input, events) -> {};
        }
    }

    /** {@return a started thread writing {@code text} a byte every 100 ms, until done, interrupted or refused} */
    private static Thread trickle(OutputStream out, String text) {
        return Thread.ofVirtual().start(() -> {
            try {
                for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // Cut off: what the test expects.
            }
        });
    }

    /** Fails unless the server closes the connection (end of stream or reset) within 10 s. */
    private static void assertClosed(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // Discard anything still in flight.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The server kept the connection open", e);
        } catch (java.net.SocketException e) {
            // Reset: closed too.
        }
    }

}
