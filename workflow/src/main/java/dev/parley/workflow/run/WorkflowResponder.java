package dev.parley.workflow.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.values.NullValue;
import dev.parley.model.ModelProvider;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.server.EventSink;
import dev.parley.server.Responder;
import dev.parley.server.StreamError;
import dev.parley.server.Turn;
import dev.parley.store.WorkflowStore;
import dev.parley.workflow.CompiledWorkflow;
import dev.parley.workflow.StateVariable;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers each user turn by running the latest published version of one workflow.
 *
 * <p>Every run reads the thread's saved workflow state, runs the graph ({@link WorkflowRun}), then saves the
 * state back and records a trace, whether the run succeeded or failed. Compiled versions are cached by id and
 * version: versions are immutable, so a cached one never goes stale, and a new publish is picked up on the next
 * turn without a restart.
 */
public final class WorkflowResponder implements Responder {
    private static final System.Logger LOG = System.getLogger(WorkflowResponder.class.getName());

    /** A workflow version ready to run: version 0 is an unpublished draft. */
    private record Target(CompiledWorkflow workflow, int version) {}

    private final WorkflowStore workflows;
    private final ModelProvider model;
    private final String workflowId;
    private final Supplier<Target> target;
    private final Consumer<String> onRun;
    private final Map<String, CompiledWorkflow> compiled = new ConcurrentHashMap<>();

    /** Runs the latest published version of {@code workflowId} on every turn. */
    public WorkflowResponder(WorkflowStore workflows, ModelProvider model, String workflowId) {
        this.workflows = workflows;
        this.model = model;
        this.workflowId = workflowId;
        this.target = this::latest;
        this.onRun = runId -> {};
    }

    private WorkflowResponder(WorkflowStore workflows, ModelProvider model, CompiledWorkflow draft,
            Consumer<String> onRun) {
        this.workflows = workflows;
        this.model = model;
        this.workflowId = draft.workflow().id();
        this.target = () -> new Target(draft, 0);
        this.onRun = onRun;
    }

    /**
     * {@return a responder that runs an unpublished draft}, for previews; its traces are saved as version 0
     *
     * @param onRun told each run's id as the run starts, so the caller can fetch its trace afterwards
     */
    public static WorkflowResponder draft(WorkflowStore workflows, ModelProvider model, CompiledWorkflow draft,
            Consumer<String> onRun) {
        if (!draft.report().ok()) throw new IllegalArgumentException("Only a draft that validates can run");
        return new WorkflowResponder(workflows, model, draft, onRun);
    }

    private Target latest() {
        WorkflowStore.Version version = workflows.latest(workflowId).orElseThrow(() -> StreamError.custom(
                "No version of workflow " + workflowId + " is published; publish one before chatting.", false));
        CompiledWorkflow workflow = compiled.computeIfAbsent(version.workflowId() + "@" + version.version(),
                key -> WorkflowValidator.compile(WorkflowParser.parse(version.document())));
        if (!workflow.report().ok()) {
            throw StreamError.custom("Workflow " + workflowId + " v" + version.version() + " does not validate: "
                    + workflow.report().errors().getFirst(), false);
        }
        return new Target(workflow, version.version());
    }

    @Override
    public void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) {
        // A continuation without a user message (a client tool's output) has nothing for a workflow to answer.
        if (input == null) return;
        Target resolved = target.get();
        CompiledWorkflow workflow = resolved.workflow();
        int version = resolved.version();
        String user = turn.context().userId();
        String thread = turn.thread().id();
        Map<String, Object> state = loadState(workflow.workflow(), user, thread);
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        onRun.accept(runId);
        var trace = new RunTrace(runId, workflowId, version, thread);
        String status = "failed";
        String error = null;
        try {
            new WorkflowRun(workflow, model, turn, input, events, state, trace).run();
            status = "completed";
        } catch (RuntimeException e) {
            error = e.getMessage();
            throw e;
        } finally {
            ObjectNode saved = JsonNodeFactory.instance.objectNode();
            saved.set("state", Values.toJson(state));
            try {
                workflows.saveRun(user, thread, saved.toString(), new WorkflowStore.Trace(runId, workflowId, version,
                        user, thread, trace.startedAt(), trace.elapsedMicros(), status, trace.finish(status, error).toString()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not save the state or trace of run " + runId, e);
            }
        }
    }

    private Map<String, Object> loadState(Workflow workflow, String user, String thread) {
        JsonNode saved = workflows.loadRunState(user, thread)
                .map(json -> ChatKitJson.readStorage(json, JsonNode.class).path("state"))
                .orElse(JsonNodeFactory.instance.objectNode());
        Map<String, Object> state = new HashMap<>();
        for (StateVariable v : workflow.state()) {
            JsonNode value = saved.has(v.name()) ? saved.get(v.name()) : v.defaultValue();
            state.put(v.name(), value == null ? NullValue.NULL_VALUE : Values.toCel(value, v.schema()));
        }
        return state;
    }
}
