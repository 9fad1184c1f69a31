package dev.parley.model.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Several knowledge bases, each known by an id, searched together or apart.
 *
 * <p>Layout of the root folder ({@code PARLEY_KNOWLEDGE_DIR}):
 * <ul>
 *   <li>no root: one base, {@value #DEFAULT_ID}, the bundled sample knowledge of a small web agency;</li>
 *   <li>documents directly in the root (today's meaning of the variable): the whole folder, sub-folders included,
 *       is the one base {@value #DEFAULT_ID}, replacing the sample;</li>
 *   <li>only sub-folders: each is a base named after the folder; a name must be lowercase letters, digits,
 *       {@code -} or {@code _} (other folders are skipped with a warning).</li>
 * </ul>
 * Each base keeps its passage vectors in {@code <cache root>/<id>/}. A base whose files changed (names, sizes or
 * modification times) is re-indexed when it is next used, at most once per check interval; only passages whose
 * text changed are embedded again. Safe for concurrent use: a search never waits for another's re-index.
 */
public final class KnowledgeBases {
    /** The base of the seed workflow: the bundled sample, or a root folder that holds documents itself. */
    public static final String DEFAULT_ID = "agency";
    /** How often a search may look at a base's files for changes. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final System.Logger LOG = System.getLogger(KnowledgeBases.class.getName());

    private final Map<String, Entry> bases;
    private final String defaultId;
    private final Embedder embedder;
    private final long checkNanos;

    private KnowledgeBases(Map<String, Entry> bases, Embedder embedder, Duration checkInterval) {
        this.bases = bases;
        this.embedder = embedder;
        this.checkNanos = checkInterval.toNanos();
        this.defaultId = bases.containsKey(DEFAULT_ID) ? DEFAULT_ID : bases.keySet().iterator().next();
    }

    /**
     * A passage found by {@link #search}.
     *
     * @param knowledgeBase the id of the base it is in
     * @param location      the document's path inside its base
     * @param heading       the section it is in (the title before the first section)
     * @param score         cosine similarity with the query, from -1 to 1; above about 0.3 is usually relevant
     */
    public record Hit(String knowledgeBase, String location, String title, String heading, String text, double score) {
        /** {@return a citation: "title › section", or the title alone for a passage before the first section} */
        public String source() {
            return heading.equals(title) ? title : title + " › " + heading;
        }
    }

    /** One base: its folder (null for the sample), where its vectors are kept, and its current index. */
    private static final class Entry {
        final String id;
        final Path folder;
        final Path cacheDir;
        final ReentrantLock lock = new ReentrantLock();
        volatile KnowledgeBase current;
        volatile long checkedAt;

        Entry(String id, Path folder, Path cacheDir) {
            this.id = id;
            this.folder = folder;
            this.cacheDir = cacheDir;
        }
    }

    /**
     * Opens and indexes every base under {@code root} with the shared embedder, checking for changed files at most
     * every {@link #DEFAULT_CHECK_INTERVAL}.
     *
     * @param root      the knowledge folder; null for the bundled sample alone, as {@value #DEFAULT_ID}
     * @param cacheRoot where each base keeps its vectors, in a sub-folder named by its id; null to keep none
     * @throws UncheckedIOException when the root or a base's folder cannot be read
     */
    public static KnowledgeBases open(Path root, Path cacheRoot) {
        return open(root, cacheRoot, Embedder.shared(), DEFAULT_CHECK_INTERVAL);
    }

    /** As {@link #open(Path, Path)}; {@code checkInterval} zero looks for changed files on every use. */
    public static KnowledgeBases open(Path root, Path cacheRoot, Embedder embedder, Duration checkInterval) {
        Objects.requireNonNull(embedder, "embedder");
        if (checkInterval.isNegative()) throw new IllegalArgumentException("checkInterval must not be negative");
        Map<String, Entry> bases = new LinkedHashMap<>();
        layout(root).forEach((id, folder) ->
                bases.put(id, new Entry(id, folder, cacheRoot == null ? null : cacheRoot.resolve(id))));
        if (cacheRoot != null && bases.containsKey(DEFAULT_ID)) adoptLegacyCache(cacheRoot);
        for (Entry e : bases.values()) {
            e.current = KnowledgeBase.load(e.id, e.folder, e.cacheDir, embedder);
            e.checkedAt = System.nanoTime();
        }
        KnowledgeBases out = new KnowledgeBases(bases, embedder, checkInterval);
        if (!out.defaultId.equals(DEFAULT_ID)) {
            LOG.log(System.Logger.Level.INFO, "No knowledge base is named {0}: the embedded provider''s agent "
                    + "answers quote {1} (name a sub-folder {0} to choose another)", DEFAULT_ID, out.defaultId);
        }
        return out;
    }

    /** {@return the ids of the bases, in name order (the sample's single id when there is no root)} */
    public List<String> ids() {
        return List.copyOf(bases.keySet());
    }

    /** {@return the base the embedded provider answers agent nodes from: {@value #DEFAULT_ID}, else the first id} */
    public String defaultId() {
        return defaultId;
    }

    /** {@return whether a base is known by {@code id}} */
    public boolean has(String id) {
        return bases.containsKey(id);
    }

    /**
     * {@return the base {@code id}, re-indexed first if its files changed since it was last looked at (at most
     * once per check interval)}
     *
     * @throws NoSuchElementException naming the known ids when there is no such base
     */
    public KnowledgeBase get(String id) {
        Entry e = entry(id);
        refreshIfChanged(e);
        return e.current;
    }

    /**
     * {@return the base {@code id} as last indexed, without looking at its files}
     *
     * @throws NoSuchElementException naming the known ids when there is no such base
     */
    public KnowledgeBase current(String id) {
        return entry(id).current;
    }

    /** {@return the documents of base {@code id}, as last indexed} */
    public List<KnowledgeBase.Document> documents(String id) {
        return current(id).documents();
    }

    /** {@return the folder base {@code id} is read from; empty for the bundled sample} */
    public java.util.Optional<Path> folder(String id) {
        return java.util.Optional.ofNullable(entry(id).folder);
    }

    /**
     * Reads base {@code id} again now, whether or not its files look changed; unchanged passages come from the
     * cache. Waits for a re-index already running on the same base.
     *
     * @return the new index
     * @throws NoSuchElementException naming the known ids when there is no such base
     * @throws UncheckedIOException when its folder can no longer be read (the previous index stays in use)
     */
    public KnowledgeBase reindex(String id) {
        Entry e = entry(id);
        e.lock.lock();
        try {
            e.current = KnowledgeBase.load(e.id, e.folder, e.cacheDir, embedder);
            e.checkedAt = System.nanoTime();
            return e.current;
        } finally {
            e.lock.unlock();
        }
    }

    /**
     * {@return the passages of the bases {@code ids} most similar to {@code query}, best first, at most
     * {@code maxResults}} The query is embedded once; each base is searched for its best {@code maxResults} and
     * the lists merged by score, so a base with more documents does not crowd out a better passage of another.
     *
     * @throws IllegalArgumentException when {@code ids} is empty, names an unknown base (the message lists the
     *                                  known ones), or {@code maxResults} is below 1
     */
    public List<Hit> search(List<String> ids, String query, int maxResults) {
        checkSearch(ids, maxResults);
        float[] q = embedder.embed(query);
        return search(ids, q, q, maxResults);
    }

    /**
     * As {@link #search(List, String, int)} for an embedded query: the passages best for {@code rankBy}, merged
     * across the bases by that, each scored by {@code scoreBy}. Lets the embedded provider bias the choice with an
     * agent's instructions while the plain question judges relevance, over several bases as over one.
     */
    List<Hit> search(List<String> ids, float[] rankBy, float[] scoreBy, int maxResults) {
        checkSearch(ids, maxResults);
        record Found(Hit hit, double rank) {}
        List<Found> found = new ArrayList<>();
        for (String id : ids.stream().distinct().toList()) {
            for (KnowledgeBase.Ranked r : get(id).ranked(rankBy, scoreBy, maxResults)) {
                KnowledgeBase.Passage p = r.passage();
                found.add(new Found(new Hit(id, p.location(), p.title(), p.heading(), p.text(), p.similarity()), r.rank()));
            }
        }
        found.sort(Comparator.comparingDouble(Found::rank).reversed());
        return found.stream().limit(maxResults).map(Found::hit).toList();
    }

    private void checkSearch(List<String> ids, int maxResults) {
        if (ids.isEmpty()) throw new IllegalArgumentException("Name at least one knowledge base to search; known: " + known());
        if (maxResults < 1) throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
        List<String> unknown = ids.stream().filter(id -> !bases.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown knowledge base " + String.join(", ", unknown) + "; known: " + known());
        }
    }

    private Entry entry(String id) {
        Entry e = id == null ? null : bases.get(id);
        if (e == null) throw new NoSuchElementException("No knowledge base " + id + "; known: " + known());
        return e;
    }

    private String known() {
        return String.join(", ", bases.keySet());
    }

    /** A change check that fails (the folder was removed) keeps the last index and says so once per interval. */
    private void refreshIfChanged(Entry e) {
        if (e.folder == null || System.nanoTime() - e.checkedAt < checkNanos) return;
        // Another caller is already checking or re-indexing: answer from the index in hand rather than wait.
        if (!e.lock.tryLock()) return;
        try {
            if (System.nanoTime() - e.checkedAt < checkNanos) return;
            e.checkedAt = System.nanoTime();
            if (KnowledgeBase.fingerprint(e.folder).equals(e.current.fingerprint())) return;
            LOG.log(System.Logger.Level.INFO, "The files of knowledge base {0} changed; re-indexing", e.id);
            e.current = KnowledgeBase.load(e.id, e.folder, e.cacheDir, embedder);
        } catch (UncheckedIOException ex) {
            LOG.log(System.Logger.Level.WARNING, "Could not check knowledge base {0} for changes ({1}); still "
                    + "answering from its last index", e.id, ex.getMessage());
        } finally {
            e.lock.unlock();
        }
    }

    /** {@return the bases under {@code root} by id, in id order; see the class comment for the rules} */
    static Map<String, Path> layout(Path root) {
        if (root == null) {
            Map<String, Path> sample = new LinkedHashMap<>();
            sample.put(DEFAULT_ID, null);
            return sample;
        }
        if (!Files.isDirectory(root)) {
            throw new UncheckedIOException(new IOException("The knowledge folder " + root.toAbsolutePath()
                    + " does not exist or is not a folder"));
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(root)) {
            children = list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the knowledge folder " + root.toAbsolutePath() + ": " + e, e);
        }
        List<Path> folders = children.stream().filter(Files::isDirectory).toList();
        boolean flat = children.stream().anyMatch(p -> Files.isRegularFile(p) && KnowledgeBase.isDocument(p));
        Map<String, Path> out = new TreeMap<>();
        if (flat || folders.isEmpty()) {
            if (!folders.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "The knowledge folder {0} holds documents itself, so all of it, "
                        + "sub-folders included, is the one knowledge base {1}. For several knowledge bases, move "
                        + "every document into a sub-folder named by its id (such as {1}/ and support/)",
                        root.toAbsolutePath(), DEFAULT_ID);
            }
            out.put(DEFAULT_ID, root);
            return out;
        }
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (ID.matcher(name).matches()) {
                out.put(name, folder);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Skipping knowledge folder {0}: a knowledge base id is lowercase "
                        + "letters, digits, - and _ (at most 64, starting with a letter or digit); rename the folder",
                        folder.toAbsolutePath());
            }
        }
        if (out.isEmpty()) {
            throw new UncheckedIOException(new IOException("The knowledge folder " + root.toAbsolutePath()
                    + " has no sub-folder usable as a knowledge base: name them with lowercase letters, digits, - and _"));
        }
        return out;
    }

    /**
     * Before knowledge bases had ids, the single base kept its vectors directly in the cache root; moving that file
     * to {@value #DEFAULT_ID}'s folder spares an upgraded server from embedding its knowledge again.
     */
    private static void adoptLegacyCache(Path cacheRoot) {
        Path legacy = cacheRoot.resolve(EmbeddingCache.FILE_NAME);
        Path target = cacheRoot.resolve(DEFAULT_ID).resolve(EmbeddingCache.FILE_NAME);
        if (!Files.isRegularFile(legacy) || Files.exists(target)) return;
        try {
            Files.createDirectories(target.getParent());
            Files.move(legacy, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not move the knowledge embedding cache {0} to {1} ({2}); "
                    + "knowledge base {3} is embedded again", legacy, target, e.toString(), DEFAULT_ID);
        }
    }
}
