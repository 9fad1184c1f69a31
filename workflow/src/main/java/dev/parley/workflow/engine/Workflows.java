package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.ModelProvider;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.WorkflowStore;
import dev.parley.workflow.CompiledWorkflow;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.Problem;
import dev.parley.workflow.ValidationReport;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowFormatException;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What an operator does with workflows: validate a draft, publish it as a new immutable version, load a folder
 * of them at start-up, and get the responder that answers chat turns with one of them.
 *
 * <pre>{@code
 * var workflows = new Workflows(store.workflows(), model);
 * workflows.publishBundledSeed();                          // a fresh server runs the seed's agency workflow
 * Responder chat = workflows.responder(Workflows.SEED_ID); // latest version on every turn
 * }</pre>
 */
public final class Workflows {
    /** The id of the workflow the seed guide describes, shipped as the default. */
    public static final String SEED_ID = "wf_seed_agency";
    static final String SEED_RESOURCE = "workflows/seed-agency.json";

    /** A version that was published, with the warnings its validation gave. */
    public record Published(WorkflowStore.Version version, List<Problem> warnings) {}

    /** What loading one file of a workflows folder did. */
    public record Loaded(Path file, String workflowId, int version, boolean changed) {}

    private final WorkflowStore store;
    private final Toolbox toolbox;
    private final String serverId;
    /** Responders this object made, told of every publish so their next turn runs the new version. */
    private final List<WorkflowResponder> responders = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An engine whose server has no lasting identity: runs it leaves behind are closed only by age. */
    public Workflows(WorkflowStore store, ModelProvider model) {
        this(store, model, newServerId());
    }

    /**
     * @param serverId who runs the turns, the same across restarts of one server (Parley keeps it in the data
     *                 directory), so a restarted server knows which runs it left behind when it stopped
     */
    public Workflows(WorkflowStore store, ModelProvider model, String serverId) {
        this(store, Toolbox.none(model), serverId);
    }

    /**
     * @param toolbox what agents' tools reach on this server; publishing checks every workflow against it, so a
     *                workflow that validates can run here
     */
    public Workflows(WorkflowStore store, Toolbox toolbox, String serverId) {
        this.store = Objects.requireNonNull(store, "store");
        this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
        this.serverId = Objects.requireNonNull(serverId, "serverId");
    }

    /** {@return what agents' tools reach on this server} */
    public Toolbox toolbox() {
        return toolbox;
    }

