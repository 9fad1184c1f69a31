package dev.parley.model.embedded;

import dev.parley.model.embedded.MarkdownChunker.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Markdown documents cut into passages, each with its embedding, searched by cosine similarity. Built once at
 * start-up; immutable and safe for concurrent use after that.
 */
public final class KnowledgeBase {
    /** Where the sample knowledge base lives on the classpath, and the file that lists its documents. */
    static final String SAMPLE_FOLDER = "knowledge/";
    static final String SAMPLE_INDEX = SAMPLE_FOLDER + "index.txt";

    private static final System.Logger LOG = System.getLogger(KnowledgeBase.class.getName());

    private final List<Chunk> chunks;
    private final List<float[]> vectors;
    private final int embeddedAtLoad;

    private KnowledgeBase(List<Chunk> chunks, List<float[]> vectors, int embeddedAtLoad) {
        this.chunks = List.copyOf(chunks);
        this.vectors = List.copyOf(vectors);
        this.embeddedAtLoad = embeddedAtLoad;
    }

    /**
     * A passage found by {@link #search}.
     *
     * @param similarity the cosine similarity of the passage and the query (for a biased search, the plain question)
     */
    public record Passage(String location, String title, String heading, String text, double similarity) {}

    /**
     * Reads every {@code .md} file under {@code folder} (or the bundled sample when it is null), and embeds the
     * passages that {@code cacheDir} does not already hold.
     *
     * @param folder   a folder of Markdown files, searched recursively; null for the sample web-agency knowledge
     * @param cacheDir where passage vectors are kept between starts; null to embed everything on every start
     * @throws UncheckedIOException when the folder cannot be read
     */
    public static KnowledgeBase load(Path folder, Path cacheDir, Embedder embedder) {
        Map<String, String> documents = folder == null ? sample() : read(folder);
        List<Chunk> chunks = new ArrayList<>();
        documents.forEach((location, text) -> chunks.addAll(MarkdownChunker.chunk(location, text)));
        if (chunks.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "The knowledge folder {0} holds no Markdown text; every agent answer "
                    + "will say it cannot answer", folder);
        }

        Path cacheFile = cacheDir == null ? null : cacheDir.resolve(EmbeddingCache.FILE_NAME);
        Map<String, float[]> cached = cacheFile == null ? Map.of() : EmbeddingCache.read(cacheFile);
        List<String> keys = chunks.stream().map(c -> EmbeddingCache.key(c.embeddingText())).toList();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) if (!cached.containsKey(keys.get(i))) missing.add(i);

        List<float[]> fresh = embedder.embedAll(missing.stream().map(i -> chunks.get(i).embeddingText()).toList());
        Map<String, float[]> current = new LinkedHashMap<>();
        for (int n = 0; n < missing.size(); n++) current.put(keys.get(missing.get(n)), fresh.get(n));
        for (String key : keys) current.putIfAbsent(key, cached.get(key));
        List<float[]> vectors = keys.stream().map(current::get).toList();
        // Rewrite only when something changed, so an unchanged knowledge base leaves the file alone.
        if (cacheFile != null && (!missing.isEmpty() || !cached.keySet().equals(current.keySet()))) {
            try {
                EmbeddingCache.write(cacheFile, current);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not write the knowledge embedding cache {0} ({1}); "
                        + "the next start embeds the passages again", cacheFile, e.toString());
            }
        }
        LOG.log(System.Logger.Level.INFO, "Knowledge base: {0} documents, {1} passages, {2} embedded now, {3} from cache",
                documents.size(), chunks.size(), missing.size(), chunks.size() - missing.size());
        return new KnowledgeBase(chunks, vectors, missing.size());
    }

    /** {@return the passages most similar to {@code query}, best first, at most {@code limit}} */
    public List<Passage> search(float[] query, int limit) {
        return search(query, query, limit);
    }

    /**
     * {@return the passages most similar to {@code rankBy}, best first, at most {@code limit}, each with its
     * similarity to {@code scoreBy}} Lets a biased query choose the passages while the plain question judges them.
     */
    List<Passage> search(float[] rankBy, float[] scoreBy, int limit) {
        List<Integer> order = new ArrayList<>(chunks.size());
        double[] rank = new double[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            rank[i] = Embedder.cosine(rankBy, vectors.get(i));
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> rank[i]).reversed());
        List<Passage> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(limit, order.size()))) {
            Chunk c = chunks.get(i);
            double score = rankBy == scoreBy ? rank[i] : Embedder.cosine(scoreBy, vectors.get(i));
            out.add(new Passage(c.location(), c.title(), c.heading(), c.text(), score));
        }
        return out;
    }

    /** {@return how many passages the knowledge base holds} */
    public int size() {
        return chunks.size();
    }

    /** {@return how many passages were embedded when it was loaded; 0 when all came from the disk cache} */
    public int embeddedAtLoad() {
        return embeddedAtLoad;
    }

    private static Map<String, String> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new IOException("The knowledge folder " + folder.toAbsolutePath()
                    + " does not exist or is not a folder"));
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(Files::isRegularFile).filter(KnowledgeBase::isMarkdown).sorted().toList()) {
                out.put(folder.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the knowledge folder " + folder.toAbsolutePath() + ": " + e, e);
        }
        return out;
    }

    private static boolean isMarkdown(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown");
    }

    /** The classpath cannot be listed portably, so the sample names its documents in an index file. */
    private static Map<String, String> sample() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : resource(SAMPLE_INDEX).split("\n")) {
            String file = name.strip();
            if (file.isEmpty() || file.startsWith("#")) continue;
            out.put(SAMPLE_FOLDER + file, resource(SAMPLE_FOLDER + file));
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = KnowledgeBase.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("The sample knowledge base is missing " + path + " from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + " from the classpath", e);
        }
    }
}
