package dev.parley.store.sqlite;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Tells whether a database already has every migration of a classpath location, so that a restart can skip Flyway:
 * configuring it loads about a thousand classes (its plugins, a JSON library) and was a quarter of the start-up
 * time, for a check that almost always finds nothing to do.
 *
 * <p>Conservative by design: anything it cannot read plainly (no history table, a failed migration, a version that
 * is not a whole number, a location it cannot list) answers "not up to date", and Flyway then decides as before.
 */
final class MigrationCheck {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d{1,9})__[^/]*\\.sql");

    private MigrationCheck() {}

    /**
     * {@return true when the history's successful versions are exactly the {@code V<n>__*.sql} scripts under
     * {@code location} (e.g. {@code db/migration}) and no migration failed}. The whole set is compared, not only the
     * highest version: a script merged later with a lower number than one already applied must still reach Flyway.
     */
    static boolean upToDate(DataSource source, ClassLoader loader, String location) {
        Optional<SortedSet<Integer>> available = available(loader, location);
        if (available.isEmpty() || available.get().isEmpty()) return false;
        SortedSet<Integer> applied = new TreeSet<>();
        try (Connection c = source.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (!rs.getBoolean(2) || !version.matches("\\d{1,9}")) return false;
                applied.add(Integer.parseInt(version));
            }
        } catch (SQLException e) {
            // No history table yet (a new file), or something Flyway should look at.
            return false;
        }
        return applied.equals(available.get());
    }

    /** {@return the versions of the {@code V<n>__*.sql} scripts under {@code location}; empty when it cannot tell} */
    static Optional<SortedSet<Integer>> available(ClassLoader loader, String location) {
        List<String> names;
        try {
            names = list(loader, location);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        SortedSet<Integer> versions = new TreeSet<>();
        for (String name : names) {
            if (!name.endsWith(".sql")) continue;
            Matcher m = VERSIONED.matcher(name);
            // A script Parley's naming does not cover (repeatable, dotted version): let Flyway judge.
            if (!m.matches()) return Optional.empty();
            versions.add(Integer.parseInt(m.group(1)));
        }
        return Optional.of(versions);
    }

    /** The file names directly under {@code location}, from a folder (tests, IDEs) or a jar (parley.jar). */
    private static List<String> list(ClassLoader loader, String location) throws IOException, URISyntaxException {
        URL url = loader.getResource(location);
        if (url == null) return List.of();
        List<String> names = new ArrayList<>();
        switch (url.getProtocol()) {
            case "file" -> {
                String[] files = new File(url.toURI()).list();
                if (files != null) names.addAll(List.of(files));
            }
            case "jar" -> {
                var connection = (JarURLConnection) url.openConnection();
                // The class loader already has this jar open; without caches this would read its directory twice.
                connection.setUseCaches(true);
                JarFile jar = connection.getJarFile();
                String prefix = location.endsWith("/") ? location : location + "/";
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0 && name.length() > prefix.length()) {
                        names.add(Path.of(name).getFileName().toString());
                    }
                }
            }
            default -> throw new IOException("cannot list " + url);
        }
        return names;
    }
}
