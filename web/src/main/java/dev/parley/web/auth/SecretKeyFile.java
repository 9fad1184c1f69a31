package dev.parley.web.auth;

import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Finds the server's signing key: {@code PARLEY_SECRET_KEY} when set, otherwise the key kept in
 * {@code <data dir>/secret.key}, created on first start. Keeping it on disk means client secrets, upload links
 * and image previews stay valid across restarts.
 *
 * <p>The file holds the key as text (43 base64url characters) and the key is that text's bytes, exactly as
 * for the environment variable, so its content can be moved into {@code PARLEY_SECRET_KEY} unchanged.
 */
public final class SecretKeyFile {
    static final String FILE_NAME = "secret.key";
    private static final System.Logger LOG = System.getLogger(SecretKeyFile.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretKeyFile() {}

    /**
     * {@return the master key for the configuration}
     *
     * @throws IOException if the key file cannot be read or created
     * @throws IllegalStateException if the key file exists but is too short to be a key
     */
    public static byte[] resolve(ParleyConfig config) throws IOException {
        if (config.secretKey() != null) return config.secretKey().getBytes(StandardCharsets.UTF_8);
        Path file = config.dataDir().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            try {
                create(file);
                LOG.log(System.Logger.Level.INFO, "Created a new signing key in {0}", file);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first; use theirs so both agree.
            }
        }
        return read(file);
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] text = Hmac.base64Url(random).getBytes(StandardCharsets.US_ASCII);
        Files.createDirectories(file.getParent());
        boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        // CREATE_NEW with the permissions given at creation: the key is never readable by others, not even briefly.
        try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
            channel.write(java.nio.ByteBuffer.wrap(text));
        }
    }

    private static byte[] read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        byte[] key = text.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalStateException(file + " holds no usable key (" + key.length + " bytes, need 32); delete it"
                    + " to generate a new one (client secrets and attachment links issued so far stop working)");
        }
        warnIfShared(file);
        return key;
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
                LOG.log(System.Logger.Level.WARNING, "{0} is readable by others ({1}); run chmod 600 on it",
                        file, PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
