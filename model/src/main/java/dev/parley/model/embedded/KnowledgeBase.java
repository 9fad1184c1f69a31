package dev.parley.model.embedded;

import dev.parley.model.embedded.MarkdownChunker.Chunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Documents (Markdown, plain text, HTML) cut into passages, each with its embedding, searched by cosine
 * similarity. Immutable and safe for concurrent use; {@link KnowledgeBases} replaces one with a fresh load when
 * its files change.
 */
public final class KnowledgeBase {
    /** Where the sample knowledge base lives on the classpath, and the file that lists its documents. */
    static final String SAMPLE_FOLDER = "knowledge/";
    static final String SAMPLE_INDEX = SAMPLE_FOLDER + "index.txt";

    private static final System.Logger LOG = System.getLogger(KnowledgeBase.class.getName());

    private final List<Chunk> chunks;
    private final List<float[]> vectors;
    private final List<Document> documents;
    private final int embeddedAtLoad;
    private final String fingerprint;
    private final Instant indexedAt;

    private KnowledgeBase(List<Chunk> chunks, List<float[]> vectors, List<Document> documents, int embeddedAtLoad,
            String fingerprint) {
        this.chunks = List.copyOf(chunks);
        this.vectors = List.copyOf(vectors);
        this.documents = List.copyOf(documents);
        this.embeddedAtLoad = embeddedAtLoad;
        this.fingerprint = fingerprint;
        this.indexedAt = Instant.now();
    }

    /**
     * A passage found by {@link #search}.
     *
     * @param similarity the cosine similarity of the passage and the query (for a biased search, the plain question)
     */
    public record Passage(String location, String title, String heading, String text, double similarity) {}

    /**
     * A document of the knowledge base.
     *
     * @param location its path relative to the knowledge base's folder, with {@code /} separators
     * @param passages how many passages it was cut into (0 for a document with no text)
     * @param bytes    its size on disk
     * @param modified when it was last changed; null for the bundled sample
     */
    public record Document(String location, String title, int passages, long bytes, Instant modified) {}

    /** A file as read, before chunking. */
    private record Source(String location, String text, long bytes, Instant modified) {}

    /**
     * Reads every Markdown ({@code .md}, {@code .markdown}), text ({@code .txt}) and HTML ({@code .html},
     * {@code .htm}) file under {@code folder} (or the bundled sample when it is null), and embeds the passages
     * that {@code cacheDir} does not already hold.
     *
     * @param folder   a folder of documents, searched recursively (hidden files and folders skipped); null for the
     *                 sample web-agency knowledge
     * @param cacheDir where passage vectors are kept between starts; null to embed everything on every start
     * @throws UncheckedIOException when the folder cannot be read
     */
    public static KnowledgeBase load(Path folder, Path cacheDir, Embedder embedder) {
        return load("knowledge", folder, cacheDir, embedder);
    }

    /** As {@link #load(Path, Path, Embedder)}, naming the knowledge base in the log. */
    static KnowledgeBase load(String name, Path folder, Path cacheDir, Embedder embedder) {
        // Taken before reading, so that a file changed while it is read shows up at the next check.
        String fingerprint = folder == null ? "" : fingerprint(folder);
        List<Source> sources = folder == null ? sample() : read(folder);
        List<Chunk> chunks = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        for (Source source : sources) {
            List<Chunk> cut = chunk(source);
            String title = cut.isEmpty() ? MarkdownChunker.fileTitle(source.location()) : cut.getFirst().title();
            documents.add(new Document(source.location(), title, cut.size(), source.bytes(), source.modified()));
            chunks.addAll(cut);
        }
        if (chunks.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "The knowledge folder {0} holds no Markdown, text or HTML with any "
                    + "text; every answer from knowledge base {1} will say it cannot answer", folder, name);
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
        LOG.log(System.Logger.Level.INFO, "Knowledge base {0}: {1} documents, {2} passages, {3} embedded now, {4} from cache",
                name, sources.size(), chunks.size(), missing.size(), chunks.size() - missing.size());
        return new KnowledgeBase(chunks, vectors, documents, missing.size(), fingerprint);
    }

