package dev.parley.embed;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.protocol.ChatKitJson;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.server.sse.SseEventWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/** The example of docs/library.md, compiled and run by {@link EmbeddedLibraryTest}: Parley on the JDK's HTTP server. */
final class JdkHttpServerHost {
    static HttpServer start(Parley parley, Map<String, String> passwords) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var chatkit = http.createContext("/chatkit", exchange -> handle(parley, exchange));
        chatkit.setAuthenticator(new BasicAuthenticator("app") {  // the host's own login
            @Override public boolean checkCredentials(String user, String password) {
                return password.equals(passwords.get(user));
            }
        });
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());  // a turn blocks its thread
        http.start();
        return http;
    }

    private static void handle(Parley parley, HttpExchange exchange) throws IOException {
        try (exchange) {
            var user = new RequestContext(exchange.getPrincipal().getUsername(), null, "");
            try {
                switch (parley.process(exchange.getRequestBody().readAllBytes(), user)) {
                    case Result.Json json -> send(exchange, 200, ChatKitJson.writeWire(json.body()));
                    case Result.Stream stream -> {
                        exchange.getResponseHeaders().set("Content-Type", SseEventWriter.CONTENT_TYPE);
                        exchange.sendResponseHeaders(200, 0);
                        try (OutputStream body = exchange.getResponseBody()) {
                            stream.body().writeTo(new SseEventWriter(body));
                        }
                    }
                }
            } catch (RuntimeException e) {
                ErrorResponse error = ErrorResponse.of(e).orElseGet(() -> ErrorResponse.internal("see the log"));
                send(exchange, error.status(), error.json());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }
}
