package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parley process on SQLite killed with SIGKILL in the middle of many streamed turns, then started again on the
 * same file: everything a client was told is stored ({@code thread.created}, {@code thread.item.done}) is there,
 * and no thread lost its first message. The server only sends those events once the write is committed.
 */
class KillTest {
    @TempDir Path root;

    @Test
    void aKilledServerLosesNoItemItAnnounced() throws Exception {
        Map<String, String> env = Map.of(
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_SECRET_KEY", "kill-test-key-0123456789abcdef-0123456789",
                "PARLEY_MODEL_PROVIDER", "echo",
                "PARLEY_ECHO_PACE_MS", "5",
                "PARLEY_RATE_LIMIT_USER", "0",
                "PARLEY_RATE_LIMIT_IP", "0",
                "PARLEY_MAX_THREADS_PER_USER", "0");
        Path data = Files.createDirectories(root.resolve("data"));
        MultiServerTest.Parley first = MultiServerTest.Parley.launch("first", data, env);
        first.awaitReady();
        MultiServerTest.Session session = first.newSession();

        // (thread id, item id) pairs the clients were told are stored; thread ids alone for thread.created.
        Set<String> announced = ConcurrentHashMap.newKeySet();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        var turns = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try (var events = first.open(session.secret(), MultiServerTest.create("turn " + turns.incrementAndGet()))) {
                            String[] thread = {null};
                            events.readUntil(seen -> {
                                JsonNode e = seen.getLast();
                                switch (e.path("type").asText()) {
                                    case "thread.created" -> {
                                        thread[0] = e.path("thread").path("id").asText();
                                        threads.add(thread[0]);
                                    }
                                    case "thread.item.done" -> announced.add(thread[0] + "/" + e.path("item").path("id").asText());
                                    default -> { }
                                }
                                return false;
                            });
                        }
                    }
                } catch (Exception | AssertionError killed) {
                    // The server is gone: this client stops.
                }
            }));
        }
        Thread.sleep(3_000);
        first.process.destroyForcibly();
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (Thread t : clients) t.join(10_000);
        assertThat(threads).as("turns ran before the kill").hasSizeGreaterThan(5);

        MultiServerTest.Parley second = MultiServerTest.Parley.launch("second", data, env);
        try {
            second.awaitReady();
            String secret = second.session(session.cookie()).secret();
            int stored = 0;
            for (String thread : threads) {
                List<JsonNode> items = second.items(secret, thread);
                assertThat(items).as("thread %s keeps its first message", thread).isNotEmpty();
                assertThat(items.getFirst().path("type").asText()).isEqualTo("user_message");
                Set<String> ids = ConcurrentHashMap.newKeySet();
                items.forEach(i -> ids.add(thread + "/" + i.path("id").asText()));
                for (String a : announced) {
                    if (a.startsWith(thread + "/")) {
                        assertThat(ids).as("announced item %s", a).contains(a);
                        stored++;
                    }
                }
            }
            assertThat(stored).isEqualTo(announced.size());
        } finally {
            second.process.destroyForcibly();
            second.process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
