package dev.parley.store.postgres;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.UserMessageContent;
import dev.parley.store.IdGenerator;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import dev.parley.store.sqlite.SqliteStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite and PostgreSQL side by side, on the calls a chat turn makes: a new conversation (thread and first
 * message in one write, the reply, the titled thread), a page of a thread's items, and a page of a user's
 * threads, each from many concurrent callers. PostgreSQL is the embedded server with
 * {@code synchronous_commit = on} (every commit flushed to its WAL, the production default); SQLite is a file
 * in WAL mode with {@code synchronous = NORMAL}, as Parley opens it. Not part of the build (the name does
 * not match the test patterns); run it with
 *
 * <pre>./mvnw -q -pl store test -Dtest=StoreBackendsBench [-Dbench.threads=32] [-Dbench.seconds=5]</pre>
 */
class StoreBackendsBench {
    @TempDir Path dir;

    /** One measured call, made by one simulated user with their own thread. */
    private record Workload(String name, Consumer<Caller> call) {}

    /** A user's fixture: their thread (with items) among their threads. */
    private record Caller(Store store, String user, String thread) {}

    @Test
    void compareBackends() throws Exception {
        int threads = Integer.getInteger("bench.threads", 32);
        long seconds = Long.getLong("bench.seconds", 5);
        List<Workload> workloads = List.of(
                new Workload("new conversation (createThread + reply + title)", StoreBackendsBench::conversation),
                new Workload("loadItems, page of 20 of 50", c -> c.store().loadItems(c.user(), c.thread(), null, 20, Order.DESC)),
                new Workload("loadThreads, page of 20 of 50", c -> c.store().loadThreads(c.user(), 20, null, Order.DESC)));

        List<String> rows = new ArrayList<>();
        List<String> cpuRows = new ArrayList<>();
        String pgUrl = TestPostgres.newDatabase(Map.of("synchronous_commit", "on"));
        try (Store sqlite = SqliteStore.open(dir.resolve("bench.db"));
                Store postgres = PostgresStore.open(pgUrl, IdGenerator.timeOrdered(), PostgresStore.DEFAULT_POOL_SIZE)) {
            for (Workload w : workloads) {
                Result s = measure(sqlite, w, threads, seconds);
                Result p = measure(postgres, w, threads, seconds);
                rows.add(String.format("| %s | %,.0f | %,.0f | %.2f× |", w.name(), s.perSecond(), p.perSecond(),
                        p.perSecond() / s.perSecond()));
                cpuRows.add(String.format("| %s | %.1f | %.1f |", w.name(), s.cpuMicros(), p.cpuMicros()));
            }
        }
        System.out.printf("%n%d concurrent callers, %d s per cell after a %d s warm-up (calls/s)%n", threads, seconds, seconds);
        System.out.println("| call | SQLite | PostgreSQL | PostgreSQL / SQLite |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
        // Throughput swings with whatever else runs on the machine; the CPU this JVM spends per call does much
        // less (for PostgreSQL it leaves out the server's own share, which runs in another process).
        System.out.printf("%nCPU of the benchmark's JVM per call (µs)%n");
        System.out.println("| call | SQLite | PostgreSQL (client side) |");
        System.out.println("|---|---|---|");
        cpuRows.forEach(System.out::println);
    }

    /** Calls per second, and this JVM's CPU time per call. */
    private record Result(double perSecond, double cpuMicros) {}

    private static void conversation(Caller c) {
        Store s = c.store();
        var thread = ThreadMetadata.create(s.ids().newId(IdKind.THREAD), ChatKitJson.now());
        s.createThread(c.user(), thread, userMessage(s, thread.id()));
        s.saveItem(c.user(), new ThreadItem.AssistantMessage(s.ids().newId(IdKind.MESSAGE), thread.id(), ChatKitJson.now(),
                List.of(AssistantContent.of("You said: Hello there, how are you?"))));
        s.saveThread(c.user(), thread.withTitle("Hello there"));
    }

    private static ThreadItem userMessage(Store s, String threadId) {
        return new ThreadItem.UserMessage(s.ids().newId(IdKind.MESSAGE), threadId, ChatKitJson.now(),
                List.of(new UserMessageContent.InputText("Hello there, how are you?")), List.of(), null, null);
    }

    /** {@return the workload's rate and cost, measured after a warm-up of the same length} */
    private static Result measure(Store store, Workload w, int threads, long seconds) throws Exception {
        List<Caller> callers = new ArrayList<>();
        String run = Long.toHexString(System.nanoTime());
        for (int u = 0; u < threads; u++) {
            String user = "bench-" + run + "-" + u;
            String last = null;
            for (int t = 0; t < 50; t++) {
                var thread = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now());
                store.saveThread(user, thread);
                last = thread.id();
            }
            for (int i = 0; i < 50; i++) store.addItem(user, userMessage(store, last));
            callers.add(new Caller(store, user, last));
        }
        run(callers, w, seconds);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long calls = run(callers, w, seconds);
        long cpu = os.getProcessCpuTime() - cpuBefore;
        return new Result(calls / (double) seconds, cpu / 1_000.0 / calls);
    }

    private static long run(List<Caller> callers, Workload w, long seconds) {
        var calls = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Caller c : callers) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        w.call().accept(c);
                        calls.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        return calls.get();
    }
}
