package dev.parley.web;

import dev.parley.store.Store;
import dev.parley.store.sqlite.SqliteStore;

/** Opens the store the configuration names; the one place that knows every store implementation. */
final class Stores {
    private Stores() {}

    /** {@return SQLite in {@code <dataDir>/parley.db}} (the data directory exists when this is called) */
    static Store open(ParleyConfig config) {
        if (config.databaseUrl() != null) {
            throw new IllegalArgumentException(ParleyConfig.DATABASE_URL + " is set, but this build has no PostgreSQL store yet");
        }
        return SqliteStore.open(config.dataDir().resolve(ParleyServer.DATABASE_FILE));
    }
}
