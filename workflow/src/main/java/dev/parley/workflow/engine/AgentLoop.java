package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.ModelProvider;
import dev.parley.model.ModelSettings;
import dev.parley.model.Source;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.ToolCall;
import dev.parley.model.ToolExchange;
import dev.parley.model.Usage;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import dev.parley.workflow.Node;
import dev.parley.workflow.tools.ToolContext;
import dev.parley.workflow.tools.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An agent's turn with tools: asks the model, runs the calls it makes (those of one answer side by side), gives it
 * the results and asks again, until it answers in text. A client tool, or an MCP tool the user must allow, pauses
 * the loop; {@link #state} is what the thread keeps so {@link #resume} can go on later, on any server.
 *
 * <p>Every call is a progress line for the user and an entry in the node's trace (arguments with secrets redacted,
 * the result cut to a readable size, the duration and any error). A tool that fails gives the model an error it can
 * work around; only the model's own failure ends the turn.
 */
final class AgentLoop {
    /** Calls one agent may make in one turn unless the workflow says otherwise. */
    static final int DEFAULT_CALL_LIMIT = 10;
    /** Rounds a model may go on asking for tools after the limit, each told no, before its text is taken as is. */
    private static final int ROUNDS_PAST_LIMIT = 2;
    private static final int TRACE_RESULT_CHARS = 2_000;
    /** How often a wait for running calls looks whether the user is still there (an SSE comment each time). */
    private static final long CANCEL_POLL_MILLIS = 500;

    sealed interface Step {
        /** The model answered; {@code text} is everything it said over all rounds. */
        record Answered(String text, Usage usage, List<Source> sources) implements Step {}

        /** The loop waits for the browser's output or the user's approval; keep {@code state} with the thread. */
        record Paused(ObjectNode state) implements Step {}

        /** The user left while calls ran; the ones not yet finished were stopped. */
        record Cancelled() implements Step {}
    }

    /** What came back for the call a paused loop waited on. */
    sealed interface Answer {
        record ClientOutput(JsonNode result) implements Answer {}

        record Decision(boolean approved) implements Answer {}
    }

    private final ModelProvider model;
    private final Toolbox.Kit kit;
    private final Turn turn;
    private final EventSink events;
    private final ArrayNode traced;
    private final ToolContext context;
    private final String nodeId;
    private final ModelSettings settings;
    private final int limit;
    private int calls;
    private int roundsPastLimit;
    private Usage usage = Usage.NONE;
    private final StringBuilder text = new StringBuilder();
    /** Told of each tool call (metrics, spans), as the trace records it. */
    private final RunObserver.Node observed;
    private final LinkedHashSet<Source> sources = new LinkedHashSet<>();

    AgentLoop(ModelProvider model, Toolbox.Kit kit, Turn turn, EventSink events, RunTrace.Span span, ToolContext context,
            Node.Agent agent, int limit) {
        this.model = model;
        this.kit = kit;
        this.turn = turn;
        this.events = events;
        this.traced = span.json.withArray("tool_calls");
        this.observed = span.observed;
        this.context = context;
        this.nodeId = agent.id();
        this.settings = agent.modelSettings();
        this.limit = limit;
        if (!kit.problems().isEmpty()) {
            var problems = span.json.putArray("tool_problems");
            kit.problems().forEach(problems::add);
        }
    }

    Toolbox.Kit kit() {
        return kit;
    }

    /** Asks the model, then goes round until it answers or the loop must wait. */
    Step run(TextRequest request, TextSink sink) {
        TextRequest next = request;
        while (true) {
            if (!events.isOpen()) return new Step.Cancelled();
            Completion c = model.streamText(next, sink);
            usage = usage.plus(c.usage());
            text.append(c.text());
            sources.addAll(c.sources());
            if (!c.wantsTools()) return new Step.Answered(text.toString(), usage, List.copyOf(sources));
            if (calls >= limit && ++roundsPastLimit > ROUNDS_PAST_LIMIT) {
                // A model that ignores "no more calls" would go round for ever; what it said is the answer.
                return new Step.Answered(text.toString(), usage, List.copyOf(sources));
            }
            Round round = round(c.toolCalls());
            if (round == null) return new Step.Cancelled();
            if (!round.waiting().isEmpty()) return pause(next, round.done(), round.waiting());
            for (ToolExchange e : round.done()) next = next.withExchange(e);
        }
    }

