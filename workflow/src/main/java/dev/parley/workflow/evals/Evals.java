package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.EvalStore;
import dev.parley.store.Store;
import dev.parley.store.WorkflowStore;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * What an operator does with evals: keep datasets per workflow, run a version or a draft against one (saving the
 * run), compare two runs, and publish through the workflow's eval gate.
 *
 * <pre>{@code
 * var evals = new Evals(workflows, storage.threads(), storage.evals(), new Grading(Embedder::shared, model));
 * Evals.installBundled(storage.evals());                    // the seed's 69 labelled cases as its "default"
 * EvalReport r = evals.run(evals.published(Workflows.SEED_ID, 0), evals.dataset(Workflows.SEED_ID, "default"),
 *         "default", 2);
 * }</pre>
 */
public final class Evals {
    /** The dataset a workflow folder's {@code <file>.evals.jsonl} fills, and the gate's when it names none. */
    public static final String DEFAULT_DATASET = "default";
    /** The suffix of a dataset file beside a workflow file: {@code agency.json} and {@code agency.evals.jsonl}. */
    public static final String FOLDER_SUFFIX = ".evals.jsonl";
    static final String SEED_DATASET = "workflows/seed-agency" + FOLDER_SUFFIX;
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final Workflows workflows;
    private final EvalStore store;
    private final EvalRunner runner;

    public Evals(Workflows workflows, Store threads, EvalStore store, Grading grading) {
        this.workflows = workflows;
        this.store = store;
        this.runner = new EvalRunner(workflows, threads, grading);
    }

    /** {@return the store of datasets, runs and overrides} */
    public EvalStore store() {
        return store;
    }

