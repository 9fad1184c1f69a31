package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkCel.Binding;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkGraph.Tail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the run function and builds the graph: each recognised step becomes a node connected to the open ends
 * before it; {@code if}/{@code elif}/{@code else} becomes an if_else with CEL conditions (approval and guardrail
 * tests become their own nodes' branches), {@code while} a while node, {@code return} an End. A step it does not
 * recognise is an error with its line: the run would do something the import does not.
 */
final class AgentsSdkFlow {
    /**
     * Parley requires a bound on loops; Agent Builder's While has none. The JSON importer's bound, so both imports
     * of one workflow loop alike.
     */
    static final int MAX_ITERATIONS = AbFlowNodes.DEFAULT_MAX_ITERATIONS;
    /** How many while bodies the walk is inside. */
    private int loopDepth;

    private final AgentsSdkDefinitions defs;
    private final ImportReport.Builder report;
    private final AgentsSdkCel cel = new AgentsSdkCel();
    private final AgentsSdkAgents agents;
    private final AgentsSdkNodes builders;
    final AgentsSdkGraph graph = new AgentsSdkGraph();
    ObjectNode state = AgentsSdkGraph.object();
    String workflowId;

    private final Set<String> agentsRun = new HashSet<>();
    /** Result variable → the dict literal a transform computed, so an End returning it can list its keys. */
    private final Map<String, DictLit> transformDicts = new HashMap<>();
    private ObjectNode openSetState;
    private String historyWriter;
    private boolean historyNoted;

    AgentsSdkFlow(AgentsSdkDefinitions defs, ImportReport.Builder report) {
        this.defs = defs;
        this.report = report;
        this.agents = new AgentsSdkAgents(defs, cel, report);
        this.builders = new AgentsSdkNodes(cel, report);
    }

    void run() {
        String start = graph.unique("start");
        List<Tail> tails = graph.attach(AgentsSdkGraph.object().put("id", start).put("type", "start"), defs.runLine, List.of());
        if (defs.inputParam != null) cel.bind(defs.inputParam, new AgentsSdkCel.WorkflowInput());
        cel.bind("state", new AgentsSdkCel.State());
        tails = walk(defs.runBody, tails);
        boolean nothing = graph.nodes.size() == 1;
        for (Tail t : tails) implicitEnd(t, graph.lines.getOrDefault(t.from(), defs.runLine));
        for (var def : defs.agents.values()) {
            if (!agentsRun.contains(def.var())) {
                report.warning("line " + def.line(), "the agent `" + def.var() + "` is defined but never run (in "
                        + "Agent Builder it was not connected), so it was left out", "connect it in the workflow if "
                        + "it should run.");
            }
        }
        if (nothing) {
            report.error("line " + defs.runLine, "the run function does nothing but set up its input (in Agent Builder "
                    + "nothing was connected to Start)", "connect the nodes that should run, then export again.");
        }
    }

    // --- statements ---------------------------------------------------------------------------------------------

    private List<Tail> walk(List<AgentsSdkStmt> stmts, List<Tail> tails) {
        for (AgentsSdkStmt s : stmts) {
            if (tails.isEmpty()) {
                if (!(s instanceof AgentsSdkStmt.Skip)) {
                    report.warning("line " + s.line(), "this code comes after the run has returned, so it never runs "
                            + "and was left out", null);
                }
                break;
            }
            if (!(s instanceof AgentsSdkStmt.Assign a && isStateTarget(a.target()))) openSetState = null;
            tails = switch (s) {
                case AgentsSdkStmt.Skip skip -> tails;
                case AgentsSdkStmt.Unknown u -> {
                    report.error("line " + u.line(), "this statement could not be read, so what it does is missing "
                            + "from the import: `" + u.text() + "`", "rewrite it in the shape the export writes, or "
                            + "add the step by hand after the import.");
                    yield tails;
                }
                case AgentsSdkStmt.Assign a -> assign(a, tails);
                case AgentsSdkStmt.Eval e -> eval(e, tails);
                case AgentsSdkStmt.If i -> ifStatement(i, tails);
                case AgentsSdkStmt.While w -> whileStatement(w, tails);
                case AgentsSdkStmt.Return r -> {
                    if (loopDepth > 0 && passInLoop(r, tails)) yield tails;
                    end(r.value(), r.line(), tails);
                    yield List.of();
                }
                case AgentsSdkStmt.Try t -> {
                    List<Tail> after = walk(t.body(), tails);
                    if (!t.handler().isEmpty() || t.handlerLine() > 0) {
                        report.warning("line " + t.handlerLine(), "the error handler (Agent Builder's \"continue on "
                                + "error\") has no Parley equivalent: if a check or call fails, the turn ends with an "
                                + "error", "keep the workflow's steps simple enough not to fail, or accept the error.");
                    }
                    yield after;
                }
                case AgentsSdkStmt.With w -> walk(w.body(), tails);
                case AgentsSdkStmt.Def d -> unknownStep(d.line(), "a function defined inside the run", tails);
                case AgentsSdkStmt.ClassDef c -> unknownStep(c.line(), "a class defined inside the run", tails);
            };
        }
        return tails;
    }

    /**
     * The export writes {@code return guardrails_output} on every guardrails branch Agent Builder left unconnected,
     * even inside a loop body, where an unconnected output leads back to the loop. So on the pass branch inside a
     * loop it is read as that: the branch goes back to the loop, as in the JSON import, instead of ending the run.
     */
    private boolean passInLoop(AgentsSdkStmt.Return r, List<Tail> tails) {
        if (!(r.value() instanceof Name n) || !(cel.binding(n.id()) instanceof AgentsSdkCel.GuardrailsResult g)) return false;
        if (tails.size() != 1 || !g.nodeId().equals(tails.get(0).from()) || !"pass".equals(tails.get(0).branch())) {
            return false;
        }
        report.note("line " + r.line(), "`return " + n.id() + "` on the pass branch of `" + g.nodeId() + "` inside a "
                + "loop is what the export writes for a branch Agent Builder left unconnected, which leads back to "
                + "the loop; the import leads it back too");
        return true;
    }

    private List<Tail> unknownStep(int line, String what, List<Tail> tails) {
        report.error("line " + line, what + " is not a step the export writes, so it is missing from the import",
                "add the step by hand after the import.");
        return tails;
    }

    private List<Tail> eval(AgentsSdkStmt.Eval e, List<Tail> tails) {
        if (e.expr() instanceof Call c && c.callee() instanceof AgentsSdkExpr.Attr at
                && at.target() instanceof Name n && AgentsSdkDefinitions.snake(n.id()).equals("conversation_history")
                && (at.name().equals("extend") || at.name().equals("push"))) {
            Name temp = firstBound(c, AgentsSdkCel.AgentTemp.class);
            if (temp != null) historyWriter = ((AgentsSdkCel.AgentTemp) cel.binding(temp.id())).nodeId();
            return tails;
        }
        return unknownStep(e.line(), "`" + AgentsSdkExpr.show(e.expr()) + "`", tails);
    }

    private List<Tail> assign(AgentsSdkStmt.Assign a, List<Tail> tails) {
        AgentsSdkExpr v = a.value();
        if (isStateTarget(a.target())) return setState(a, tails);
        if (a.target() instanceof DictLit pattern && v != null) {
            // TypeScript: const { hasTripwire: …, safeText: … } = await runGuardrails(…)
            Call g = guardrailsCall(v);
            if (g != null) {
                List<Tail> out = guardrails(null, g, a.line(), tails);
                String id = out.getFirst().from();
                for (AgentsSdkExpr.Entry e : pattern.entries()) {
                    if (e.value() instanceof Name n) cel.bind(n.id(), cel.binding(id) == null
                            ? new AgentsSdkCel.GuardrailsResult(id, null) : cel.binding(id));
                }
                return out;
            }
        }
        if (!(a.target() instanceof Name target)) {
            return unknownStep(a.line(), "the assignment to `" + AgentsSdkExpr.show(a.target()) + "`", tails);
        }
        String var = target.id();
        String snake = AgentsSdkDefinitions.snake(var);
        if (v == null) return tails;
        if (v instanceof Call c && c.callee() instanceof AgentsSdkExpr.Attr at && at.name().equals("model_dump")
                && at.target() instanceof Name n && n.id().equals(defs.inputParam)) {
            cel.bind(var, new AgentsSdkCel.WorkflowInput());
            return tails;
        }
        if (snake.equals("conversation_history")) return tails;
        if (var.equals("state") && v instanceof DictLit d) {
            state = builders.state(d, stateAssignments(defs.runBody, new HashMap<>()));
            return tails;
        }
        if (var.equals("runner") && v instanceof Call c && c.isNew()) {
            traceMetadata(AgentsSdkDefinitions.config(c).get("trace_metadata"));
            return tails;
        }
        AgentsSdkExpr inner = v instanceof AgentsSdkExpr.Await aw ? aw.value() : v;
        if (inner instanceof Call c && c.calleeName() != null
                && (c.calleeName().equals("Runner.run") || c.calleeName().equals("runner.run"))) {
            return agentRun(var, c, a.line(), tails);
        }
        if (v instanceof DictLit d && d.byKey().containsKey("output_text")) {
            Name temp = firstBound(d, AgentsSdkCel.AgentTemp.class);
            if (temp != null) {
                cel.bind(var, new AgentsSdkCel.NodeResult(((AgentsSdkCel.AgentTemp) cel.binding(temp.id())).nodeId(), "agent"));
                return tails;
            }
        }
        Call g = guardrailsCall(v);
        if (g != null) return guardrails(var, g, a.line(), tails);
        if (snake.matches(".*_(hastripwire|anonymizedtext|output|failoutput|passoutput|safetext)\\d*")) {
            Name bound = firstBound(v, AgentsSdkCel.GuardrailsResult.class);
            if (bound != null) {
                cel.bind(var, cel.binding(bound.id()));
                return tails;
            }
        }
        Call search = AgentsSdkNodes.vectorSearch(v);
        if (search != null) {
            String id = graph.unique(baseId(var));
            List<Tail> out = graph.attach(builders.fileSearch(id, search, agents), a.line(), tails);
            cel.bind(var, new AgentsSdkCel.NodeResult(id, "file_search"));
            return out;
        }
        if (snake.startsWith("end") && v instanceof DictLit) {
            cel.bind(var, new AgentsSdkCel.Value(v));
            return tails;
        }
        if (snake.matches(".*_result\\d*")) return transform(var, v, a.line(), tails);
        // A plain local (approval_message, guardrails_inputtext …): later references read its value.
        cel.bind(var, new AgentsSdkCel.Value(v));
        return tails;
    }

    private void traceMetadata(AgentsSdkExpr meta) {
        if (meta == null) return;
        AgentsSdkExpr id = AgentsSdkAgents.entries(meta).get("workflow_id");
        if (id instanceof AgentsSdkExpr.Str s && s.text() != null) workflowId = s.text();
    }

    private static boolean isStateTarget(AgentsSdkExpr target) {
        AgentsSdkExpr base = switch (target) {
            case AgentsSdkExpr.Index i -> i.target();
            case AgentsSdkExpr.Attr at -> at.target();
            default -> null;
        };
        return base instanceof Name n && n.id().equals("state");
    }

    /** {@return what each state variable is first assigned in the run, to type variables that start as None} */
    private static Map<String, AgentsSdkExpr> stateAssignments(List<AgentsSdkStmt> stmts, Map<String, AgentsSdkExpr> out) {
        for (AgentsSdkStmt s : stmts) {
            switch (s) {
                case AgentsSdkStmt.Assign a when isStateTarget(a.target()) -> {
                    String key = a.target() instanceof AgentsSdkExpr.Index i ? AgentsSdkExpr.keyName(i.index())
                            : ((AgentsSdkExpr.Attr) a.target()).name();
                    if (key != null) out.putIfAbsent(key, a.value());
                }
                case AgentsSdkStmt.If i -> {
                    i.arms().forEach(arm -> stateAssignments(arm.body(), out));
                    stateAssignments(i.orElse(), out);
                }
                case AgentsSdkStmt.While w -> stateAssignments(w.body(), out);
                case AgentsSdkStmt.Try t -> stateAssignments(t.body(), out);
                case AgentsSdkStmt.With w -> stateAssignments(w.body(), out);
                default -> { }
            }
        }
        return out;
    }

    /** {@code agent_result_temp} → {@code agent}; {@code launchHelperResultTemp} → {@code launch_helper}. */
    static String baseId(String var) {
        return AgentsSdkDefinitions.snake(var).replaceAll("(_result(_temp)?|_temp)\\d*$", "");
    }

    // --- steps --------------------------------------------------------------------------------------------------

    private List<Tail> agentRun(String var, Call run, int line, List<Tail> tails) {
        AgentsSdkExpr agentRef = run.args().isEmpty() ? null : run.args().getFirst();
        AgentsSdkDefinitions.AgentDef def = agentRef instanceof Name n ? defs.agents.get(n.id()) : null;
        if (def == null) {
            return unknownStep(line, "running `" + AgentsSdkExpr.show(agentRef) + "`, which is not an agent defined in "
                    + "this file,", tails);
        }
        AgentsSdkExpr input = run.kwargs().get("input");
        if (input == null && run.args().size() > 1) input = run.args().get(1);
        Map<String, AgentsSdkExpr> context = new HashMap<>();
        AgentsSdkExpr ctx = run.kwargs().get("context");
        Map<String, AgentsSdkExpr> options = run.args().size() > 2 ? AgentsSdkAgents.entries(run.args().get(2)) : Map.of();
        if (ctx == null) ctx = options.get("context");
        if (ctx instanceof Call c) context.putAll(c.kwargs());
        if (ctx instanceof DictLit d) context.putAll(d.byKey());
        AgentsSdkExpr config = run.kwargs().get("run_config");
        if (config instanceof Call c) traceMetadata(c.kwargs().get("trace_metadata"));
        String id = graph.unique(AgentsSdkDefinitions.snake(def.var()));
        ObjectNode node = agents.node(id, def, input, context, line);
        if (node.path("include_chat_history").asBoolean() && historyWriter != null && !historyNoted) {
            historyNoted = true;
            report.warning("line " + line, "agent `" + id + "` reads the conversation, which in the export includes "
                    + "what `" + historyWriter + "` answered earlier in this run; Parley's chat history holds the "
                    + "thread's messages only", "if `" + id + "` needs that answer, add `{{ " + historyWriter
                    + ".output_text }}` to its user prompt.");
        }
        agentsRun.add(def.var());
        cel.bind(var, new AgentsSdkCel.AgentTemp(id));
        return graph.attach(node, line, tails);
    }

    private List<Tail> transform(String var, AgentsSdkExpr value, int line, List<Tail> tails) {
        String id = graph.unique(baseId(var));
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "transform");
        try {
            node.put("expression", cel.cel(value));
            cautions(line, id);
        } catch (AgentsSdkCel.NotCel x) {
            node.put("expression", "{}");
            report.error("line " + line, "transform `" + id + "`: `" + AgentsSdkExpr.show(x.what) + "` has no CEL "
                    + "equivalent (" + x.getMessage() + "), so the transform computes an empty object",
                    "write its expression in CEL.");
        }
        if (value instanceof DictLit d) transformDicts.put(id, d);
        cel.bind(var, new AgentsSdkCel.NodeResult(id, "transform"));
        return graph.attach(node, line, tails);
    }

    private List<Tail> setState(AgentsSdkStmt.Assign a, List<Tail> tails) {
        String variable = a.target() instanceof AgentsSdkExpr.Index i ? AgentsSdkExpr.keyName(i.index())
                : ((AgentsSdkExpr.Attr) a.target()).name();
        String expression;
        try {
            expression = cel.cel(a.value());
            cautions(a.line(), "state." + variable);
        } catch (AgentsSdkCel.NotCel x) {
            report.error("line " + a.line(), "the assignment to state `" + variable + "` has no CEL equivalent ("
                    + x.getMessage() + ")", "write the assigned value in CEL.");
            return tails;
        }
        if (!state.has(variable)) {
            report.error("line " + a.line(), "`" + variable + "` is assigned but not declared in `state = {…}`",
                    "declare it under `state` with a JSON schema type.");
        }
        if (openSetState != null) {
            // The export writes one line per assignment; consecutive ones are read as one Set state node.
            ArrayNode assignments = (ArrayNode) openSetState.get("assignments");
            if (assignments.size() == 1) {
                report.note("line " + a.line(), "consecutive state assignments are read as one set_state `"
                        + openSetState.get("id").asText() + "`; in Agent Builder they may have been in more than one "
                        + "Set state node, which is not in the code");
            }
            assignments.addObject().put("variable", variable).put("expression", expression);
            return tails;
        }
        ObjectNode node = AgentsSdkGraph.object().put("id", graph.unique("set_state")).put("type", "set_state");
        node.putArray("assignments").addObject().put("variable", variable).put("expression", expression);
        openSetState = node;
        return graph.attach(node, a.line(), tails);
    }

    private static Call guardrailsCall(AgentsSdkExpr e) {
        AgentsSdkExpr inner = e instanceof AgentsSdkExpr.Await aw ? aw.value() : e;
        if (inner instanceof Call c && c.calleeName() != null && (c.calleeName().equals("run_guardrails")
                || c.calleeName().equals("runGuardrails"))) return c;
        return null;
    }

    private List<Tail> guardrails(String var, Call call, int line, List<Tail> tails) {
        String configVar = configName(call);
        if (configVar == null) {
            return unknownStep(line, "running guardrails with a configuration not defined in this file", tails);
        }
        String base = AgentsSdkDefinitions.snake(configVar).replaceAll("_config(\\d*)$", "$1");
        String id = graph.unique(base);
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "guardrails");
        AgentsSdkExpr text = call.calleeName().equals("run_guardrails") && call.args().size() > 1 ? call.args().get(1)
                : call.args().isEmpty() ? null : call.args().getFirst();
        String inputCel = null;
        if (text != null) {
            String template = agents.template(text, id);
            if (template != null) node.put("input", template);
            try {
                inputCel = cel.cel(text);
                cel.drainCautions();
            } catch (AgentsSdkCel.NotCel ignored) {
                // already reported by the template
            }
        }
        node.set("checks", builders.checks(defs.guardrailConfigs.get(configVar), id));
        if (!AgentsSdkNodes.configured(defs.guardrailConfigs.get(configVar))) graph.alwaysPass.add(id);
        AgentsSdkCel.GuardrailsResult result = new AgentsSdkCel.GuardrailsResult(id, inputCel);
        if (var != null) cel.bind(var, result);
        cel.bind(id, result);
        return graph.attach(node, line, tails);
    }

    private String configName(AgentsSdkExpr e) {
        return switch (e) {
            case Name n -> defs.guardrailConfigs.containsKey(n.id()) ? n.id() : null;
            case Call c -> {
                String found = configName(c.callee());
                for (int i = 0; found == null && i < c.args().size(); i++) found = configName(c.args().get(i));
                yield found;
            }
            default -> null;
        };
    }

    // --- control flow -------------------------------------------------------------------------------------------

    private List<Tail> ifStatement(AgentsSdkStmt.If s, List<Tail> tails) {
        AgentsSdkStmt.Arm first = s.arms().getFirst();
        if (s.arms().size() == 1 && s.orElse().isEmpty() && !first.body().isEmpty()
                && first.body().stream().allMatch(b -> b instanceof AgentsSdkStmt.Skip k && k.what().equals("throw"))) {
            // TypeScript's `if (!result.finalOutput) throw …`: the SDK's own check, which Parley makes itself.
            return tails;
        }
        if (s.arms().size() == 1 && first.cond() instanceof Call c && c.calleeName() != null
                && defs.approvalHelpers.contains(c.calleeName())) {
            return approval(s, c, tails);
        }
        if (s.arms().size() == 1 && first.cond() instanceof Name n && AgentsSdkNodes.isGuardrails(cel.binding(n.id()))) {
            String id = ((AgentsSdkCel.GuardrailsResult) cel.binding(n.id())).nodeId();
            List<Tail> out = new ArrayList<>(branch(first.body(), first.line(), new Tail(id, "fail")));
            out.addAll(branch(s.orElse(), s.elseLine() == 0 ? s.line() : s.elseLine(), new Tail(id, "pass")));
            return out;
        }
        String id = graph.unique("if_else");
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "if_else");
        ArrayNode conditions = node.putArray("conditions");
        List<Tail> out = new ArrayList<>();
        graph.attach(node, s.line(), tails);
        for (int i = 0; i < s.arms().size(); i++) {
            AgentsSdkStmt.Arm arm = s.arms().get(i);
            String caseId = "case-" + i;
            String expression;
            try {
                expression = cel.cel(arm.cond());
                cautions(arm.line(), id);
            } catch (AgentsSdkCel.NotCel x) {
                expression = AgentsSdkExpr.show(arm.cond());
                report.error("line " + arm.line(), "if_else `" + id + "`: the condition `" + expression + "` has no "
                        + "CEL equivalent (" + x.getMessage() + ")", "write the condition in CEL.");
            }
            conditions.addObject().put("id", caseId).put("expression", expression);
            out.addAll(branch(arm.body(), arm.line(), new Tail(id, caseId)));
        }
        out.addAll(branch(s.orElse(), s.elseLine() == 0 ? s.line() : s.elseLine(), new Tail(id, "else")));
        return out;
    }

    /** Walks one branch; an empty one (an unconnected port in Agent Builder) runs on after the statement. */
    private List<Tail> branch(List<AgentsSdkStmt> body, int line, Tail from) {
        if (body.isEmpty()) {
            if (from.branch() != null && !from.branch().equals("else")) {
                report.warning("line " + line, "the `" + from.branch() + "` branch of `" + from.from() + "` is empty "
                        + "(nothing was connected to it in Agent Builder), so that path ends the run",
                        "connect the branch to the step that should follow.");
            }
            return List.of(from);
        }
        return walk(body, List.of(from));
    }

    private List<Tail> approval(AgentsSdkStmt.If s, Call test, List<Tail> tails) {
        String suffix = test.calleeName().replaceAll("^.*?(\\d*)$", "$1");
        String id = graph.unique("approval" + suffix);
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "user_approval");
        String message = test.args().isEmpty() ? null : agents.template(test.args().getFirst(), id);
        if (message == null || message.isBlank()) {
            message = AbFlowNodes.DEFAULT_APPROVAL_MESSAGE;
            report.note("line " + s.line(), "approval `" + id + "` has no message (it was left empty in Agent Builder); "
                    + "the imported one asks \"" + message + "\"");
        }
        node.put("message", message);
        graph.attach(node, s.line(), tails);
        AgentsSdkStmt.Arm arm = s.arms().getFirst();
        List<Tail> out = new ArrayList<>(branch(arm.body(), arm.line(), new Tail(id, "approved")));
        out.addAll(branch(s.orElse(), s.elseLine() == 0 ? s.line() : s.elseLine(), new Tail(id, "rejected")));
        return out;
    }

    private List<Tail> whileStatement(AgentsSdkStmt.While w, List<Tail> tails) {
        String id = graph.unique("while_loop");
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "while");
        try {
            node.put("condition", cel.cel(w.cond()));
            cautions(w.line(), id);
        } catch (AgentsSdkCel.NotCel x) {
            node.put("condition", AgentsSdkExpr.show(w.cond()));
            report.error("line " + w.line(), "while `" + id + "`: the condition `" + AgentsSdkExpr.show(w.cond())
                    + "` has no CEL equivalent (" + x.getMessage() + ")", "write the condition in CEL.");
        }
        node.put("max_iterations", MAX_ITERATIONS);
        report.warning("line " + w.line(), "while `" + id + "`: Parley stops a loop after a fixed number of rounds; "
                + "Agent Builder's has no limit, so it is " + MAX_ITERATIONS, "set `max_iterations` to what the loop needs.");
        graph.attach(node, w.line(), tails);
        if (w.body().isEmpty()) {
            // As the JSON importer does: a body that does nothing keeps the loop's meaning and satisfies Parley.
            String body = graph.unique(id + "_body");
            ObjectNode empty = AgentsSdkGraph.object().put("id", body).put("type", "set_state").put("label",
                    "Empty loop body");
            empty.putArray("assignments");
            graph.attach(empty, w.line(), List.of(new Tail(id, "body")));
            graph.edge(new Tail(body, null), id);
            report.warning("line " + w.line(), "while `" + id + "` has an empty body (nothing was placed in Agent "
                    + "Builder's loop), so it either never runs or repeats without effect until its limit; Parley "
                    + "needs a body, so the import puts in `" + body + "`, which does nothing",
                    "put the steps to repeat in the body, or remove the loop.");
            return List.of(new Tail(id, "exit"));
        }
        loopDepth++;
        try {
            for (Tail t : walk(w.body(), List.of(new Tail(id, "body")))) graph.edge(t, id);
        } finally {
            loopDepth--;
        }
        return List.of(new Tail(id, "exit"));
    }

    // --- End ----------------------------------------------------------------------------------------------------

    private void end(AgentsSdkExpr value, int line, List<Tail> tails) {
        String base = value instanceof Name n && AgentsSdkDefinitions.snake(n.id()).startsWith("end") ? baseId(n.id()) : "end";
        String id = graph.unique(base);
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "end");
        new AgentsSdkEnds(cel, builders, report, transformDicts, graph).fill(node, value, line, tails);
        graph.attach(node, line, tails);
    }

    private void implicitEnd(Tail tail, int line) {
        String id = graph.unique("end");
        ObjectNode node = AgentsSdkGraph.object().put("id", id).put("type", "end");
        new AgentsSdkEnds(cel, builders, report, transformDicts, graph).implicit(node, tail, line);
        graph.attach(node, line, List.of(tail));
    }

    private void cautions(int line, String id) {
        cel.drainCautions().forEach(c -> report.warning("line " + line, "`" + id + "`: " + c, "check the imported expression."));
    }

    /** {@return the first name in {@code e} bound to a {@code kind} binding, or null} */
    private Name firstBound(AgentsSdkExpr e, Class<? extends Binding> kind) {
        return switch (e) {
            case Name n -> kind.isInstance(cel.binding(n.id())) ? n : null;
            case AgentsSdkExpr.Attr a -> firstBound(a.target(), kind);
            case AgentsSdkExpr.Index i -> firstBound(i.target(), kind);
            case Call c -> {
                Name found = firstBound(c.callee(), kind);
                for (int i = 0; found == null && i < c.args().size(); i++) found = firstBound(c.args().get(i), kind);
                yield found;
            }
            case DictLit d -> d.entries().stream().map(en -> firstBound(en.value(), kind))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case AgentsSdkExpr.ListLit l -> l.items().stream().map(i -> firstBound(i, kind))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case AgentsSdkExpr.Comprehension c -> firstBound(c.source(), kind);
            case AgentsSdkExpr.Binary b -> {
                Name left = firstBound(b.left(), kind);
                yield left != null ? left : firstBound(b.right(), kind);
            }
            case AgentsSdkExpr.Await a -> firstBound(a.value(), kind);
            case AgentsSdkExpr.Spread s -> firstBound(s.value(), kind);
            case AgentsSdkExpr.Lambda l -> null;
            default -> null;
        };
    }
}
