package dev.parley.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachment bytes as files, one per id, in one directory (typically {@code <dataDir>/attachments}).
 *
 * <p>An upload is written to a temporary file and moved into place atomically, so a reader sees either the
 * old bytes or the new ones, never a partial file, and a crashed upload leaves no blob behind. Meant for a
 * single server process per directory: temporary files left by a crash are removed on construction.
 */
public final class FileBlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(FileBlobStore.class);

    /** Ids become file names, so nothing that could name another path (no dots, no separators). */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{1,200}");

    /** Starts with a dot, which no valid id contains, so a temporary file can never be taken for a blob. */
    private static final String TEMP_PREFIX = ".upload-";

    private final Path directory;

    /**
     * Uses (and creates if needed) the directory.
     *
     * @throws IOException if it cannot be created
     */
    public FileBlobStore(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory.toAbsolutePath());
        removeLeftovers();
    }

    /** {@return the directory holding the blobs} */
    public Path directory() {
        return directory;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the id contains anything but letters, digits, {@code _} and
     *     {@code -}, or {@code maxBytes} is negative
     */
    @Override
    public long write(String id, InputStream bytes, long maxBytes) throws IOException {
        Path target = pathOf(id);
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        Path temp = Files.createTempFile(directory, TEMP_PREFIX, ".tmp");
        boolean kept = false;
        try {
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                size = copy(bytes, Channels.newOutputStream(channel), maxBytes, id);
                // Make the bytes durable before the rename publishes them, or a crash could leave the final
                // name pointing at an empty or truncated file.
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            kept = true;
            return size;
        } finally {
            if (!kept) Files.deleteIfExists(temp);
        }
    }

    private static long copy(InputStream in, OutputStream out, long maxBytes, String id) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (true) {
            // Never ask for more than one byte past the limit: that is enough to know it was exceeded.
            int want = (int) Math.min(buffer.length, maxBytes - total + 1);
            int n = in.read(buffer, 0, want);
            if (n < 0) return total;
            total += n;
            if (total > maxBytes) {
                throw new TooLargeException("Attachment " + id + " is larger than the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
    }

    @Override
    public Optional<InputStream> open(String id) throws IOException {
        Path path = pathOf(id);
        try {
            return Optional.of(Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String id) throws IOException {
        Files.deleteIfExists(pathOf(id));
    }

    /** {@inheritDoc} Files whose names could not be ids (temporary uploads, anything an operator put there) are left out. */
    @Override
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (VALID_ID.matcher(name).matches() && Files.isRegularFile(p)) ids.add(name);
            }
        }
        return ids;
    }

    private Path pathOf(String id) {
        if (id == null || !VALID_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "Invalid attachment id: only letters, digits, '_' and '-' are allowed (at most 200)");
        }
        return directory.resolve(id);
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, TEMP_PREFIX + "*.tmp")) {
            for (Path p : leftovers) {
                log.info("Removing an unfinished upload left by an earlier run: {}", p);
                Files.deleteIfExists(p);
            }
        }
    }
}
