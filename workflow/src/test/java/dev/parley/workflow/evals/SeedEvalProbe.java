package dev.parley.workflow.evals;

import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Workflows;
import java.nio.file.Files;

class SeedEvalProbe {
    public static void main(String[] args) throws Exception {
        var dir = Files.createTempDirectory("probe");
        try (var store = SqliteStore.open(dir.resolve("p.db"))) {
            var model = EmbeddedProvider.open(null, null);
            var workflows = new Workflows(store.storage().workflows(), model);
            workflows.publishBundledSeed();
            var evals = new Evals(workflows, store, store.storage().evals(), new Grading(Embedder::shared, model));
            evals.installBundled();
            String jsonl = args.length > 0 ? Files.readString(java.nio.file.Path.of(args[0])) : Evals.bundledSeedDataset();
            var r = evals.run(evals.published(Workflows.SEED_ID, 0), Dataset.parse(jsonl), "default", 2);
            System.out.println(r.summary().toPrettyString());
            for (CaseResult c : r.cases()) {
                System.out.println((c.passed() ? "PASS " : "FAIL ") + c.evalCase().id() + " | " + c.verdicts().stream().filter(v -> !v.passed()).map(Verdict::detail).toList()
                        + " | " + c.seen().reply().replace('\n', ' ').substring(0, Math.min(150, c.seen().reply().length())));
            }
        }
    }
}
