package dev.parley.store.postgres;

import dev.parley.store.IdGenerator;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

class PostgresSessionStoreTest extends SessionStoreContract {
    private final List<PostgresStore> opened = new ArrayList<>();
    private String url;

    @Override
    protected SessionStore sessions() {
        url = TestPostgres.newDatabase();
        return open().storage().sessions();
    }

    @Override
    protected SessionStore sameDatabase() {
        return open().storage().sessions();
    }

    private PostgresStore open() {
        PostgresStore store = PostgresStore.open(url, IdGenerator.timeOrdered(), 4);
        opened.add(store);
        return store;
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresStore::close);
    }
}
