package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelUnknownSet;
import dev.parley.model.ChatMessage;
import dev.parley.model.Completion;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelException;
import dev.parley.model.ModelProvider;
import dev.parley.model.Source;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.TextRequest;
import dev.parley.model.TextSink;
import dev.parley.model.Usage;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.StreamError;
import dev.parley.server.Turn;
import dev.parley.workflow.CompiledWorkflow;
import dev.parley.workflow.Edge;
import dev.parley.workflow.Node;
import dev.parley.workflow.NodeOutputs;
import dev.parley.workflow.expr.Cel;
import dev.parley.workflow.expr.Templates;
import dev.parley.workflow.tools.ToolContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a published workflow for one user turn: walks the graph from start to an End, calling the model for
 * agent and classifier nodes, and writes the reply into the thread as one streamed assistant message.
 *
 * <p>The reply streams live when the agent that produces it feeds an End whose {@code message} is that agent's
 * {@code output_text}; otherwise the End's message is sent once it is computed. An End without a message is an
 * error the user sees, never a silent empty reply.
 */
final class WorkflowRun {
    /** How a run ended: at an End with its values, or paused at a {@code user_approval} node. */
    sealed interface Outcome {
        record Finished(ObjectNode values) implements Outcome {}

        /** @param tools for an agent waiting on a tool call, what its loop needs to go on; null for an approval node */
        record Paused(String nodeId, ObjectNode tools) implements Outcome {}

        /** The client left; the run stopped before {@code nodeId}. */
        record Cancelled(String nodeId) implements Outcome {}
    }

    /** The action type of the approval widget's buttons; the payload says which node and which decision. */
    static final String APPROVAL_ACTION = Approvals.ACTION;
    /** A branch no edge can have: {@link #execute} returns it to stop the walk at an approval. */
    private static final String PAUSE = "\u0000pause";

    /** Bounds a run even if a loop's guard is wrong; publish-time checks make every other cycle impossible. */
    private static final int MAX_STEPS = 1_000;
    private static final int HISTORY_ITEMS = 40;

    private final CompiledWorkflow compiled;
    private final ModelProvider model;
    private final Toolbox toolbox;
    private final Turn turn;
    private final ThreadItem.UserMessage message;
    private final EventSink events;
    private final RunTrace trace;
    private final Reply reply;
    private final Map<String, Object> state;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Integer> loopRounds = new HashMap<>();
    /** The passages the streamed reply was grounded on, cited on the finished message. */
    private List<Source> sources = List.of();
    /** The approval question asked last, kept with the pause so reminders can repeat it. */
    private String lastQuestion = "";
    /** The node whose output {@code input} is now, so a resumed run sees the same {@code input}. */
    private String lastOutput;
    /** Set when an agent's tool loop paused: what it needs to go on. */
    private ObjectNode pausedTools;
    /** What a widget action sent, when this run goes on from one: it stands in for the user's message. */
    private String actionText;

    WorkflowRun(CompiledWorkflow compiled, Toolbox toolbox, Turn turn, ThreadItem.UserMessage message,
            EventSink events, Map<String, Object> state, RunTrace trace) {
        this.compiled = compiled;
        this.model = toolbox.provider();
        this.toolbox = toolbox;
        this.turn = turn;
        this.message = message;
        this.events = events;
        this.state = state;
        this.trace = trace;
        this.reply = new Reply(turn, events);
        String said = message == null ? "" : message.text();
        var picked = message == null ? null : message.inferenceOptions().toolChoice();
        vars.put("workflow", Map.of("input_as_text", said, "tool_choice", picked == null ? "" : picked.id()));
        var sys = new LinkedHashMap<String, Object>();
        sys.put("user_id", turn.context().userId());
        sys.put("thread_id", turn.thread().id());
        sys.put("locale", turn.context().locale() == null ? "" : turn.context().locale());
        vars.put("sys", sys);
        vars.put("state", state);
    }

