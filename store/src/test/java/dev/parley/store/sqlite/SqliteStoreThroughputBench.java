package dev.parley.store.sqlite;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.UserMessageContent;
import dev.parley.store.IdKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat turns per second against a real file: each virtual thread is one user in one thread, and a turn is
 * the three writes of a reply (user message, assistant message, thread update), optionally with the two
 * reads a turn makes (the thread, the last 20 items). Not part of the build (the name does not match the
 * test patterns); run it with
 *
 * <pre>./mvnw -q -pl store test -Dtest=SqliteStoreThroughputBench [-Dbench.threads=400] [-Dbench.reads=false]</pre>
 *
 * Measured on the 2-vCPU build host: about 15 000 turns/s writes only, about 7 000 with the reads (those
 * are dominated by JSON and timestamp parsing of the 21 records read back per turn).
 */
class SqliteStoreThroughputBench {
    @TempDir Path dir;

    @Test
    void chatTurns() throws Exception {
        int users = Integer.getInteger("bench.threads", 400);
        boolean reads = Boolean.parseBoolean(System.getProperty("bench.reads", "true"));
        long seconds = Long.getLong("bench.seconds", 5);
        try (SqliteStore store = SqliteStore.open(dir.resolve("bench.db"))) {
            for (int round = 1; round <= 2; round++) {  // the first round warms up the JIT
                var turns = new AtomicLong();
                long commitsBefore = store.writer().commits();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                String suffix = "-" + round;
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int u = 0; u < users; u++) {
                        String user = "user-" + u + suffix;
                        pool.submit(() -> {
                            var thread = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now());
                            store.saveThread(user, thread);
                            while (System.nanoTime() < end) {
                                store.addItem(user, new ThreadItem.UserMessage(store.ids().newId(IdKind.MESSAGE),
                                        thread.id(), ChatKitJson.now(),
                                        List.of(new UserMessageContent.InputText("Hello there, how are you?")),
                                        List.of(), null, null));
                                if (reads) {
                                    store.loadThread(user, thread.id());
                                    store.loadItems(user, thread.id(), null, 20, Order.DESC);
                                }
                                store.saveItem(user, new ThreadItem.AssistantMessage(store.ids().newId(IdKind.MESSAGE),
                                        thread.id(), ChatKitJson.now(),
                                        List.of(AssistantContent.of("You said: Hello there, how are you?"))));
                                store.saveThread(user, thread.withTitle("Chat"));
                                turns.incrementAndGet();
                            }
                            return null;
                        });
                    }
                }
                long commits = store.writer().commits() - commitsBefore;
                System.out.printf("round %d, %d users, reads %s: %.0f turns/s, %.1f writes per commit, WAL %d MiB%n",
                        round, users, reads, turns.get() / (double) seconds, turns.get() * 3.0 / commits,
                        Files.size(dir.resolve("bench.db-wal")) >> 20);
            }
        }
    }
}
