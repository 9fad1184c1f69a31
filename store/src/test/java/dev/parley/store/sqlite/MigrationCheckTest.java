package dev.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** When a restart may skip Flyway, against real SQLite files and migrations read from a folder and from a jar. */
class MigrationCheckTest {
    private static final String LOCATION = "db/migration";
    @TempDir Path dir;

    @Test
    void aMigratedFileIsUpToDateAndANewOneIsNot() throws SQLException {
        Path file = dir.resolve("fresh.db");
        assertThat(MigrationCheck.upToDate(source(file), loader(), LOCATION)).as("no history table yet").isFalse();
        SqliteStore.open(file).close();
        assertThat(MigrationCheck.upToDate(source(file), loader(), LOCATION)).isTrue();
    }

    @Test
    void aFileBehindTheNewestMigrationOrWithAFailedOneIsNotUpToDate() throws SQLException {
        Path behind = dir.resolve("behind.db");
        SqliteStore.open(behind).close();
        int newest = MigrationCheck.highestAvailable(loader(), LOCATION).orElseThrow();
        // As if the file were last opened by a build one migration older.
        execute(behind, "DELETE FROM flyway_schema_history WHERE version = '" + newest + "'");
        assertThat(MigrationCheck.upToDate(source(behind), loader(), LOCATION)).isFalse();

        Path failed = dir.resolve("failed.db");
        SqliteStore.open(failed).close();
        execute(failed, "UPDATE flyway_schema_history SET success = 0 WHERE version = '" + newest + "'");
        assertThat(MigrationCheck.upToDate(source(failed), loader(), LOCATION)).isFalse();
    }

    @Test
    void theHighestVersionIsReadFromAFolderAndFromAJar() throws IOException {
        OptionalInt fromFolder = MigrationCheck.highestAvailable(loader(), LOCATION);
        assertThat(fromFolder).isPresent();
        try (var sql = Files.list(Path.of("src/main/resources", LOCATION))) {
            int expected = sql.map(p -> p.getFileName().toString())
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max(Integer::compare).orElseThrow();
            assertThat(fromFolder.getAsInt()).isEqualTo(expected);
        }

        Path jar = jar("m.jar", List.of(LOCATION + "/V1__a.sql", LOCATION + "/V12__b.sql", LOCATION + "/V3__c.sql",
                "other/V99__elsewhere.sql", LOCATION + "/nested/V50__deeper.sql"));
        try (var inJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationCheck.highestAvailable(inJar, LOCATION)).hasValue(12);
        }
    }

    @Test
    void aScriptOutsideParleysNamingLeavesTheDecisionToFlyway() throws IOException {
        Path jar = jar("odd.jar", List.of(LOCATION + "/V1__a.sql", LOCATION + "/R__repeatable.sql"));
        try (var inJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationCheck.highestAvailable(inJar, LOCATION)).isEmpty();
            assertThat(MigrationCheck.highestAvailable(inJar, "db/none")).isEmpty();
        }
    }

    private Path jar(String name, List<String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); var zip = new JarOutputStream(out)) {
            // Folder entries, as Maven's jar and shade plugins write them: the class loader finds a folder by its entry.
            for (String folder : List.of("db/", LOCATION + "/", LOCATION + "/nested/", "other/")) {
                zip.putNextEntry(new JarEntry(folder));
                zip.closeEntry();
            }
            for (String e : entries) {
                zip.putNextEntry(new JarEntry(e));
                zip.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static ClassLoader loader() {
        return SqliteStore.class.getClassLoader();
    }

    private static SQLiteDataSource source(Path file) {
        var source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    private static void execute(Path file, String sql) throws SQLException {
        try (Connection c = source(file).getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
