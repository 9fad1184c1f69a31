package dev.parley.model.embedded.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Category;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.embedded.EmbeddedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Start-up and per-message latency of the embedded provider. Not a test: run it from the repository root with
 * the command in BENCHMARKS.md ("Embedded provider"). Start-up is measured in fresh JVMs (the model is loaded
 * once per process), each printing one line that the parent collects; latency is measured in this JVM after a
 * warm-up, over the seed workflow's categories and the labelled inquiries of ClassifierAccuracyTest.
 */
public final class EmbeddedBench {
    private static final Path SEED = Path.of("workflow/src/main/resources/workflows/seed-agency.json");
    private static final Path INQUIRIES = Path.of("workflow/src/test/resources/inquiries.tsv");
    private static final int STARTS = 5;
    private static final int WARM_UP_PASSES = 2;
    private static final int PASSES = 5;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--start")) {
            startOnce(Path.of(args[1]));
            return;
        }
        System.out.printf("java %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        startUp();
        latency();
    }

    /** Child process: load the model and the sample knowledge base once, print the phases in milliseconds. */
    private static void startOnce(Path cacheDir) {
        long t0 = System.nanoTime();
        Embedder.shared();
        long t1 = System.nanoTime();
        EmbeddedProvider provider = EmbeddedProvider.open(null, cacheDir);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "RESULT %.1f %.1f %d%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                provider.knowledge().embeddedAtLoad());
    }

    private static void startUp() throws Exception {
        Path cached = Files.createTempDirectory("parley-bench-cache");
        child(cached); // fills the cache the "cached" runs read
        for (String kind : List.of("cold", "cached")) {
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < STARTS; i++) {
                Path dir = kind.equals("cold") ? Files.createTempDirectory("parley-bench-cold") : cached;
                runs.add(child(dir));
            }
            System.out.printf(Locale.ROOT,
                    "start-up, %-6s knowledge cache: JVM to ready %5.0f ms median (model load %4.0f ms, knowledge base %4.0f ms, %2.0f passages embedded)%n",
                    kind, median(runs, 3), median(runs, 0), median(runs, 1), median(runs, 2));
        }
    }

    /** {@return model load ms, knowledge base ms, passages embedded, wall ms of the whole child JVM} */
    private static double[] child(Path cacheDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EmbeddedBench.class.getName(), "--start", cacheDir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("start-up run failed:\n" + out);
        double wall = (System.nanoTime() - start) / 1e6;
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no RESULT line in:\n" + out));
        String[] f = line.split(" ");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), wall};
    }

    private static void latency() throws IOException {
        JsonNode classifier = null;
        for (JsonNode n : new ObjectMapper().readTree(SEED.toFile()).get("nodes")) {
            if (n.path("type").asText().equals("classifier")) classifier = n;
        }
        List<Category> categories = new ArrayList<>();
        for (JsonNode c : classifier.get("categories")) {
            List<String> examples = new ArrayList<>();
            c.get("examples").forEach(e -> examples.add(e.asText()));
            categories.add(new Category(c.get("name").asText(), c.get("description").asText(), examples));
        }
        List<String> inquiries = Files.readAllLines(INQUIRIES).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t", 2)[1]).toList();
        JsonNode schema = classifierSchema(categories);
        EmbeddedProvider provider = EmbeddedProvider.open(null, null);

        List<Double> classify = new ArrayList<>();
        List<Double> answer = new ArrayList<>();
        for (int pass = 0; pass < WARM_UP_PASSES + PASSES; pass++) {
            for (String text : inquiries) {
                long t0 = System.nanoTime();
                provider.structured(new StructuredRequest(null, null, List.of(), text, null, "classify", schema, categories));
                long t1 = System.nanoTime();
                provider.streamText(new TextRequest(null, null, List.of(), text, null), d -> true);
                long t2 = System.nanoTime();
                if (pass >= WARM_UP_PASSES) {
                    classify.add((t1 - t0) / 1e6);
                    answer.add((t2 - t1) / 1e6);
                }
            }
        }
        report("classify (structured, 6 categories)", classify);
        report("answer (streamText, " + provider.knowledge().size() + " passages)", answer);
    }

    private static void report(String what, List<Double> millis) {
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-38s n=%d  mean %.2f ms  p50 %.2f  p95 %.2f  p99 %.2f  max %.2f%n", what,
                sorted.length, Arrays.stream(sorted).average().orElse(0), at(sorted, 0.50), at(sorted, 0.95),
                at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double median(List<double[]> runs, int column) {
        double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    /** The same shape the workflow runtime asks a classifier for (NodeOutputs.classifierSchema). */
    private static JsonNode classifierSchema(List<Category> categories) {
        var f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        var names = props.putObject("category").put("type", "string").putArray("enum");
        categories.stream().map(Category::name).forEach(names::add);
        props.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        props.putObject("reason").put("type", "string");
        schema.putArray("required").add("category").add("confidence").add("reason");
        return schema.put("additionalProperties", false);
    }
}