    /** {@return a new random server id} */
    public static String newServerId() {
        return "srv_" + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    /** {@return this server's id, written into every run's trace as the run starts} */
    public String serverId() {
        return serverId;
    }

    /**
     * Closes runs that were left running by a server that stopped mid-run (killed, crashed, power lost): their
     * trace says {@code interrupted}, with what they had done. A run counts as left behind when it started on
     * {@code serverId} (this server before its restart: nothing it runs now has started yet) or before
     * {@code startedBefore} (longer ago than any turn can take, on whichever server).
     *
     * @return how many runs were closed
     */
    public int closeInterrupted(String serverId, Instant startedBefore) {
        int closed = 0;
        for (WorkflowStore.Trace t : store.runningTraces()) {
            ObjectNode doc;
            try {
                doc = (ObjectNode) ChatKitJson.mapper().readTree(t.document());
            } catch (IOException | ClassCastException e) {
                doc = ChatKitJson.mapper().createObjectNode();
            }
            boolean mine = serverId != null && serverId.equals(doc.path("server").asText(null));
            if (!mine && !t.startedAt().isBefore(startedBefore)) continue;
            doc.put("status", RunTrace.INTERRUPTED).put("error", "The server stopped during this run (it was killed "
                    + "or crashed); the user kept what had already streamed and can send the message again.");
            store.saveTrace(new WorkflowStore.Trace(t.runId(), t.workflowId(), t.version(), t.userId(), t.threadId(),
                    t.startedAt(), t.durationMicros(), RunTrace.INTERRUPTED, ChatKitJson.writeTree(doc)));
            closed++;
        }
        return closed;
    }

    /** {@return the store the versions live in} */
    public WorkflowStore store() {
        return store;
    }

    /**
     * {@return the errors and warnings publishing {@code json} would give}; a document that is not even a
     * well-formed workflow reports its format problems as errors
     */
    public ValidationReport validate(String json) {
        return compile(json).report();
    }

    /**
     * Validates {@code json} and, if it has no errors, stores it as the next version of its workflow id.
     *
     * @throws InvalidWorkflowException listing every error (and the warnings) when the document is refused
     */
    public Published publish(String json) {
        CompiledWorkflow compiled = compile(json);
        if (!compiled.report().ok()) throw new InvalidWorkflowException(compiled.report());
        Workflow wf = compiled.workflow();
        WorkflowStore.Version v = store.publish(wf.id(), wf.name() == null ? wf.id() : wf.name(), json);
        responders.forEach(WorkflowResponder::forgetLatest);
        return new Published(v, compiled.report().warnings());
    }

    /**
     * Publishes the bundled seed workflow unless some version of it exists, so a fresh server answers with it
     * and an operator's later publishes are never overwritten. Servers starting together on one empty database
     * publish it once: the check and the insert are one transaction under the store's publish lock.
     *
     * @return the version now latest
     */
    public WorkflowStore.Version publishBundledSeed() {
        Optional<WorkflowStore.Version> existing = store.latest(SEED_ID);
        if (existing.isPresent()) return existing.get();
        String json = bundledSeed();
        CompiledWorkflow compiled = compile(json);
        if (!compiled.report().ok()) throw new InvalidWorkflowException(compiled.report());
        Workflow wf = compiled.workflow();
        var p = store.publish(wf.id(), wf.name() == null ? wf.id() : wf.name(), json, WorkflowStore.PublishIf.ABSENT);
        if (p.published()) responders.forEach(WorkflowResponder::forgetLatest);
        return p.version();
    }

    /** {@return the text of the bundled seed workflow} */
    public static String bundledSeed() {
        try (InputStream in = Workflows.class.getClassLoader().getResourceAsStream(SEED_RESOURCE)) {
            if (in == null) throw new IllegalStateException("The jar lacks " + SEED_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes every {@code *.json} file in {@code dir} whose content differs from its workflow's latest
     * version; unchanged files are left alone, so restarting never piles up identical versions. All files are
     * checked before any is published: one broken file stops the whole folder.
     *
     * @throws InvalidWorkflowException naming each broken file and its errors
     * @throws UncheckedIOException     when the folder cannot be read
     */
    public List<Loaded> loadFolder(Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the workflows folder " + dir.toAbsolutePath(), e);
        }
        List<String> texts = new ArrayList<>();
        List<CompiledWorkflow> compiled = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + f.toAbsolutePath(), e);
            }
            CompiledWorkflow c = compile(text);
            for (Problem p : c.report().errors()) {
                problems.add(new Problem(p.nodeId(), p.field(), f.getFileName() + ": " + p.message(), p.fix()));
            }
            texts.add(text);
            compiled.add(c);
        }
        if (!problems.isEmpty()) throw new InvalidWorkflowException(new ValidationReport(problems, List.of()));
        List<Loaded> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Workflow wf = compiled.get(i).workflow();
            // Checked and published in one transaction, so servers sharing a database and a folder agree.
            var p = store.publish(wf.id(), wf.name() == null ? wf.id() : wf.name(), texts.get(i),
                    WorkflowStore.PublishIf.CHANGED);
            if (p.published()) responders.forEach(WorkflowResponder::forgetLatest);
            out.add(new Loaded(files.get(i), wf.id(), p.version().version(), p.published()));
        }
        return out;
    }

    /** {@return a responder that runs the latest published version of {@code workflowId} on every turn} */
    public WorkflowResponder responder(String workflowId) {
        var responder = new WorkflowResponder(store, toolbox, workflowId, serverId);
        responders.add(responder);
        return responder;
    }

    /**
     * {@return a responder that runs a draft without publishing it}
     *
     * @param onRun told each run's id, so the caller can fetch the trace
     * @throws InvalidWorkflowException when the draft does not validate
     */
    public WorkflowResponder draftResponder(String json, Consumer<String> onRun) {
        CompiledWorkflow compiled = compile(json);
        if (!compiled.report().ok()) throw new InvalidWorkflowException(compiled.report());
        return WorkflowResponder.draft(store, toolbox, compiled, onRun);
    }

    private CompiledWorkflow compile(String json) {
        Workflow wf;
        try {
            wf = WorkflowParser.parse(json);
        } catch (WorkflowFormatException e) {
            return new CompiledWorkflow(null, new ValidationReport(FormatProblems.withIndependent(e, toolbox), List.of()),
                    java.util.Map.of(), java.util.Map.of());
        }
        return WorkflowValidator.compile(wf, toolbox);
    }
}
