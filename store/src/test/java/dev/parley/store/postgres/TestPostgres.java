package dev.parley.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (zonky's binaries from Maven Central; no Docker, no system install),
 * started on first use and stopped when the JVM exits. Each store under test gets a database of its own,
 * copied from a template that is already migrated, so a test costs a {@code CREATE DATABASE} rather than a
 * fresh server or a Flyway run.
 */
final class TestPostgres {
    private static final String TEMPLATE = "parley_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static boolean icu;

    private TestPostgres() {}

    /** {@return a JDBC URL for a new, migrated, empty database} */
    static String newDatabase() {
        return newDatabase(Map.of());
    }

    /** {@return a JDBC URL for a new, migrated, empty database; the server is started with the settings} */
    static synchronized String newDatabase(Map<String, String> settings) {
        EmbeddedPostgres pg = server(settings);
        String name = "parley_" + DATABASES.incrementAndGet();
        for (int attempt = 1; ; attempt++) {
            try {
                execute(pg, "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
                return pg.getJdbcUrl("postgres", name);
            } catch (IllegalStateException e) {
                // The template's last pooled connection may still be closing ("being accessed by other users").
                if (attempt == 50) throw e;
                sleep();
            }
        }
    }

    /** {@return whether the databases sort text by an ICU collation rather than byte order} */
    static boolean icuCollation() {
        return icu;
    }

    private static EmbeddedPostgres server(Map<String, String> settings) {
        if (server != null) return server;
        try {
            var builder = EmbeddedPostgres.builder()
                    // Set explicitly: initdb would otherwise take the encoding from the machine's locale.
                    .setLocaleConfig("encoding", "UTF8")
                    .setLocaleConfig("locale", "C");
            settings.forEach(builder::setServerConfig);
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // The JVM is exiting; zonky's own hook removes what is left.
            }
        }));
        // A linguistic collation where the build has ICU: the stores must not depend on byte-order sorting of text
        // (a C-collated template would hide that).
        try {
            execute(server, "CREATE DATABASE " + TEMPLATE + " TEMPLATE template0 ENCODING 'UTF8' "
                    + "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
            icu = true;
        } catch (IllegalStateException e) {
            execute(server, "CREATE DATABASE " + TEMPLATE + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        PostgresStore.open(server.getJdbcUrl("postgres", TEMPLATE)).close();
        return server;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void execute(EmbeddedPostgres pg, String sql) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
