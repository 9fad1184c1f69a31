package dev.parley.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.IdGenerator;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Parley inside a host application's database: its tables in their own schema, on the host's pool, which gets its
 * connections back as it lent them.
 */
class PostgresSchemaTest {

    @Test
    void tablesLiveInTheirOwnSchemaAndTheHostsConnectionsComeBackUnchanged() throws SQLException {
        try (HikariDataSource host = hostPool()) {
            run(host, "CREATE TABLE orders (id INT PRIMARY KEY)");
            try (PostgresStore store = PostgresStore.open(host, "chat_app", IdGenerator.timeOrdered())) {
                String id = store.ids().newId(IdKind.THREAD);
                store.saveThread("alice", ThreadMetadata.create(id, ChatKitJson.now()));

                assertThat(count(host, "SELECT count(*) FROM chat_app.threads WHERE id = '" + id + "'")).isEqualTo(1);
                // The template database has Parley's tables in public too: the new thread must not be there.
                assertThat(count(host, "SELECT count(*) FROM public.threads WHERE id = '" + id + "'")).isZero();
                assertThat(count(host, "SELECT count(*) FROM chat_app.flyway_schema_history")).isPositive();
                // Both of the pool's connections, which Parley has just used, come back in the host's schema.
                try (Connection a = host.getConnection(); Connection b = host.getConnection()) {
                    assertThat(a.getSchema()).isEqualTo("public");
                    assertThat(b.getSchema()).isEqualTo("public");
                    assertThat(count(a, "SELECT count(*) FROM orders")).isZero();
                }
                assertThat(store.loadThread("alice", id).id()).isEqualTo(id);
            }
            // Closing the store leaves the host's pool open.
            assertThat(host.isClosed()).isFalse();
            assertThat(count(host, "SELECT count(*) FROM orders")).isZero();
        }
    }

    @Test
    void reopeningFindsTheMigratedSchema() {
        try (HikariDataSource host = hostPool()) {
            String id;
            try (Store store = PostgresStore.open(host, PostgresStore.DEFAULT_SCHEMA, IdGenerator.timeOrdered())) {
                id = store.ids().newId(IdKind.THREAD);
                store.saveThread("bob", ThreadMetadata.create(id, ChatKitJson.now()));
            }
            try (Store store = PostgresStore.open(host, PostgresStore.DEFAULT_SCHEMA, IdGenerator.timeOrdered())) {
                assertThat(store.loadThread("bob", id).id()).isEqualTo(id);
            }
        }
    }

    @Test
    void aSchemaThatIsNotAPlainNameIsRefusedWithTheRule() {
        try (HikariDataSource host = hostPool()) {
            assertThatThrownBy(() -> PostgresStore.open(host, "Parley; DROP TABLE orders", IdGenerator.timeOrdered()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case SQL name")
                    .hasMessageContaining("\"Parley; DROP TABLE orders\"");
        }
    }

    private static HikariDataSource hostPool() {
        var config = new HikariConfig();
        config.setJdbcUrl(TestPostgres.newDatabase());
        // Two: Flyway holds one for its lock while it migrates on the other.
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static void run(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(HikariDataSource ds, String sql) {
        try (Connection c = ds.getConnection()) {
            return count(c, sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
