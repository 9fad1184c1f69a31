package dev.parley.store.sqlite;

import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionStoreTest extends SessionStoreContract {
    @TempDir Path dir;
    private final List<SqliteStore> opened = new ArrayList<>();

    @Override
    protected SessionStore sessions() {
        return open().storage().sessions();
    }

    @Override
    protected SessionStore sameDatabase() {
        return open().storage().sessions();
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
