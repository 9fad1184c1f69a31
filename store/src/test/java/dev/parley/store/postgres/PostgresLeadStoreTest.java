package dev.parley.store.postgres;

import dev.parley.store.IdGenerator;
import dev.parley.store.LeadStore;
import dev.parley.store.LeadStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

class PostgresLeadStoreTest extends LeadStoreContract {
    private final List<PostgresStore> opened = new ArrayList<>();
    private String url;

    @Override
    protected LeadStore leads() {
        url = TestPostgres.newDatabase();
        return open().storage().leads();
    }

    @Override
    protected LeadStore sameDatabase() {
        return open().storage().leads();
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