    /** Continues a loop paused on its first waiting call, with what came back for it. */
    Step resume(ObjectNode state, TextSink sink, Answer answer) {
        calls = state.path("calls").asInt();
        roundsPastLimit = state.path("rounds_past_limit").asInt();
        usage = new Usage(state.path("usage").path("input_tokens").asLong(), state.path("usage").path("output_tokens").asLong());
        text.append(state.path("text").asText(""));
        for (JsonNode s : state.path("sources")) sources.add(new Source(s.path("title").asText(), s.path("location").asText()));
        TextRequest request = request(state.path("request"));
        List<ToolExchange> done = new ArrayList<>(exchanges(state.path("done")));
        List<ToolCall> waiting = new ArrayList<>(calls(state.path("waiting")));
        ToolCall call = waiting.removeFirst();
        long start = System.nanoTime();
        ObjectNode entry = traceEntry(call);
        String output = switch (answer) {
            case Answer.ClientOutput(JsonNode result) -> {
                String json = result == null || result.isNull() ? "null" : result.toString();
                entry.put("status", "ok").put("result", cut(json));
                yield json;
            }
            case Answer.Decision(boolean approved) when approved -> {
                if (!(kit.functions().get(call.name()) instanceof Toolbox.Offered.Server server)) {
                    // Its MCP server went away (or stopped offering it) while the user was deciding.
                    entry.put("status", "failed").put("error", "not offered any more when the user approved it");
                    yield "The tool " + call.name() + " is not available right now; tell the user it could not be done.";
                }
                progress(server.activity());
                yield execute(server, call, entry);
            }
            case Answer.Decision d -> {
                entry.put("status", "declined");
                yield "The user declined this call of " + call.name() + ". Do not call it again for this request;"
                        + " tell the user what you could not do.";
            }
        };
        entry.put("duration_micros", (System.nanoTime() - start) / 1000);
        done.add(new ToolExchange(call, output));
        if (!waiting.isEmpty()) return pause(request, done, waiting);
        for (ToolExchange e : done) request = request.withExchange(e);
        return run(request, sink);
    }

    private record Round(List<ToolExchange> done, List<ToolCall> waiting) {}

    /** Runs the calls of one model answer; client and approval calls wait. {@return null when the user left} */
    private Round round(List<ToolCall> asked) {
        List<ToolExchange> done = new ArrayList<>();
        List<ToolCall> waiting = new ArrayList<>();
        List<ToolCall> runNow = new ArrayList<>();
        List<ObjectNode> runEntries = new ArrayList<>();
        ToolExchange[] results = new ToolExchange[asked.size()];
        for (int i = 0; i < asked.size(); i++) {
            ToolCall call = asked.get(i);
            Toolbox.Offered offered = kit.functions().get(call.name());
            if (calls >= limit) {
                traceEntry(call).put("status", "refused").put("error", "over the limit of " + limit + " calls per turn");
                results[i] = new ToolExchange(call, "Not called: this agent may make at most " + limit
                        + " tool calls per turn, and it has. Answer the user with what you have now.");
            } else if (offered == null) {
                traceEntry(call).put("status", "refused").put("error", "no tool of that name");
                results[i] = new ToolExchange(call, "There is no tool named " + call.name() + ". The tools are: "
                        + String.join(", ", kit.functions().keySet()) + ".");
            } else {
                calls++;
                boolean waits = offered instanceof Toolbox.Offered.Client
                        || offered instanceof Toolbox.Offered.Server s && s.approval();
                if (waits) {
                    waiting.add(call);
                } else {
                    runNow.add(call);
                    runEntries.add(traceEntry(call));
                }
            }
        }
        List<ToolExchange> ran = runAll(runNow, runEntries);
        if (ran == null) return null;
        for (int i = 0, r = 0; i < asked.size(); i++) {
            if (results[i] != null) done.add(results[i]);
            else if (r < ran.size() && ran.get(r).call() == asked.get(i)) done.add(ran.get(r++));
        }
        return new Round(done, waiting);
    }

