package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.Storage;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.web.config.Environment;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.evals.CaseResult;
import dev.parley.workflow.evals.Dataset;
import dev.parley.workflow.evals.DatasetFormatException;
import dev.parley.workflow.evals.EvalReport;
import dev.parley.workflow.evals.EvalTarget;
import dev.parley.workflow.evals.Evals;
import dev.parley.workflow.evals.GateSpec;
import dev.parley.workflow.evals.Grading;
import dev.parley.workflow.evals.Verdict;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code parley eval WORKFLOW_FILE_OR_ID --dataset FILE [--min-pass-rate X] [--parallelism N] [--report FILE]}: runs a
 * dataset against a workflow file (a draft) or the latest published version of a workflow id in the configured
 * store, on the configured model provider, without a running server; for CI pipelines.
 *
 * <p>The cases run in a scratch SQLite database that is deleted afterwards, so nothing is written to the server's
 * store. The minimum pass rate is {@code --min-pass-rate}, else the workflow's own gate ({@code "evals"}), else 1
 * (every case must pass).
 *
 * <p>Exit status: 0 the pass rate is met, 1 it is not, 2 the command line, the workflow or the dataset is wrong.
 */
final class EvalCommand {
    static final String USAGE = "usage: parley eval WORKFLOW_FILE_OR_ID --dataset FILE [--min-pass-rate X] "
            + "[--parallelism N] [--report FILE]";

    private final PrintStream out;
    private final Supplier<Environment.Settings> settings;

    EvalCommand(PrintStream out, Supplier<Environment.Settings> settings) {
        this.out = out;
        this.settings = settings;
    }

