package dev.parley.store.sqlite;

import dev.parley.store.EvalStoreContract;
import dev.parley.store.IdGenerator;
import dev.parley.store.Store;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class SqliteEvalStoreTest extends EvalStoreContract {
    @TempDir Path dir;
    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected Store newStore(IdGenerator ids) {
        return SqliteStore.open(dir.resolve("store-" + files.incrementAndGet() + ".db"), ids);
    }
}
