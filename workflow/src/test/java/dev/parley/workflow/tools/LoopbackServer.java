package dev.parley.workflow.tools;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP server on 127.0.0.1 standing in for a host's backend; it records every request it receives. */
public final class LoopbackServer implements AutoCloseable {
    /** One received request, as the host's code would see it. */
    public record Received(String method, String path, Headers headers, byte[] body) {}

    /** What the test's backend does with a request; runs on its own thread per request. */
    public interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public LoopbackServer(Handler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A slow handler must not hold up the next test's requests.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(), body));
                handler.handle(exchange);
            } catch (Exception e) {
                // The client may have gone (timeout tests); nothing to answer.
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@return {@code http://127.0.0.1:port/path}} */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** {@return the {@code PARLEY_WEBHOOK_HOSTS} entry that allows this server} */
    public String hostEntry() {
        return "http://127.0.0.1:" + port();
    }

    public static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