    int run(List<String> args) {
        String workflow = null;
        Path datasetFile = null;
        Path reportFile = null;
        Double minRate = null;
        int parallelism = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean hasValue = i + 1 < args.size();
            switch (a) {
                case "--dataset" -> {
                    if (!hasValue) return usage("--dataset needs a JSON Lines file");
                    datasetFile = Path.of(args.get(++i));
                }
                case "--report" -> {
                    if (!hasValue) return usage("--report needs a file to write the JSON report to");
                    reportFile = Path.of(args.get(++i));
                }
                case "--min-pass-rate" -> {
                    if (!hasValue) return usage("--min-pass-rate needs a number from 0 to 1, such as 0.85");
                    try {
                        minRate = Double.parseDouble(args.get(++i));
                    } catch (NumberFormatException e) {
                        minRate = -1.0;
                    }
                    if (minRate < 0 || minRate > 1 || minRate.isNaN()) {
                        return usage("--min-pass-rate is a number from 0 to 1 (0.85 is 85% of the cases), not " + args.get(i));
                    }
                }
                case "--parallelism" -> {
                    if (!hasValue) return usage("--parallelism needs a number of cases to run at once");
                    try {
                        parallelism = Integer.parseInt(args.get(++i));
                    } catch (NumberFormatException e) {
                        parallelism = 0;
                    }
                    if (parallelism < 1 || parallelism > 16) return usage("--parallelism is from 1 to 16");
                }
                default -> {
                    if (a.startsWith("--")) return usage("unknown option " + a);
                    if (workflow != null) return usage("one workflow at a time");
                    workflow = a;
                }
            }
        }
        if (workflow == null) return usage("name the workflow file or id to evaluate");
        if (datasetFile == null) return usage("name the dataset with --dataset FILE");
        Dataset dataset;
        try {
            dataset = Dataset.parse(Files.readString(datasetFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.println("parley eval: cannot read " + datasetFile + ": " + e.getMessage());
            return 2;
        } catch (DatasetFormatException e) {
            out.println("parley eval: " + datasetFile + " has " + e.problems().size() + " problem(s):");
            e.problems().forEach(p -> out.println("  " + p));
            return 2;
        }
        Environment.Settings env = settings.get();
        EvalTarget target;
        try {
            target = target(workflow, env);
        } catch (IllegalArgumentException | NoSuchElementException e) {
            out.println("parley eval: " + e.getMessage());
            return 2;
        }
        double min;
        try {
            min = minRate != null ? minRate
                    : GateSpec.of(ChatKitJson.mapper().readTree(target.document())).map(GateSpec::minPassRate).orElse(1.0);
        } catch (IOException | IllegalArgumentException e) {
            out.println("parley eval: " + e.getMessage());
            return 2;
        }
        EvalReport report;
        try {
            report = evaluate(env, target, dataset, parallelism);
        } catch (InvalidWorkflowException e) {
            out.println("parley eval: " + target.describe() + " does not validate:");
            e.report().errors().forEach(p -> out.println("  error " + p));
            return 2;
        }
        print(report, min);
        if (reportFile != null) {
            try {
                Files.writeString(reportFile, report.toJson().toPrettyString() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.println("parley eval: cannot write " + reportFile + ": " + e.getMessage());
                return 2;
            }
        }
        return report.passRate() >= min ? 0 : 1;
    }

    /** A file is a draft; anything else is a workflow id, read from the configured store. */
    private static EvalTarget target(String workflow, Environment.Settings env) {
        Path file = Path.of(workflow);
        if (Files.isRegularFile(file)) {
            try {
                return Evals.draft(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
        if (!workflow.startsWith("wf_")) {
            throw new IllegalArgumentException(workflow + " is neither a file nor a workflow id (wf_…)");
        }
        try (Storage storage = Stores.open(env.server())) {
            var v = storage.workflows().latest(workflow).orElseThrow(() -> new NoSuchElementException(
                    "no workflow " + workflow + " is published in " + storage.description()
                            + "; give the workflow's file instead"));
            return new EvalTarget(v.workflowId(), v.version(), v.document());
        }
    }

    private static EvalReport evaluate(Environment.Settings env, EvalTarget target, Dataset dataset, int parallelism) {
        KnowledgeBases knowledge = Providers.knowledge(env.assistant(), env.server().dataDir());
        ModelProvider model = Providers.open(env.assistant(), env.server().dataDir(), knowledge);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("parley-eval-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot create a scratch directory for the eval", e);
        }
        try (Storage storage = SqliteStore.open(scratch.resolve("eval.db")).storage();
                Tooling tooling = new Tooling(env.assistant(), model, knowledge)) {
            var workflows = new Workflows(storage.workflows(), tooling.toolbox(), Workflows.newServerId());
            var evals = new Evals(workflows, storage.threads(), storage.evals(), new Grading(Embedder::shared, model));
            return evals.run(target, dataset, null, parallelism);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // A scratch directory left in the system's temp folder is harmless.
            }
        }
    }

    private void print(EvalReport r, double min) {
        var s = r.summary();
        out.printf(Locale.ROOT, "%s: %d of %d cases passed (%.1f%%; at least %.1f%% needed) in %.1f s on %s%n",
                new EvalTarget(r.workflowId(), r.version(), "").describe(), s.path("passed").asInt(), s.path("cases").asInt(),
                r.passRate() * 100, min * 100, r.durationMicros() / 1e6, r.provider());
        s.path("graders").properties().forEach(g -> out.printf(Locale.ROOT, "  %-13s %d/%d%n", g.getKey(),
                g.getValue().path("passed").asInt(), g.getValue().path("cases").asInt()));
        s.path("model_graded").properties().forEach(g -> out.printf(Locale.ROOT, "  %-13s %d/%d (graded by %s, not counted)%n",
                g.getKey(), g.getValue().path("passed").asInt(), g.getValue().path("cases").asInt(), r.provider()));
        var l = s.path("latency_ms");
        out.printf(Locale.ROOT, "  latency p50 %.0f ms, p90 %.0f ms, p99 %.0f ms; tokens %d in, %d out%n", l.path("p50").asDouble(),
                l.path("p90").asDouble(), l.path("p99").asDouble(), s.path("tokens").path("input").asLong(),
                s.path("tokens").path("output").asLong());
        for (CaseResult c : r.failing()) {
            out.println("FAIL " + c.evalCase().id() + " (line " + c.evalCase().line() + "): " + c.evalCase().messages().getLast());
            for (Verdict v : c.failures()) out.println("  " + v.kind() + ": " + v.detail());
        }
        out.println(r.passRate() >= min ? "PASSED" : "FAILED");
    }

    private int usage(String problem) {
        out.println("parley eval: " + problem + "\n" + USAGE);
        return 2;
    }
}
