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
import java.util.OptionalInt;
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
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]*\\.sql");

    private MigrationCheck() {}

    /**
     * {@return true when the history's highest successful version equals the highest migration under
     * {@code location} (e.g. {@code db/migration}) and no migration failed}
     */
    static boolean upToDate(DataSource source, ClassLoader loader, String location) {
        OptionalInt available = highestAvailable(loader, location);
        if (available.isEmpty()) return false;
        try (Connection c = source.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT MAX(CAST(version AS INTEGER)), SUM(success = 0),"
                        + " SUM(version IS NOT NULL AND CAST(CAST(version AS INTEGER) AS TEXT) <> version)"
                        + " FROM flyway_schema_history")) {
            if (!rs.next()) return false;
            int applied = rs.getInt(1);
            boolean failed = rs.getInt(2) > 0;
            boolean unusualVersion = rs.getInt(3) > 0;
            return !failed && !unusualVersion && applied == available.getAsInt();
        } catch (SQLException e) {
            // No history table yet (a new file), or something Flyway should look at.
            return false;
        }
    }

    /** {@return the highest version of {@code V<n>__*.sql} under {@code location}; empty when it cannot tell} */
    static OptionalInt highestAvailable(ClassLoader loader, String location) {
        List<String> names;
        try {
            names = list(loader, location);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return OptionalInt.empty();
        }
        int highest = -1;
        for (String name : names) {
            if (!name.endsWith(".sql")) continue;
            Matcher m = VERSIONED.matcher(name);
            // A script Parley's naming does not cover (repeatable, dotted version): let Flyway judge.
            if (!m.matches()) return OptionalInt.empty();
            highest = Math.max(highest, Integer.parseInt(m.group(1)));
        }
        return highest < 0 ? OptionalInt.empty() : OptionalInt.of(highest);
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