    private static List<Chunk> chunk(Source source) {
        String name = source.location().toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt") || name.endsWith(".text")) return MarkdownChunker.chunkText(source.location(), source.text());
        if (name.endsWith(".html") || name.endsWith(".htm")) {
            return MarkdownChunker.chunk(source.location(), HtmlText.toMarkdown(source.text()));
        }
        return MarkdownChunker.chunk(source.location(), source.text());
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
        return ranked(rankBy, scoreBy, limit).stream().map(Ranked::passage).toList();
    }

    /** A passage with its similarity to the vector that ranked it, by which results of several bases are merged. */
    record Ranked(Passage passage, double rank) {}

    /** As {@link #search(float[], float[], int)}, each passage with its rank. */
    List<Ranked> ranked(float[] rankBy, float[] scoreBy, int limit) {
        List<Integer> order = new ArrayList<>(chunks.size());
        double[] rank = new double[chunks.size()];
        for (int i = 0; i < chunks.size(); i++) {
            rank[i] = Embedder.cosine(rankBy, vectors.get(i));
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> rank[i]).reversed());
        List<Ranked> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(limit, order.size()))) {
            Chunk c = chunks.get(i);
            double score = rankBy == scoreBy ? rank[i] : Embedder.cosine(scoreBy, vectors.get(i));
            out.add(new Ranked(new Passage(c.location(), c.title(), c.heading(), c.text(), score), rank[i]));
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

    /** {@return how many passages came from the disk cache when it was loaded} */
    public int cachedAtLoad() {
        return chunks.size() - embeddedAtLoad;
    }

    /** {@return its documents, in path order} */
    public List<Document> documents() {
        return documents;
    }

    /** {@return when it was loaded} */
    public Instant indexedAt() {
        return indexedAt;
    }

    /** {@return the names, sizes and modification times of its files when it was loaded; empty for the sample} */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * {@return one line per document file under {@code folder}: path, size, modification time} Listing and
     * reading the attributes costs well under a millisecond for a few hundred files, so it can run on a search.
     *
     * @throws UncheckedIOException when the folder cannot be read
     */
    static String fingerprint(Path folder) {
        StringBuilder out = new StringBuilder();
        for (Path p : files(folder)) {
            try {
                out.append(folder.relativize(p)).append('|').append(Files.size(p)).append('|')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            } catch (IOException e) {
                // A file deleted between the listing and here: the next check sees the listing without it.
                out.append(folder.relativize(p)).append("|gone\n");
            }
        }
        return out.toString();
    }

    /** {@return whether {@code p} is a file a knowledge base reads, by its extension} */
    static boolean isDocument(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".md") || name.endsWith(".markdown") || name.endsWith(".txt")
                || name.endsWith(".text") || name.endsWith(".html") || name.endsWith(".htm"));
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new IOException("The knowledge folder " + folder.toAbsolutePath()
                    + " does not exist or is not a folder"));
        }
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                // Version-control and editor folders (.git, .obsidian) are not knowledge, and a .git folder can
                // hold thousands of files that a change check would otherwise list every time.
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(folder) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && isDocument(file)) out.add(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the knowledge folder " + folder.toAbsolutePath() + ": " + e, e);
        }
        out.sort(null);
        return out;
    }

    private static List<Source> read(Path folder) {
        List<Source> out = new ArrayList<>();
        for (Path p : files(folder)) {
            try {
                byte[] bytes = Files.readAllBytes(p);
                out.add(new Source(folder.relativize(p).toString().replace('\\', '/'),
                        new String(bytes, StandardCharsets.UTF_8), bytes.length,
                        Files.getLastModifiedTime(p).toInstant()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + p.toAbsolutePath() + " of the knowledge folder: " + e, e);
            }
        }
        return out;
    }

    /** The classpath cannot be listed portably, so the sample names its documents in an index file. */
    private static List<Source> sample() {
        List<Source> out = new ArrayList<>();
        for (String name : resource(SAMPLE_INDEX).split("\n")) {
            String file = name.strip();
            if (file.isEmpty() || file.startsWith("#")) continue;
            String text = resource(SAMPLE_FOLDER + file);
            out.add(new Source(SAMPLE_FOLDER + file, text, text.getBytes(StandardCharsets.UTF_8).length, null));
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