    /** {@return a new eval id} */
    public static String newEvalId() {
        return "evl_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * Runs every case of the dataset against the target and saves the run.
     *
     * @param datasetName the stored dataset's name, or null for inline cases
     * @throws InvalidWorkflowException when the target does not validate
     */
    public EvalReport run(EvalTarget target, Dataset dataset, String datasetName, int parallelism) {
        EvalReport report = runner.run(newEvalId(), target, dataset, datasetName, parallelism, done -> {});
        save(report);
        return report;
    }

    private void save(EvalReport r) {
        store.saveRun(new EvalStore.Run(r.evalId(), r.workflowId(), r.version(), r.datasetName(), r.startedAt(),
                r.durationMicros(), r.passRate(), r.cases().size(), r.toJson().toString()));
    }

    /**
     * {@return a published version as an eval target}
     *
     * @param version the version, or 0 for the latest
     * @throws NoSuchElementException naming what is published when there is no such version
     */
    public EvalTarget published(String workflowId, int version) {
        WorkflowStore ws = workflows.store();
        Optional<WorkflowStore.Version> v = version == 0 ? ws.latest(workflowId) : ws.version(workflowId, version);
        WorkflowStore.Version found = v.orElseThrow(() -> new NoSuchElementException(ws.latest(workflowId).isEmpty()
                ? "No workflow " + workflowId + " is published; GET /admin/workflows lists those that are"
                : "Workflow " + workflowId + " has no version " + version + "; its latest is "
                        + ws.latest(workflowId).get().version()));
        return new EvalTarget(found.workflowId(), found.version(), found.document());
    }

    /**
     * {@return a draft document as an eval target}
     *
     * @throws IllegalArgumentException when the document is not JSON or has no workflow id
     */
    public static EvalTarget draft(String document) {
        JsonNode doc;
        try {
            doc = ChatKitJson.mapper().readTree(document);
        } catch (IOException e) {
            throw new IllegalArgumentException("The workflow document is not valid JSON: " + e.getMessage());
        }
        String id = doc == null ? "" : doc.path("id").asText("");
        if (id.isBlank()) throw new IllegalArgumentException("The workflow document has no \"id\"; drafts need their wf_… id");
        return new EvalTarget(id, 0, document);
    }

    /**
     * {@return a stored dataset, parsed}
     *
     * @throws NoSuchElementException naming the workflow's datasets when it has none of that name
     */
    public Dataset dataset(String workflowId, String name) {
        EvalStore.Dataset d = store.dataset(workflowId, name).orElseThrow(() -> new NoSuchElementException(
                "Workflow " + workflowId + " has no dataset \"" + name + "\"; it has "
                        + names(workflowId) + ". Upload one with POST /admin/evals/datasets"));
        return Dataset.parse(d.cases());
    }

    private String names(String workflowId) {
        List<String> names = store.datasets(workflowId).stream().map(EvalStore.Dataset::name).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * Checks and stores a dataset, replacing the workflow's dataset of that name.
     *
     * @throws DatasetFormatException listing every bad line
     * @throws IllegalArgumentException when the name is not a plain name
     */
    public EvalStore.Dataset saveDataset(String workflowId, String name, String jsonl) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A dataset name is 1–64 letters, digits, '.', '_' or '-', starting with "
                    + "a letter or digit, such as \"default\" or \"edge-cases\"");
        }
        if (workflowId == null || !workflowId.startsWith("wf_")) {
            throw new IllegalArgumentException("Name the workflow the dataset belongs to: \"workflow_id\": \"wf_…\"");
        }
        Dataset parsed = Dataset.parse(jsonl);
        var d = new EvalStore.Dataset(workflowId, name, jsonl, parsed.cases().size(), Instant.now());
        store.saveDataset(d);
        return d;
    }

    /**
     * Stores the seed workflow's bundled dataset as its {@value #DEFAULT_DATASET} unless it has one, so a fresh server
     * can eval the default workflow at once and an operator's own dataset is never overwritten.
     *
     * @return whether it was stored now
     */
    public static boolean installBundled(EvalStore store) {
        String text = bundledSeedDataset();
        Dataset parsed = Dataset.parse(text);
        return store.saveDatasetIfAbsent(new EvalStore.Dataset(Workflows.SEED_ID, DEFAULT_DATASET, text,
                parsed.cases().size(), Instant.now()));
    }

    /** {@return the text of the seed workflow's bundled dataset} */
    public static String bundledSeedDataset() {
        try (InputStream in = Evals.class.getClassLoader().getResourceAsStream(SEED_DATASET)) {
            if (in == null) throw new IllegalStateException("The jar lacks " + SEED_DATASET);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stores each {@code <name>.evals.jsonl} of a workflows folder as the {@value #DEFAULT_DATASET} dataset of the
     * workflow in {@code <name>.json} beside it. Every file is checked before any is stored.
     *
     * @return the workflow ids whose dataset was stored
     * @throws DatasetFormatException naming each bad file and line, or a dataset file without its workflow file
     */
    public static List<String> loadFolder(EvalStore store, Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(FOLDER_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the workflows folder " + dir.toAbsolutePath(), e);
        }
        List<String> problems = new ArrayList<>();
        List<EvalStore.Dataset> ready = new ArrayList<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            Path workflow = f.resolveSibling(file.substring(0, file.length() - FOLDER_SUFFIX.length()) + ".json");
            try {
                if (!Files.isRegularFile(workflow)) {
                    problems.add(file + ": no " + workflow.getFileName() + " beside it; name a dataset after its workflow's file");
                    continue;
                }
                String id = ChatKitJson.mapper().readTree(Files.readString(workflow)).path("id").asText("");
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Dataset parsed = Dataset.parse(text);
                ready.add(new EvalStore.Dataset(id, DEFAULT_DATASET, text, parsed.cases().size(), Instant.now()));
            } catch (DatasetFormatException e) {
                e.problems().forEach(p -> problems.add(file + ": " + p));
            } catch (IOException e) {
                problems.add(file + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) throw new DatasetFormatException(problems);
        ready.forEach(store::saveDataset);
        return ready.stream().map(EvalStore.Dataset::workflowId).toList();
    }

    /** What a publish through the gate did. */
    public record GatedPublish(Workflows.Published published, GateSpec gate, EvalReport report, boolean overridden) {}

    /**
     * Publishes {@code json} through its eval gate: when it declares one, the draft is evaluated on the gate's
     * dataset first, and a pass rate below the minimum refuses the publish unless {@code override}, which publishes
     * it and records the override with the eval's id.
     *
     * @throws InvalidWorkflowException when the document does not validate (before any eval runs)
     * @throws GateRefusedException     when the eval falls below the gate and there is no override
     * @throws IllegalArgumentException when the gate is malformed
     * @throws NoSuchElementException   when the gate's dataset does not exist
     */
    public GatedPublish publish(String json, boolean override, String reason, int parallelism) {
        JsonNode doc;
        try {
            doc = ChatKitJson.mapper().readTree(json);
        } catch (IOException e) {
            doc = null;
        }
        Optional<GateSpec> gate = doc == null ? Optional.empty() : GateSpec.of(doc);
        if (gate.isEmpty()) return new GatedPublish(workflows.publish(json), null, null, false);
        var report = workflows.validate(json);
        if (!report.ok()) throw new InvalidWorkflowException(report);
        EvalTarget draft = draft(json);
        GateSpec spec = gate.get();
        EvalReport eval = run(draft, dataset(draft.workflowId(), spec.dataset()), spec.dataset(), parallelism);
        boolean below = eval.passRate() < spec.minPassRate();
        if (below && !override) throw new GateRefusedException(eval, spec);
        Workflows.Published p = workflows.publish(json);
        if (below) {
            store.saveOverride(new EvalStore.GateOverride(p.version().workflowId(), p.version().version(), eval.evalId(),
                    eval.passRate(), spec.minPassRate(), reason == null ? "" : reason, Instant.now()));
        }
        return new GatedPublish(p, spec, eval, below);
    }
}
