package dev.parley.store.postgres;

import dev.parley.store.IdGenerator;
import dev.parley.store.Store;
import dev.parley.store.StoreException;
import dev.parley.store.jdbc.JdbcStore;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A {@link Store} on PostgreSQL, for several Parley servers sharing one database: a HikariCP pool, Flyway
 * migrations from {@code db/postgresql}, and short transactions. It keeps the SQLite store's semantics
 * exactly, and both run the same contract tests.
 *
 * <pre>{@code
 * try (Store store = PostgresStore.open("jdbc:postgresql://db.internal:5432/parley?user=parley&password=…")) {
 *     store.saveThread(userId, ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now()));
 * }
 * }</pre>
 *
 * <p>Statements, paging and failures are {@link JdbcStore}'s. List positions come from one database-wide
 * sequence, so servers never hand out the same one.
 *
 * <p>Durability: every write returns after PostgreSQL committed it, which with the default
 * {@code synchronous_commit = on} means it is flushed to the write-ahead log.
 */
public final class PostgresStore extends JdbcStore {
    /** The schema {@link #open(DataSource, String, IdGenerator)} puts Parley's tables in unless told otherwise. */
    public static final String DEFAULT_SCHEMA = "parley";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Connections each server keeps at most; N servers need N times this in {@code max_connections}. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private PostgresStore(Database db, IdGenerator ids) {
        super("PostgreSQL", db.name(), db, new PostgresDialect(), ids);
    }

    /** Opens the database with the default id generator and pool size, migrating it if needed. */
    public static PostgresStore open(String jdbcUrl) {
        return open(jdbcUrl, IdGenerator.timeOrdered(), DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the database, migrating it to the current schema first. Servers starting together are safe:
     * Flyway holds a database lock while it migrates, and the others wait for it.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host:port/database?user=…&password=…}
     * @param poolSize the most connections this store opens
     * @throws StoreException if the URL is malformed, the database cannot be reached or logged into, is not
     *                        UTF-8, or cannot be migrated; the message never contains the password
     */
    public static PostgresStore open(String jdbcUrl, IdGenerator ids, int poolSize) {
        Objects.requireNonNull(ids, "ids");
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        return migrate(Database.open(jdbcUrl, poolSize), ids);
    }

    /**
     * Opens Parley's tables in a schema of a host application's database, creating the schema and migrating it
     * if needed: Flyway keeps its history in that schema too, so the host's own migrations (in another schema)
     * and Parley's never meet. The connections stay the host's: closing the store leaves the data source open.
     *
     * <pre>{@code
     * Storage storage = PostgresStore.open(applicationDataSource, "parley", IdGenerator.timeOrdered()).storage();
     * }</pre>
     *
     * @param schema a lower-case SQL name ({@code [a-z_][a-z0-9_]*}, at most 63 characters), such as {@code parley}
     * @throws IllegalArgumentException if {@code schema} is not such a name
     * @throws StoreException if the database cannot be reached, is not UTF-8, or cannot be migrated
     */
    public static PostgresStore open(DataSource dataSource, String schema, IdGenerator ids) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(ids, "ids");
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("The schema for Parley's tables must be a lower-case SQL name "
                    + "(letters a-z, digits and _, not starting with a digit, at most 63 characters), got "
                    + (schema == null ? "null" : "\"" + schema + "\""));
        }
        return migrate(Database.over(dataSource, schema), ids);
    }

    private static PostgresStore migrate(Database db, IdGenerator ids) {
        try {
            String encoding = db.read(q -> q.one("SHOW server_encoding", rs -> rs.getString(1))).orElse("?");
            if (!encoding.equalsIgnoreCase("UTF8")) {
                throw new StoreException("The PostgreSQL database " + db.name() + " uses the " + encoding
                        + " encoding; Parley stores any Unicode text and needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' "
                        + "TEMPLATE template0)");
            }
            FluentConfiguration flyway = Flyway.configure(PostgresStore.class.getClassLoader())
                    .dataSource(db.pool())
                    .locations("classpath:db/postgresql")
                    .failOnMissingLocations(true)
                    // During a rolling upgrade a server of the previous release may restart after a newer one
                    // migrated the schema; it must start rather than refuse the newer migrations it does not know.
                    .ignoreMigrationPatterns("*:future");
            if (db.schema() != null) flyway.schemas(db.schema()).defaultSchema(db.schema()).createSchemas(true);
            flyway.load().migrate();
            return new PostgresStore(db, ids);
        } catch (RuntimeException e) {
            db.close();
            if (e instanceof StoreException) throw e;
            throw new StoreException("Cannot migrate the PostgreSQL database " + db.name() + ": " + e.getMessage(), e);
        }
    }
}