    /** Runs from the start node to an End or an approval pause. */
    Outcome run() {
        Node start = compiled.workflow().nodes().stream().filter(n -> n instanceof Node.Start).findFirst()
                .orElseThrow(() -> new IllegalStateException("A published workflow has a start node"));
        return walk(start);
    }

    /**
     * Continues a run that paused at approval node {@code nodeId}, on the branch the user chose.
     *
     * @param decision {@code approved} or {@code rejected}
     */
    Outcome resume(String nodeId, String decision) {
        Node approval = compiled.workflow().node(nodeId)
                .orElseThrow(() -> StreamError.custom("The paused step `" + nodeId + "` is no longer in the workflow.", false));
        RunTrace.Span span = trace.start(nodeId, approval.type());
        span.branch(decision).end();
        return walk(next(approval, decision));
    }

    /** The trace is for operators: it keeps the provider's own words (status, message), not the user's version. */
    private static String traceMessage(RuntimeException e) {
        if (e.getCause() instanceof ModelException m) return m.getMessage();
        if (e instanceof StreamError || e instanceof ModelException) return e.getMessage();
        // Not one of ours: say so in words, keeping the exception's own text for whoever debugs it.
        return "Unexpected failure: " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * Continues a run that paused at agent {@code nodeId}'s widget, with the action the user sent from it: the
     * action's text is the next node's {@code input} and {@code workflow.input_as_text}.
     */
    Outcome resumeWidget(String nodeId, dev.parley.protocol.Action action) {
        Node agent = compiled.workflow().node(nodeId)
                .orElseThrow(() -> StreamError.custom("The paused step `" + nodeId + "` is no longer in the workflow.", false));
        String text = WidgetOutput.describe(action);
        actionText = text;
        vars.put("workflow", Map.of("input_as_text", text, "tool_choice", ""));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("output_text", text);
        out.put("output_parsed", Values.toCel(action.payload() == null ? JsonNodeFactory.instance.objectNode()
                : action.payload(), null));
        vars.put("input", out);
        RunTrace.Span span = trace.start(nodeId, agent.type());
        span.input("action", text).branch("widget_action").end();
        return walk(next(agent, null));
    }

    /** Continues an agent whose tool loop paused, with what came back for the call it waited on. */
    Outcome resumeTools(ObjectNode tools, AgentLoop.Answer answer) {
        String nodeId = tools.path("node").asText();
        if (!(compiled.workflow().node(nodeId).orElse(null) instanceof Node.Agent agent)) {
            throw StreamError.custom("The paused step `" + nodeId + "` is no longer in the workflow.", false);
        }
        RunTrace.Span span = trace.start(nodeId, agent.type());
        try {
            boolean live = streamsReply(agent);
            AgentLoop loop = loop(agent, span);
            String branch = agentDone(agent, span, loop.resume(tools, sink(live), answer), live);
            if (PAUSE.equals(branch)) {
                span.branch("paused").end();
                return new Outcome.Paused(nodeId, pausedTools);
            }
            span.end();
        } catch (RuntimeException e) {
            span.error(traceMessage(e));
            span.end();
            throw e;
        }
        return walk(next(agent, null));
    }

    private Outcome walk(Node node) {
        for (int step = 0; step < MAX_STEPS; step++) {
            // A client that left is noticed between nodes (and by the model mid-reply): the run stops there.
            if (!events.isOpen()) return new Outcome.Cancelled(node.id());
            RunTrace.Span span = trace.start(node.id(), node.type());
            try {
                String branch = execute(node, span);
                if (node instanceof Node.End) {
                    span.end();
                    return new Outcome.Finished((ObjectNode) span.json.get("output"));
                }
                if (PAUSE.equals(branch)) {
                    span.branch("paused").end();
                    return new Outcome.Paused(node.id(), node instanceof Node.Agent ? pausedTools : null);
                }
                if (branch != null) span.branch(branch);
                span.end();
                node = next(node, branch);
            } catch (RuntimeException e) {
                span.error(traceMessage(e));
                span.end();
                throw e;
            }
        }
        throw StreamError.custom("The workflow ran more than " + MAX_STEPS + " steps without reaching an End.", false);
    }

    /** Executes a node and {@return the branch it chose, or null for nodes with a single output} */
    private String execute(Node node, RunTrace.Span span) {
        return switch (node) {
            case Node.Start s -> {
                setOutput(s, message == null ? "" : message.text(), null, null);
                yield null;
            }
            case Node.Agent a -> {
                progress(a);
                yield agent(a, span);
            }
            case Node.Classifier c -> {
                progress(c);
                classifier(c, span);
                yield null;
            }
            case Node.IfElse f -> {
                for (Node.Condition c : f.conditions()) {
                    Object v = eval(f.id(), "conditions[" + f.conditions().indexOf(c) + "].expression");
                    if (Boolean.TRUE.equals(v)) yield c.id();
                }
                yield "else";
            }
            case Node.Transform t -> {
                Object v = eval(t.id(), "expression");
                JsonNode json = Values.toJson(v);
                setOutput(t, json.isTextual() ? json.textValue() : ChatKitJson.writeTree(json), v, json);
                span.output(json);
                yield null;
            }
            case Node.SetState s -> {
                for (int i = 0; i < s.assignments().size(); i++) {
                    Object v = eval(s.id(), "assignments[" + i + "].expression");
                    state.put(s.assignments().get(i).variable(), v);
                }
                span.output(Values.toJson(state));
                yield null;
            }
            case Node.While w -> {
                int rounds = loopRounds.merge(w.id(), 1, Integer::sum) - 1;
                boolean again = rounds < w.maxIterations() && Boolean.TRUE.equals(eval(w.id(), "condition"));
                if (!again) loopRounds.remove(w.id());
                yield again ? "body" : "exit";
            }
            case Node.End e -> {
                end(e, span);
                yield null;
            }
            case Node.UserApproval u -> {
                askApproval(u, span);
                yield PAUSE;
            }
            case Node.Guardrails g -> {
                progress(g);
                String text = g.input() == null ? said() : render(g.id(), "input", g.input());
                List<GuardrailChecks.Result> results;
                try {
                    results = GuardrailChecks.run(g.checks(), text, model, g.id());
                } catch (ModelException e) {
                    throw StreamError.custom(e.userMessage(), e.retryable()).withCause(e);
                }
                span.input("input", text);
                span.json.set("checks", GuardrailChecks.toJson(results));
                yield results.stream().allMatch(GuardrailChecks.Result::passed) ? "pass" : "fail";
            }
            case Node.FileSearch f -> {
                progress(f);
                ObjectNode out = ToolNodes.fileSearch(f, toolbox, f.query() == null ? said() : render(f.id(), "query", f.query()), span);
                setOutput(f, out.toString(), Values.toCel(out, NodeOutputs.schema(f)), out);
                yield null;
            }
            case Node.Mcp m -> {
                progress(m);
                ObjectNode args = JsonNodeFactory.instance.objectNode();
                for (String name : m.arguments().keySet()) args.set(name, Values.toJson(eval(m.id(), "arguments." + name)));
                ToolNodes.McpOutput out = ToolNodes.mcp(m, toolbox, args, toolContext(), span);
                setOutput(m, out.text(), Values.toCel(out.parsed(), null), out.parsed());
                yield null;
            }
            case Node.Note n -> null;
        };
    }

    /** {@return null, or {@link #PAUSE} when the agent's tool loop waits for the browser or the user} */
    private String agent(Node.Agent a, RunTrace.Span span) {
        String instructions = render(a.id(), "instructions", a.instructions());
        String prompt = a.userPrompt() == null ? said() : render(a.id(), "user_prompt", a.userPrompt());
        List<ChatMessage> history = a.includeChatHistory() ? history() : List.of();
        span.input("instructions", instructions).input("user_prompt", prompt).input("history_messages",
                JsonNodeFactory.instance.numberNode(history.size()));
        try {
            if (!a.tools().isEmpty() && !a.output().structured()) {
                boolean live = streamsReply(a);
                AgentLoop loop = loop(a, span);
                Toolbox.Kit kit = loop.kit();
                var request = new TextRequest(a.model(), instructions, history, prompt, a.modelSettings(), kit.specs(),
                        List.of(), kit.hosted());
                return agentDone(a, span, loop.run(request, sink(live)), live);
            }
            if (a.output().structured()) {
                StructuredCompletion c = model.structured(new StructuredRequest(a.model(), instructions, history, prompt,
                        a.modelSettings(), a.output().name() == null ? a.id() : a.output().name(), a.output().schema()));
                setOutput(a, ChatKitJson.writeTree(c.value()), Values.toCel(c.value(), a.output().schema()), c.value());
                span.output(c.value()).usage(c.usage());
                if (a.output().widget() != null) {
                    ObjectNode waiting = WidgetOutput.show(a, c.value(), turn, events, span);
                    if (waiting != null) {
                        pausedTools = waiting;
                        return PAUSE;
                    }
                }
            } else {
                boolean live = streamsReply(a);
                Completion c = model.streamText(new TextRequest(a.model(), instructions, history, prompt, a.modelSettings()),
                        // Either way the model stops once the client has gone: nobody would read the rest.
                        live ? reply::delta : piece -> events.isOpen());
                setOutput(a, c.text(), null, null);
                if (live) sources = c.sources();
                span.output(JsonNodeFactory.instance.textNode(c.text())).usage(c.usage());
                var cited = span.json.putArray("sources");
                c.sources().forEach(src -> cited.add(src.location()));
            }
        } catch (ModelException e) {
            throw StreamError.custom(e.userMessage(), e.retryable()).withCause(e);
        }
        return null;
    }

    private AgentLoop loop(Node.Agent a, RunTrace.Span span) {
        return new AgentLoop(model, toolbox.kit(a), turn, events, span, toolContext(), a, AgentLoop.DEFAULT_CALL_LIMIT);
    }

    /**
     * Either way the model stops once the client has gone: nobody would read the rest. A search the provider runs
     * itself shows as a progress line, as Parley's own tool calls do.
     */
    private TextSink sink(boolean live) {
        return new TextSink() {
            @Override
            public boolean accept(String delta) {
                return live ? reply.delta(delta) : events.isOpen();
            }

            @Override
            public void hostedToolStarted(HostedTool tool) {
                events.emit(new ThreadStreamEvent.ProgressUpdate(null, switch (tool) {
                    case HostedTool.WebSearch w -> "Searching the web…";
                    case HostedTool.VectorStoreSearch v -> "Searching the files…";
                    case HostedTool.KnowledgeSearch k -> "Searching the knowledge base…";
                }));
            }
        };
    }

    private String agentDone(Node.Agent a, RunTrace.Span span, AgentLoop.Step step, boolean live) {
        switch (step) {
            case AgentLoop.Step.Answered(String text, Usage usage, List<Source> cited) -> {
                setOutput(a, text, null, null);
                if (live) sources = cited;
                span.output(JsonNodeFactory.instance.textNode(text)).usage(usage);
                var list = span.json.putArray("sources");
                cited.forEach(src -> list.add(src.location()));
                return null;
            }
            case AgentLoop.Step.Paused(ObjectNode state) -> {
                // What the model said before the call stays in the thread as its own message.
                if (reply.started()) reply.finish(List.of());
                pausedTools = state;
                lastQuestion = state.path("question").asText("");
                return PAUSE;
            }
            case AgentLoop.Step.Cancelled c -> {
                // The walk notices the closed stream before the next node and ends the run as cancelled.
                setOutput(a, reply.text(), null, null);
                return null;
            }
        }
    }

    private ToolContext toolContext() {
        return new ToolContext(trace.runId(), turn.context().userId(), turn.thread().id());
    }

    private void classifier(Node.Classifier c, RunTrace.Span span) {
        ClassifierPrompt prompt = ClassifierPrompt.of(c);
        String instructions = c.instructions() == null || c.instructions().isBlank()
                ? ClassifierPrompt.DEFAULT_INSTRUCTIONS : render(c.id(), "instructions", c.instructions());
        String input = c.input() == null ? said() : render(c.id(), "input", c.input());
        List<ChatMessage> history = c.includeChatHistory() ? history() : List.of();
        JsonNode schema = prompt.schema();
        span.input("input", input);
        try {
            StructuredCompletion result = model.structured(new StructuredRequest(c.model(), prompt.prompt(instructions),
                    history, input, c.modelSettings(), c.id(), schema, prompt.categories()));
            setOutput(c, ChatKitJson.writeTree(result.value()), Values.toCel(result.value(), schema), result.value());
            span.output(result.value()).usage(result.usage());
        } catch (ModelException e) {
            throw StreamError.custom(e.userMessage(), e.retryable()).withCause(e);
        }
    }

    private void end(Node.End e, RunTrace.Span span) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String property : e.values().keySet()) {
            out.set(property, Values.toJson(eval(e.id(), "values." + property)));
        }
        span.output(out);
        JsonNode message = out.get("message");
        String text = message == null || message.isNull() ? "" : message.isTextual() ? message.textValue() : ChatKitJson.writeTree(message);
        if (!reply.started()) {
            if (text.isBlank()) {
                throw StreamError.custom("The workflow finished without a reply: End node `" + e.id()
                        + "` produced an empty message. Map its message to the replying agent's output.", false);
            }
            reply.delta(text);
        }
        reply.finish(sources);
    }

    /** {@return whether this agent's text is the reply, so its deltas can go to the user as they arrive} */
    private boolean streamsReply(Node.Agent a) {
        Node at = a;
        for (int hops = 0; hops < 16; hops++) {
            List<Edge> out = compiled.edgesFrom(at.id());
            if (out.size() != 1) return false;
            Node next = compiled.workflow().node(out.getFirst().to()).orElse(null);
            if (next instanceof Node.End end) {
                String value = end.values().get("message");
                String cel = value == null ? null : Templates.endValueToCel(value);
                return cel != null && (cel.equals(a.id() + ".output_text") || cel.equals("input.output_text"));
            }
            if (!(next instanceof Node.SetState || next instanceof Node.Note)) return false;
            at = next;
        }
        return false;
    }

    private Node next(Node node, String branch) {
        for (Edge e : compiled.edgesFrom(node.id())) {
            if (branch == null || branch.equals(e.branch())) {
                return compiled.workflow().node(e.to())
                        .orElseThrow(() -> new IllegalStateException("Edge to unknown node " + e.to()));
            }
        }
        throw StreamError.custom("The workflow has no way on from node `" + node.id() + "`"
                + (branch == null ? "" : " (branch `" + branch + "`)") + ".", false);
    }

    private void setOutput(Node node, String text, Object parsed, JsonNode json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("output_text", text);
        if (NodeOutputs.structured(node)) out.put("output_parsed", parsed == null ? Map.of() : parsed);
        vars.put(node.id(), out);
        vars.put("input", out);
        lastOutput = node.id();
    }

    private void progress(Node node) {
        String text = node.label() != null && !node.label().isBlank() ? node.label() : humanise(node.id());
        events.emit(new ThreadStreamEvent.ProgressUpdate(null, text));
    }

    /**
     * Puts the approval question into the chat as a widget with Approve and Reject buttons; users of a client
     * without widgets can answer "yes" or "no" instead, so the widget's copy text says so.
     */
    private void askApproval(Node.UserApproval u, RunTrace.Span span) {
        String question = render(u.id(), "message", u.message());
        lastQuestion = question;
        span.input("message", question);
        events.emit(new ThreadStreamEvent.ItemDone(Approvals.widget(turn, u.id(), null, question)));
    }

    String lastQuestion() {
        return lastQuestion;
    }

    /** {@return what a paused run must keep to continue later: every node output so far, and the last one's id} */
    ObjectNode snapshot() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode outputs = out.putObject("outputs");
        for (var e : vars.entrySet()) {
            if (e.getKey().equals("state") || e.getKey().equals("sys") || e.getKey().equals("input")) continue;
            outputs.set(e.getKey(), Values.toJson(e.getValue()));
        }
        out.put("input_node", lastOutput);
        return out;
    }

    /** Puts back the node outputs of {@link #snapshot()}, typed by each node's schema as they were when produced. */
    void restore(JsonNode snapshot) {
        for (var e : snapshot.path("outputs").properties()) {
            JsonNode json = e.getValue();
            Node node = compiled.workflow().node(e.getKey()).orElse(null);
            if (node == null) {
                vars.put(e.getKey(), Values.toCel(json, null));
                continue;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("output_text", json.path("output_text").asText(""));
            if (NodeOutputs.structured(node)) out.put("output_parsed", Values.toCel(json.get("output_parsed"), NodeOutputs.schema(node)));
            vars.put(node.id(), out);
        }
        lastOutput = snapshot.path("input_node").asText(null);
        if (lastOutput != null && vars.containsKey(lastOutput)) vars.put("input", vars.get(lastOutput));
    }

    /** {@code website_inquiry_agent} → "Website inquiry agent…", for nodes without a label. */
    private static String humanise(String id) {
        String words = id.replace('_', ' ').replace('-', ' ').strip();
        return words.isEmpty() ? "Working…" : Character.toUpperCase(words.charAt(0)) + words.substring(1) + "…";
    }

    private String render(String nodeId, String field, String raw) {
        if (raw == null) return null;
        var template = compiled.template(nodeId, field);
        if (template.isEmpty()) return raw;
        var out = new StringBuilder();
        for (CompiledWorkflow.Segment s : template.get().segments()) {
            out.append(s.ast() == null ? s.text() : Values.toText(eval(s.ast(), nodeId, field)));
        }
        return out.toString();
    }

    private Object eval(String nodeId, String field) {
        CelAbstractSyntaxTree ast = compiled.expression(nodeId, field).orElseThrow(
                () -> new IllegalStateException("No compiled expression for " + nodeId + "." + field));
        return eval(ast, nodeId, field);
    }

    private Object eval(CelAbstractSyntaxTree ast, String nodeId, String field) {
        Object result;
        try {
            result = Cel.eval(ast, vars);
        } catch (CelEvaluationException e) {
            throw StreamError.custom("The workflow failed at node `" + nodeId + "` (" + field + "): "
                    + e.getMessage(), false).withCause(e);
        }
        if (result instanceof CelUnknownSet) {
            throw StreamError.custom("The workflow failed at node `" + nodeId + "` (" + field
                    + "): it reads a value that was never set.", false);
        }
        return result;
    }

    private String said() {
        return message != null ? message.text() : actionText != null ? actionText : "";
    }

    /** Only the conversation the user saw: user and assistant messages, never internal node outputs. */
    private List<ChatMessage> history() {
        List<ChatMessage> out = new ArrayList<>();
        for (ThreadItem item : turn.history(HISTORY_ITEMS)) {
            if (message != null && item.id().equals(message.id())) continue;
            switch (item) {
                case ThreadItem.UserMessage u -> out.add(ChatMessage.user(u.text()));
                case ThreadItem.AssistantMessage m -> out.add(ChatMessage.assistant(m.text()));
                default -> {}
            }
        }
        return out;
    }
}
