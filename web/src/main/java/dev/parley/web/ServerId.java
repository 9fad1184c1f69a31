package dev.parley.web;

import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * This server's lasting identity, kept in {@code <data dir>/server.id}: the same across restarts, different for
 * every data directory (so for every server sharing a PostgreSQL database). A server that restarts after being
 * killed finds the runs it left running by this id and closes them as interrupted.
 */
final class ServerId {
    static final String FILE = "server.id";
    private static final Pattern VALID = Pattern.compile("srv_[0-9a-f]{16}");

    private ServerId() {}

    /** {@return the id kept in {@code dataDir}, created on first use} @throws UncheckedIOException if unreadable */
    static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (VALID.matcher(kept).matches()) return kept;
            }
            String id = Workflows.newServerId();
            Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file.toAbsolutePath(), e);
        }
    }
}
