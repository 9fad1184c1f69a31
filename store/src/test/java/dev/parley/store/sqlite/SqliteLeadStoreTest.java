package dev.parley.store.sqlite;

import dev.parley.store.LeadStore;
import dev.parley.store.LeadStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteLeadStoreTest extends LeadStoreContract {
    @TempDir Path dir;
    private final List<SqliteStore> opened = new ArrayList<>();

    @Override
    protected LeadStore leads() {
        return open().storage().leads();
    }

    @Override
    protected LeadStore sameDatabase() {
        return open().storage().leads();
    }

    private SqliteStore open() {
        SqliteStore store = SqliteStore.open(dir.resolve("parley.db"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteStore::close);
    }
}
