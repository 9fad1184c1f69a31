package dev.parley.workflow.evals;

import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long an eval of 100 cases takes on the embedded provider (goal: at most 10 s on this machine). The cases are the
 * first 100 labelled inquiries of {@code inquiries.tsv}, each with a category, a route, a branch, a JSON Schema and a
 * not-contains expectation, run through the seed workflow as {@code POST /admin/evals} runs them: the real engine,
 * SQLite store, MiniLM classifier and knowledge-base answers. Reported: the first eval after start (the model and
 * the knowledge base loading on first use) and the median of the following ones. Not part of the build (the name does
 * not match the test patterns); run it with
 *
 * <pre>./mvnw -q -pl workflow -am test -Dtest=EvalBench -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.parallelism=2] [-Dbench.runs=3]</pre>
 */
class EvalBench {
    @TempDir Path dir;

    @Test
    void anEvalOfAHundredCases() throws IOException {
        int parallelism = Integer.getInteger("bench.parallelism", Runtime.getRuntime().availableProcessors());
        int runs = Integer.getInteger("bench.runs", 3);
        Dataset dataset = Dataset.parse(hundredCases());
        try (SqliteStore store = SqliteStore.open(dir.resolve("bench.db"))) {
            long opened = System.nanoTime();
            var model = EmbeddedProvider.open(null, null);
            var workflows = new Workflows(store.storage().workflows(), model);
            workflows.publishBundledSeed();
            var evals = new Evals(workflows, store, store.storage().evals(), new Grading(Embedder::shared, model));
            EvalTarget target = evals.published(Workflows.SEED_ID, 0);
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                long start = System.nanoTime();
                EvalReport r = evals.run(target, dataset, "bench", parallelism);
                double seconds = (System.nanoTime() - start) / 1e9;
                var l = r.summary().path("latency_ms");
                System.out.printf(Locale.ROOT, "%s: %d cases in %.2f s (%.1f cases/s), pass rate %.3f, latency p50 %.0f ms, "
                                + "p90 %.0f ms, p99 %.0f ms, parallelism %d%s%n", i == 0 ? "first eval" : "eval " + i,
                        r.cases().size(), seconds, r.cases().size() / seconds, r.passRate(), l.path("p50").asDouble(),
                        l.path("p90").asDouble(), l.path("p99").asDouble(), parallelism,
                        i == 0 ? String.format(Locale.ROOT, " (%.2f s since the provider was opened)",
                                (System.nanoTime() - opened) / 1e9) : "");
                if (i > 0) warm.add(seconds);
            }
            warm.sort(null);
            double median = warm.get(warm.size() / 2);
            System.out.printf(Locale.ROOT, "median of %d warm evals: %.2f s for 100 cases (goal: at most 10 s): %s%n",
                    warm.size(), median, median <= 10 ? "met" : "NOT met");
        }
    }

    /** The first 100 labelled inquiries as cases with the seed's route for their category. */
    static String hundredCases() throws IOException {
        String tsv;
        try (InputStream in = EvalBench.class.getClassLoader().getResourceAsStream("inquiries.tsv")) {
            tsv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var out = new StringBuilder();
        int n = 0;
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || n == 100) continue;
            String[] cells = line.split("\t", 2);
            String category = cells[0].strip();
            String agent = switch (category) {
                case "website_build" -> "website";
                case "web_app_or_platform" -> "web_app";
                case "single_purpose_tool" -> "tool";
                case "automation_or_integration" -> "automation";
                case "maintenance_or_consulting" -> "maintenance";
                default -> "general";
            };
            String text = cells[1].strip().replace("\\", "\\\\").replace("\"", "\\\"");
            out.append("{\"id\": \"case-").append(++n).append("\", \"input\": \"").append(text)
                    .append("\", \"expect\": {\"category\": \"").append(category).append("\", \"branch\": \"")
                    .append(category.equals("general_inquiry") ? "else" : category).append("\", \"route\": [\"")
                    .append(agent).append("_inquiry_agent\", \"").append(agent).append("_inquiry_end\"], ")
                    .append("\"schema\": {\"type\": \"object\", \"required\": [\"message\"]}, \"not_contains\": \"__VAR__\"}}\n");
        }
        return out.toString();
    }
}
