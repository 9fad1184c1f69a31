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
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
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
    void aFileMissingAMigrationOrWithAFailedOneIsNotUpToDate() throws SQLException {
        SortedSet<Integer> versions = MigrationCheck.available(loader(), LOCATION).orElseThrow();
        Path behind = dir.resolve("behind.db");
        SqliteStore.open(behind).close();
        // As if the file were last opened by a build one migration older.
        execute(behind, "DELETE FROM flyway_schema_history WHERE version = '" + versions.last() + "'");
        assertThat(MigrationCheck.upToDate(source(behind), loader(), LOCATION)).isFalse();

        // As if a branch with a lower-numbered migration were merged after a higher one was applied: Flyway must
        // see it (and refuse or apply it), never have it skipped because the highest versions agree.
        Path gap = dir.resolve("gap.db");
        SqliteStore.open(gap).close();
        execute(gap, "DELETE FROM flyway_schema_history WHERE version = '" + versions.first() + "'");
        assertThat(MigrationCheck.upToDate(source(gap), loader(), LOCATION)).isFalse();

        Path failed = dir.resolve("failed.db");
        SqliteStore.open(failed).close();
        execute(failed, "UPDATE flyway_schema_history SET success = 0 WHERE version = '" + versions.last() + "'");
        assertThat(MigrationCheck.upToDate(source(failed), loader(), LOCATION)).isFalse();
    }

    @Test
    void theVersionsAreReadFromAFolderAndFromAJar() throws IOException {
        SortedSet<Integer> fromFolder = MigrationCheck.available(loader(), LOCATION).orElseThrow();
        try (var sql = Files.list(Path.of("src/main/resources", LOCATION))) {
            Set<Integer> expected = sql.map(p -> p.getFileName().toString())
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).collect(Collectors.toSet());
            assertThat(fromFolder).isNotEmpty().isEqualTo(expected);
        }

        Path jar = jar("m.jar", List.of(LOCATION + "/V1__a.sql", LOCATION + "/V12__b.sql", LOCATION + "/V3__c.sql",
                "other/V99__elsewhere.sql", LOCATION + "/nested/V50__deeper.sql"));
        try (var inJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationCheck.available(inJar, LOCATION)).hasValue(new TreeSet<>(List.of(1, 3, 12)));
        }
    }

    @Test
    void aScriptOutsideParleysNamingLeavesTheDecisionToFlyway() throws IOException {
        Path jar = jar("odd.jar", List.of(LOCATION + "/V1__a.sql", LOCATION + "/R__repeatable.sql"));
        try (var inJar = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationCheck.available(inJar, LOCATION)).isEmpty();
            assertThat(MigrationCheck.available(inJar, "db/none")).hasValue(new TreeSet<>());
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
