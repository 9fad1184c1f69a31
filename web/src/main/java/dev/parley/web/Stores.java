package dev.parley.web;

import dev.parley.store.CommitListener;
import dev.parley.store.IdGenerator;
import dev.parley.store.Storage;
import dev.parley.store.StoreException;
import dev.parley.store.postgres.PostgresStore;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.config.ParleyConfig;

/** Opens the storage the configuration names; the one place that knows every store implementation. */
final class Stores {
    private Stores() {}

    /**
     * {@return PostgreSQL when {@code PARLEY_DATABASE_URL} is set, else SQLite in {@code <dataDir>/parley.db}}
     * (the data directory exists when this is called)
     *
     * @throws StoreException if the database cannot be opened; for PostgreSQL the message names
     *                        {@code PARLEY_DATABASE_URL} and never contains the password
     */
    static Storage open(ParleyConfig config) {
        return open(config, CommitListener.NONE);
    }

    /** As {@link #open(ParleyConfig)}, telling {@code commits} of each SQLite group commit (for metrics). */
    static Storage open(ParleyConfig config, CommitListener commits) {
        if (config.databaseUrl() == null) {
            return SqliteStore.open(config.dataDir().resolve(ParleyServer.DATABASE_FILE), IdGenerator.timeOrdered(), commits)
                    .storage();
        }
        try {
            return PostgresStore.open(config.databaseUrl()).storage();
        } catch (StoreException e) {
            // The store's message already says what failed (host, port, database and user, no password);
            // this says where that came from and what to change.
            throw new StoreException(e.getMessage() + ". Check " + ParleyConfig.DATABASE_URL
                    + ", and that the database is running and reachable from this server", e);
        }
    }
}