    /** Runs calls on their own virtual threads, so a slow one does not hold up the others. */
    private List<ToolExchange> runAll(List<ToolCall> run, List<ObjectNode> entries) {
        if (run.isEmpty()) return List.of();
        // Ten lookups at once read as one line, not ten of the same.
        run.stream().map(call -> ((Toolbox.Offered.Server) kit.functions().get(call.name())).activity()).distinct()
                .forEach(this::progress);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < run.size(); i++) {
                ToolCall call = run.get(i);
                ObjectNode entry = entries.get(i);
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    String out = execute((Toolbox.Offered.Server) kit.functions().get(call.name()), call, entry);
                    synchronized (entry) {
                        entry.put("duration_micros", (System.nanoTime() - start) / 1000);
                    }
                    return out;
                }));
            }
            List<ToolExchange> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                String output = await(futures.get(i));
                if (output == null) {
                    // The user left: stop what still runs (interrupting its HTTP call) and drop the rest.
                    futures.forEach(f -> f.cancel(true));
                    return null;
                }
                out.add(new ToolExchange(run.get(i), output));
            }
            return out;
        }
    }

    private String await(Future<String> future) {
        while (true) {
            try {
                return future.get(CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!events.probe()) return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                // execute() never throws; this is a bug, and it costs one result, not the turn.
                return "The tool failed inside Parley; answer without it.";
            }
        }
    }

    /** Runs one call and traces its outcome. {@return what the model reads} */
    private String execute(Toolbox.Offered.Server server, ToolCall call, ObjectNode entry) {
        RunObserver.Tool watched = observed.tool(ToolKinds.of(server.tool()), call.name());
        JsonNode arguments = parse(call.arguments());
        if (arguments == null) {
            watched.ended(false);
            entry.put("status", "failed").put("error", "the model wrote arguments that are not a JSON object");
            return "The arguments of " + call.name() + " were not a JSON object. Call it again with a JSON object"
                    + " that matches its parameters.";
        }
        ToolResult result;
        try {
            result = server.tool().call(arguments, context);
        } catch (RuntimeException e) {
            result = new ToolResult.Failed("The tool " + call.name() + " failed; answer without it.", "unexpected " + e);
        }
        watched.ended(result instanceof ToolResult.Ok);
        synchronized (entry) {
            switch (result) {
                case ToolResult.Ok ok -> {
                    entry.put("status", "ok").put("result", cut(ok.content()));
                    synchronized (sources) {
                        sources.addAll(ok.sources());
                    }
                }
                case ToolResult.Failed f -> entry.put("status", "failed").put("error", f.detailForTheTrace())
                        .put("result", cut(f.messageForTheModel()));
            }
        }
        return result.forModel();
    }

    /** Emits the item the loop waits on (a client call or an approval question) and {@return the state to keep} */
    private Step pause(TextRequest request, List<ToolExchange> done, List<ToolCall> waiting) {
        ToolCall call = waiting.getFirst();
        Toolbox.Offered offered = kit.functions().get(call.name());
        JsonNode arguments = parse(call.arguments());
        String kind;
        String question = "";
        if (offered instanceof Toolbox.Offered.Client) {
            kind = "client";
            traceEntry(call).put("status", "waiting").put("error", "waiting for the browser to answer");
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.ClientToolCall(turn.newId(IdKind.MESSAGE),
                    turn.thread().id(), turn.now(), ThreadItem.ClientToolCall.PENDING, call.id(), call.name(),
                    arguments == null ? ChatKitJson.emptyObject() : arguments, null)));
        } else {
            kind = "approval";
            traceEntry(call).put("status", "waiting").put("error", "waiting for the user's approval");
            question = Approvals.toolQuestion(call.name(), arguments);
            events.emit(new ThreadStreamEvent.ItemDone(Approvals.widget(turn, nodeId, call.id(), question)));
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode().put("kind", kind).put("node", nodeId)
                .put("call_id", call.id()).put("question", question).put("calls", calls).put("rounds_past_limit", roundsPastLimit)
                .put("text", text.toString());
        state.putObject("usage").put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens());
        var src = state.putArray("sources");
        sources.forEach(s -> src.addObject().put("title", s.title()).put("location", s.location()));
        state.set("request", requestJson(request));
        state.set("done", exchangesJson(done));
        state.set("waiting", callsJson(waiting));
        return new Step.Paused(state);
    }

    private ObjectNode traceEntry(ToolCall call) {
        synchronized (traced) {
            ObjectNode entry = traced.addObject().put("name", call.name()).put("call_id", call.id());
            Toolbox.Offered offered = kit.functions().get(call.name());
            entry.put("runs_on", offered instanceof Toolbox.Offered.Client ? "client" : "server");
            JsonNode arguments = parse(call.arguments());
            if (arguments != null) entry.set("arguments", Redaction.redact(arguments));
            else entry.put("arguments", cut(call.arguments()));
            return entry;
        }
    }

    private void progress(String text) {
        events.emit(new ThreadStreamEvent.ProgressUpdate(null, text));
    }

    private static String cut(String s) {
        return s.length() <= TRACE_RESULT_CHARS ? s : s.substring(0, TRACE_RESULT_CHARS) + "… (" + s.length() + " chars)";
    }

    /** {@return the arguments as an object, an empty one for none, or null when they are not a JSON object} */
    static JsonNode parse(String arguments) {
        if (arguments == null || arguments.isBlank()) return JsonNodeFactory.instance.objectNode();
        try {
            JsonNode json = ChatKitJson.readStorage(arguments, JsonNode.class);
            return json != null && json.isObject() ? json : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // The request travels with a paused thread: rendered prompt, history and the calls so far, never the tools,
    // which are the pinned version's and are offered again on resume.

    private static ObjectNode requestJson(TextRequest r) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("model", r.model()).put("instructions", r.instructions()).put("input", r.input());
        var history = out.putArray("history");
        r.history().forEach(m -> history.addObject().put("role", m.role().name().toLowerCase(java.util.Locale.ROOT))
                .put("text", m.text()));
        out.set("exchanges", exchangesJson(r.exchanges()));
        return out;
    }

    private TextRequest request(JsonNode json) {
        List<ChatMessage> history = new ArrayList<>();
        for (JsonNode m : json.path("history")) {
            history.add("assistant".equals(m.path("role").asText()) ? ChatMessage.assistant(m.path("text").asText())
                    : ChatMessage.user(m.path("text").asText()));
        }
        return new TextRequest(json.path("model").asText(null), json.path("instructions").asText(null), history,
                json.path("input").asText(""), settings, kit.specs(), exchanges(json.path("exchanges")), kit.hosted());
    }

    private static ArrayNode exchangesJson(List<ToolExchange> exchanges) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ToolExchange e : exchanges) {
            out.addObject().put("id", e.call().id()).put("name", e.call().name()).put("arguments", e.call().arguments())
                    .put("output", e.output());
        }
        return out;
    }

    private static List<ToolExchange> exchanges(JsonNode json) {
        List<ToolExchange> out = new ArrayList<>();
        for (JsonNode e : json) {
            out.add(new ToolExchange(new ToolCall(e.path("id").asText(), e.path("name").asText(),
                    e.path("arguments").asText("")), e.path("output").asText("")));
        }
        return out;
    }

    private static ArrayNode callsJson(List<ToolCall> calls) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        calls.forEach(c -> out.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments()));
        return out;
    }

    private static List<ToolCall> calls(JsonNode json) {
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : json) out.add(new ToolCall(c.path("id").asText(), c.path("name").asText(), c.path("arguments").asText("")));
        return out;
    }
}
