package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.web.config.Environment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code parley training-run}: starts a server as {@link Main} does, on the built-in defaults (embedded model, SQLite
 * in a temporary folder, a free loopback port), answers one chat turn over HTTP, and stops. Run under
 * {@code -XX:AOTCacheOutput=parley.aot}, the JVM then writes an ahead-of-time cache (JEP 483/514/515) of every class
 * this loaded and linked and of the methods it ran most, and later starts given {@code -XX:AOTCache=parley.aot} skip
 * that work. It uses neither the operator's settings nor their data, so one cache serves every configuration of the
 * same jar and JDK.
 *
 * <p>Exit status 0 when the turn was answered; 1 otherwise (the cache the JVM writes is then still usable, only
 * less complete).
 */
final class TrainingRun {
    static final String COMMAND = "training-run";
    private static final Pattern SECRET = Pattern.compile("\"client_secret\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;

    TrainingRun(PrintStream out) {
        this.out = out;
    }

    int run() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("parley-training");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the training run", e);
        }
        try {
            // The same path as Main: settings read from variables, then the provider, then the server.
            var settings = Environment.read(Map.of("PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", "0",
                    "PARLEY_DATA_DIR", dataDir.toString()));
            KnowledgeBases knowledge = Providers.knowledge(settings.assistant(), dataDir);
            ModelProvider model = Providers.open(settings.assistant(), dataDir, knowledge);
            try (ParleyServer server = ParleyServer.start(settings.server(), settings.assistant(), model,
                    settings.hosted(), knowledge)) {
                return converse(server.baseUri());
            }
        } catch (RuntimeException e) {
            // ./parley starts without a cache then; its log keeps this line.
            out.println("parley: training run failed: the server did not start: " + e.getMessage());
            return 1;
        } finally {
            delete(dataDir);
        }
    }

    /** The requests a visitor's first minute makes: health, a session, a streamed turn, the thread read back. */
    private int converse(URI base) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            send(http, HttpRequest.newBuilder(base.resolve("/healthz")).GET());
            send(http, HttpRequest.newBuilder(base.resolve("/widget/parley.js")).GET());
            String session = send(http, HttpRequest.newBuilder(base.resolve("/api/chatkit/session"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            Matcher m = SECRET.matcher(session);
            if (!m.find()) throw new IOException("the session route answered without a client secret: " + session);
            String turn = send(http, chatkit(base, m.group(1), "{\"type\":\"threads.create\",\"params\":{\"input\":"
                    + "{\"content\":[{\"type\":\"input_text\",\"text\":\"What does a small website cost?\"}],"
                    + "\"attachments\":[],\"inference_options\":{}}}}"));
            if (!turn.contains("\"thread.item.done\"")) throw new IOException("the turn produced no item: " + turn);
            send(http, chatkit(base, m.group(1), "{\"type\":\"threads.list\",\"params\":{\"limit\":10}}"));
            out.println("parley: training run answered a chat turn");
            return 0;
        } catch (IOException e) {
            out.println("parley: training run failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static HttpRequest.Builder chatkit(URI base, String secret, String body) {
        return HttpRequest.newBuilder(base.resolve("/chatkit"))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest r = request.timeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(r.method() + " " + r.uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder left behind is harmless; the training run's verdict matters more.
        }
    }
}
