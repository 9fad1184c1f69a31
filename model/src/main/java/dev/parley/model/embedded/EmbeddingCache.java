package dev.parley.model.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Passage vectors kept on disk between starts, keyed by a SHA-256 of the model name and the embedded text: an
 * unchanged passage is never embedded twice, an edited one gets a new key, and vectors of another model are never
 * mixed in. The file is binary (magic, version, model, dimension, count, then key and floats per entry) and is
 * replaced atomically, so a crash mid-write leaves the old file.
 */
final class EmbeddingCache {
    static final String FILE_NAME = "knowledge-embeddings.bin";
    private static final int MAGIC = 0x50524C59; // "PRLY"
    private static final int VERSION = 1;
    private static final System.Logger LOG = System.getLogger(EmbeddingCache.class.getName());

    private EmbeddingCache() {}

    /** {@return the cache key of {@code text} embedded by {@link Embedder#MODEL_NAME}, as hex} */
    static String key(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Embedder.MODEL_NAME.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** {@return the vectors stored in {@code file}; empty when it is missing, of another model, or unreadable} */
    static Map<String, float[]> read(Path file) {
        Map<String, float[]> out = new HashMap<>();
        if (!Files.isRegularFile(file)) return out;
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) return warn(file, "not a cache file of this version");
            String model = in.readUTF();
            int dimension = in.readInt();
            if (!model.equals(Embedder.MODEL_NAME) || dimension != Embedder.DIMENSION) {
                return warn(file, "made by model " + model + " (" + dimension + " dimensions)");
            }
            int count = in.readInt();
            byte[] key = new byte[32];
            for (int n = 0; n < count; n++) {
                in.readFully(key);
                float[] v = new float[dimension];
                for (int i = 0; i < dimension; i++) v[i] = in.readFloat();
                out.put(HexFormat.of().formatHex(key), v);
            }
            return out;
        } catch (EOFException e) {
            return warn(file, "truncated");
        } catch (IOException e) {
            return warn(file, e.toString());
        }
    }

    /**
     * Replaces {@code file} with {@code vectors}.
     *
     * @throws IOException when the folder cannot be written
     */
    static void write(Path file, Map<String, float[]> vectors) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), FILE_NAME, ".tmp");
        try {
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(Embedder.MODEL_NAME);
                out.writeInt(Embedder.DIMENSION);
                out.writeInt(vectors.size());
                for (var e : vectors.entrySet()) {
                    out.write(HexFormat.of().parseHex(e.getKey()));
                    for (float x : e.getValue()) out.writeFloat(x);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, float[]> warn(Path file, String why) {
        LOG.log(System.Logger.Level.WARNING, "Ignoring knowledge embedding cache {0} ({1}); passages will be embedded again",
                file, why);
        return new HashMap<>();
    }
}
