package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.values.NullValue;
import dev.parley.model.ModelProvider;
import dev.parley.protocol.Action;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Responder;
import dev.parley.server.StreamError;
import dev.parley.server.Turn;
import dev.parley.store.IdGenerator;
import dev.parley.store.WorkflowStore;
import dev.parley.workflow.CompiledWorkflow;
import dev.parley.workflow.StateVariable;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    /** A workflow version ready to run: version 0 is an unpublished draft. */
    private record Target(CompiledWorkflow workflow, int version) {}

    private final WorkflowStore workflows;
    private final Toolbox toolbox;
    private final String workflowId;
    /** Set for a responder that runs an unpublished draft (previews); null for one that runs published versions. */
    private final CompiledWorkflow draft;
    private final Consumer<String> onRun;
    /** Which server runs the turns, written into each run's trace as it starts (see {@link Workflows#serverId()}). */
    private final String serverId;
    private final Map<String, CompiledWorkflow> compiled = new ConcurrentHashMap<>();

    /** Runs the latest published version of {@code workflowId} on every turn. */
    public WorkflowResponder(WorkflowStore workflows, ModelProvider model, String workflowId) {
        this(workflows, Toolbox.none(model), workflowId, Workflows.newServerId());
    }

    WorkflowResponder(WorkflowStore workflows, Toolbox toolbox, String workflowId, String serverId) {
        this.workflows = workflows;
        this.toolbox = toolbox;
        this.workflowId = workflowId;
        this.draft = null;
        this.onRun = runId -> {};
        this.serverId = serverId;
    }

    private WorkflowResponder(WorkflowStore workflows, Toolbox toolbox, CompiledWorkflow draft,
            Consumer<String> onRun) {
        this.workflows = workflows;
        this.toolbox = toolbox;
        this.workflowId = draft.workflow().id();
        this.draft = draft;
        this.onRun = onRun;
        this.serverId = "preview";
    }

    /**
     * {@return a responder that runs an unpublished draft}, for previews; its traces are saved as version 0
     *
     * @param onRun told each run's id as the run starts, so the caller can fetch its trace afterwards
     */
    public static WorkflowResponder draft(WorkflowStore workflows, ModelProvider model, CompiledWorkflow draft,
            Consumer<String> onRun) {
        return draft(workflows, Toolbox.none(model), draft, onRun);
    }

    static WorkflowResponder draft(WorkflowStore workflows, Toolbox toolbox, CompiledWorkflow draft,
            Consumer<String> onRun) {
        if (!draft.report().ok()) throw new IllegalArgumentException("Only a draft that validates can run");
        return new WorkflowResponder(workflows, toolbox, draft, onRun);
    }

    /**
     * How long the latest version is trusted without asking the store. A publish through this server's
     * {@link dev.parley.workflow.engine.Workflows} is seen on the next turn ({@link #forgetLatest()}); one made by another
     * server sharing the database within this interval. Reading the whole document on every turn cost more than a
     * tenth of the engine's time.
     */
    static final long LATEST_TTL_NANOS = java.time.Duration.ofSeconds(1).toNanos();

    private record Cached(Target target, long readAt) {}

    private volatile Cached latest;

    /** Makes the next turn read the latest version from the store, after a publish. */
    public void forgetLatest() {
        latest = null;
    }

    private Target latest() {
        Cached cached = latest;
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < LATEST_TTL_NANOS) return cached.target();
        Target target = readLatest();
        latest = new Cached(target, now);
        return target;
    }

    private Target readLatest() {
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
        if (input == null) {
            // A client tool's output came back: the run waiting for it goes on; anything else has nothing to answer.
            JsonNode saved = savedRun(turn);
            JsonNode tools = saved.path("paused").path("tools");
            if (!"client".equals(tools.path("kind").asText())) return;
            String callId = tools.path("call_id").asText();
            JsonNode output = turn.history(8).stream()
                    .filter(i -> i instanceof ThreadItem.ClientToolCall c && c.callId().equals(callId)
                            && ThreadItem.ClientToolCall.COMPLETED.equals(c.status()))
                    .map(i -> ((ThreadItem.ClientToolCall) i).output()).findFirst()
                    .orElseThrow(() -> StreamError.custom("The tool output does not answer the call this conversation "
                            + "is waiting for.", false));
            resume(turn, null, events, saved, new AgentLoop.Answer.ClientOutput(output));
            return;
        }
        titleIfUntitled(turn, input.text());
        JsonNode saved = savedRun(turn);
        String pausedKind = saved.path("paused").path("tools").path("kind").asText();
        if (pausedKind.equals("client") || pausedKind.equals(WidgetOutput.KIND)) {
            // The user wrote instead of the page answering: the waiting call is dropped and this turn starts afresh.
            saved = JsonNodeFactory.instance.objectNode().set("state", saved.path("state"));
        }
        if (saved.has("paused")) {
            String decision = decision(input.text());
            if (decision == null) {
                // Anything but a yes or a no leaves the question open rather than guessing.
                var reply = new Reply(turn, events);
                reply.delta("This step is waiting for your approval: " + saved.path("paused").path("question").asText("")
                        + " Reply yes to approve or no to reject, or use the buttons.");
                reply.finish(List.of());
                return;
            }
            resume(turn, input, events, saved, new AgentLoop.Answer.Decision(decision.equals("approved")));
            return;
        }
        int pinned = claims(turn).pinnedVersion();
        // A session pinned to a version runs it; drafts (previews) always run themselves.
        Target resolved = draft != null ? new Target(draft, 0) : pinned > 0 ? compiledVersion(pinned) : latest();
        String runId = newRunId();
        onRun.accept(runId);
        var trace = new RunTrace(runId, workflowId, resolved.version(), turn.thread().id());
        Map<String, Object> state = state(resolved.workflow().workflow(), saved.path("state"), turn);
        execute(turn, resolved, runId, trace, state,
                new WorkflowRun(resolved.workflow(), toolbox, turn, input, events, state, trace), WorkflowRun::run);
    }

    /** Handles the Approve and Reject buttons of a paused run's approval widget. */
    @Override
    public void action(Turn turn, Action action, ThreadItem.Widget sender, EventSink events) {
        if (!WorkflowRun.APPROVAL_ACTION.equals(action.type())) {
            JsonNode saved = savedRun(turn);
            JsonNode waiting = saved.path("paused").path("tools");
            if (WidgetOutput.KIND.equals(waiting.path("kind").asText()) && sender != null
                    && sender.id().equals(waiting.path("item").asText())) {
                // The form stays in the thread showing what was sent, and can no longer be sent again.
                events.emit(new ThreadStreamEvent.ItemReplaced(new ThreadItem.Widget(sender.id(), sender.threadId(),
                        sender.createdAt(), dev.parley.workflow.expr.WidgetTemplates.lock(sender.widget(), action.payload()),
                        sender.copyText())));
                continueRun(turn, null, events, saved, r -> r.resumeWidget(waiting.path("node").asText(), action));
                return;
            }
            throw StreamError.custom("This assistant does not handle the action \"" + action.type() + "\".", false);
        }
        String decision = action.payload() == null ? "" : action.payload().path("decision").asText("");
        if (!decision.equals("approved") && !decision.equals("rejected")) {
            throw StreamError.custom("An approval needs a decision of approved or rejected.", false);
        }
        JsonNode saved = savedRun(turn);
        String node = action.payload().path("node").asText("");
        String call = action.payload().path("call").asText("");
        if (!saved.has("paused") || !saved.path("paused").path("node").asText().equals(node)
                || !saved.path("paused").path("tools").path("call_id").asText("").equals(call)) {
            throw StreamError.custom("This approval is no longer waiting for an answer.", false);
        }
        if (sender != null) {
            // The question stays in the thread with its answer, and its buttons go so it cannot be answered twice.
            ObjectNode card = JsonNodeFactory.instance.objectNode().put("type", "Card");
            card.putArray("children").addObject().put("type", "Text").put("id", "question")
                    .put("value", saved.path("paused").path("question").asText("") + " — "
                            + (decision.equals("approved") ? "approved" : "rejected"));
            events.emit(new ThreadStreamEvent.ItemReplaced(new ThreadItem.Widget(sender.id(), sender.threadId(),
                    sender.createdAt(), card, null)));
        }
        resume(turn, null, events, saved, new AgentLoop.Answer.Decision(decision.equals("approved")));
    }

    private void resume(Turn turn, ThreadItem.UserMessage input, EventSink events, JsonNode saved,
            AgentLoop.Answer answer) {
        JsonNode paused = saved.path("paused");
        if (paused.path("tools").isObject()) {
            continueRun(turn, input, events, saved, r -> r.resumeTools((ObjectNode) paused.get("tools"), answer));
            return;
        }
        String decision = answer instanceof AgentLoop.Answer.Decision(boolean approved) && approved ? "approved" : "rejected";
        continueRun(turn, input, events, saved, r -> r.resume(paused.path("node").asText(), decision));
    }

    /** Puts a paused run back as it was (version, trace, state, node outputs) and lets {@code step} go on with it. */
    private void continueRun(Turn turn, ThreadItem.UserMessage input, EventSink events, JsonNode saved,
            java.util.function.Function<WorkflowRun, WorkflowRun.Outcome> step) {
        JsonNode paused = saved.path("paused");
        int version = paused.path("version").asInt();
        Target resolved = version == 0 ? (draft != null ? new Target(draft, 0) : latest()) : compiledVersion(version);
        String runId = paused.path("run_id").asText();
        RunTrace trace = workflows.loadTrace(runId)
                .map(t -> RunTrace.continued((ObjectNode) ChatKitJson.readStorage(t.document(), JsonNode.class), t.startedAt()))
                .orElseGet(() -> new RunTrace(runId, workflowId, version, turn.thread().id()));
        onRun.accept(runId);
        Map<String, Object> state = state(resolved.workflow().workflow(), saved.path("state"), turn);
        var run = new WorkflowRun(resolved.workflow(), toolbox, turn, input, events, state, trace);
        run.restore(paused.path("snapshot"));
        execute(turn, resolved, runId, trace, state, run, step);
    }

    /** Runs, then saves the state (with the pause, if the run paused) and the trace in one commit, come what may. */
    private void execute(Turn turn, Target target, String runId, RunTrace trace, Map<String, Object> state,
            WorkflowRun run, java.util.function.Function<WorkflowRun, WorkflowRun.Outcome> step) {
        String user = turn.context().userId();
        String thread = turn.thread().id();
        String status = "failed";
        String error = null;
        ObjectNode saved = JsonNodeFactory.instance.objectNode();
        trace.observe(toolbox.observer().started(workflowId, target.version(), runId, thread));
        saveRunning(turn, target, runId, trace);
        try {
            WorkflowRun.Outcome outcome = step.apply(run);
            status = switch (outcome) {
                case WorkflowRun.Outcome.Paused(String node, ObjectNode tools) -> {
                    ObjectNode paused = saved.putObject("paused").put("node", node).put("run_id", runId)
                            .put("version", target.version()).put("question", run.lastQuestion());
                    paused.set("snapshot", run.snapshot());
                    if (tools != null) paused.set("tools", tools);
                    yield "paused";
                }
                case WorkflowRun.Outcome.Cancelled c -> "cancelled";
                case WorkflowRun.Outcome.Finished f -> "completed";
            };
        } catch (RuntimeException e) {
            error = e.getMessage();
            throw e;
        } finally {
            trace.observed().finished(status);
            saved.set("state", Values.toJson(state));
            try {
                var finished = new WorkflowStore.Trace(runId, workflowId, target.version(), user, thread,
                        trace.startedAt(), trace.elapsedMicros(), status, ChatKitJson.writeTree(trace.finish(status, error)));
                // A new thread has no saved run, and a missing one reads as an empty state (savedRun): when the
                // run leaves nothing to keep, writing that row would only cost every such turn a B-tree insert.
                if (turn.threadIsNew() && !saved.has("paused") && state.isEmpty()) workflows.saveTrace(finished);
                else workflows.saveRun(user, thread, ChatKitJson.writeTree(saved), finished);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not save the state or trace of run " + runId, e);
            }
        }
    }

    /**
     * Records the run as running before it starts: a server killed mid-run leaves this trace behind, and whoever
     * finds it later closes it as interrupted ({@link Workflows#closeInterrupted}) instead of it vanishing.
     */
    private void saveRunning(Turn turn, Target target, String runId, RunTrace trace) {
        try {
            ObjectNode running = trace.running(serverId);
            // Not waited for: the run's final saveRun commits after it and overwrites it; only a server killed
            // mid-run leaves this row as it is, which is what it is for.
            workflows.saveTraceBehind(new WorkflowStore.Trace(runId, workflowId, target.version(), turn.context().userId(),
                    turn.thread().id(), trace.startedAt(), 0, RunTrace.RUNNING, ChatKitJson.writeTree(running)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not record the start of run " + runId, e);
        }
    }

    /**
     * Names a thread still untitled after this message, as ChatKit's automatic titling does, so history lists read
     * well (a new thread is titled as it is created, {@link #titleFor}); a title set by the user or the workflow is
     * never replaced.
     */
    private void titleIfUntitled(Turn turn, String said) {
        if (turn.thread().title() != null) return;
        String title = titleFor(said);
        if (title != null) turn.updateThread(t -> t.withTitle(title));
    }

    /** The first message with its spaces collapsed, cut at a word boundary near 60 characters. */
    @Override
    public String titleFor(String said) {
        String text = said == null ? "" : SPACES.matcher(said.strip()).replaceAll(" ");
        if (text.isEmpty()) return null;
        if (text.length() <= 60) return text;
        int cut = text.lastIndexOf(' ', 57);
        return text.substring(0, cut > 30 ? cut : 57) + "…";
    }

    private JsonNode savedRun(Turn turn) {
        // A thread this turn created has no saved run: one read fewer on the commonest turn.
        if (turn.threadIsNew()) return JsonNodeFactory.instance.objectNode();
        return workflows.loadRunState(turn.context().userId(), turn.thread().id())
                .map(json -> ChatKitJson.readStorage(json, JsonNode.class))
                .orElse(JsonNodeFactory.instance.objectNode());
    }

    private Target compiledVersion(int version) {
        WorkflowStore.Version v = workflows.version(workflowId, version).orElseThrow(() -> StreamError.custom(
                "The paused workflow version " + version + " of " + workflowId + " no longer exists.", false));
        return new Target(compiled.computeIfAbsent(workflowId + "@" + version,
                key -> WorkflowValidator.compile(WorkflowParser.parse(v.document()))), version);
    }

    /** Time-ordered like every stored id, so the traces table grows at its right edge (see {@link IdGenerator}). */
    private static String newRunId() {
        return IdGenerator.timeOrdered("run");
    }

    /** {@return approved or rejected when the text is a plain yes or no, else null} */
    static String decision(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[.!]+$", "");
        return switch (t) {
            case "yes", "y", "approve", "approved", "ok", "okay", "confirm", "go ahead", "sure" -> "approved";
            case "no", "n", "reject", "rejected", "cancel", "stop", "don't", "do not" -> "rejected";
            default -> null;
        };
    }

    /**
     * {@return the thread's state}: saved values, else defaults, with the session's variables (set by the page or
     * the host backend) on top; a session value that does not fit its variable's schema ends the turn with a
     * message that says which and why, and one the workflow does not declare is left out.
     */
    private Map<String, Object> state(Workflow workflow, JsonNode saved, Turn turn) {
        Map<String, JsonNode> session = claims(turn).stateVariables();
        Map<String, Object> state = new HashMap<>();
        for (StateVariable v : workflow.state()) {
            JsonNode value = saved.has(v.name()) ? saved.get(v.name()) : v.defaultValue();
            JsonNode given = session.get(v.name());
            if (given != null) {
                List<String> problems = dev.parley.model.SchemaValidator.violations(v.schema(), given);
                if (!problems.isEmpty()) {
                    throw StreamError.custom("The session's state variable `" + v.name() + "` does not fit the workflow: "
                            + problems.getFirst(), false);
                }
                value = given;
            }
            state.put(v.name(), value == null ? NullValue.NULL_VALUE : Values.toCel(value, v.schema()));
        }
        return state;
    }

    private static SessionClaims claims(Turn turn) {
        return turn.context().session(SessionClaims.class).orElse(SessionClaims.NONE);
    }
}
