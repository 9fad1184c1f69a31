package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top of an export: everything defined before the run function — agents, output types, tools, guardrail
 * configurations, approval stubs, instruction builders — sorted by what it is, and the run function's body.
 * Each top-level statement is either recognised here or reported with its line.
 */
final class AgentsSdkDefinitions {
    /** {@code agent = Agent(...)} / {@code const agent = new Agent({...})}; config keys in snake_case. */
    record AgentDef(int line, String var, Map<String, AgentsSdkExpr> config) {}

    /**
     * A function building an agent's instructions from its run context.
     *
     * @param locals local variable → the context field it reads
     */
    record InstructionsFn(int line, Map<String, String> locals, AgentsSdkExpr returned) {}

    /** Helpers the guardrails export writes around {@code run_guardrails}; their behaviour is the node's. */
    private static final Set<String> GUARDRAIL_HELPERS = Set.of("guardrails_has_tripwire",
            "get_guardrail_checked_text", "build_guardrail_fail_output", "guardrailsHasTripwire",
            "getGuardrailSafeText", "getGuardrailCheckedText", "buildGuardrailFailOutput", "runAndApplyGuardrails",
            "scrubConversationHistory", "scrubWorkflowInput", "scrubPIIWorkflowInput", "scrubPiiWorkflowInput");

    final Map<String, AgentDef> agents = new LinkedHashMap<>();
    final Map<String, AgentsSdkExpr> tools = new LinkedHashMap<>();
    final Map<String, AgentsSdkStmt.Def> functionTools = new LinkedHashMap<>();
    final Map<String, InstructionsFn> instructions = new LinkedHashMap<>();
    final Set<String> approvalHelpers = new HashSet<>();
    final Map<String, AgentsSdkExpr> guardrailConfigs = new LinkedHashMap<>();
    final AgentsSdkSchemas schemas;
    List<AgentsSdkStmt> runBody;
    int runLine;
    /** The run function's parameter: {@code workflow_input} (Python, then {@code model_dump()}) or {@code workflow}. */
    String inputParam;
    String traceName;

    private final ImportReport.Builder report;

    AgentsSdkDefinitions(ImportReport.Builder report) {
        this.report = report;
        this.schemas = new AgentsSdkSchemas(report);
    }

    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    void scan(List<AgentsSdkStmt> top) {
        for (AgentsSdkStmt s : top) {
            switch (s) {
                case AgentsSdkStmt.Skip skip -> { }
                case AgentsSdkStmt.ClassDef c -> classDef(c);
                case AgentsSdkStmt.Def d -> function(d.line(), d.name(), d.params().stream()
                        .map(AgentsSdkStmt.Param::name).toList(), d.body(), d);
                case AgentsSdkStmt.Assign a when a.target() instanceof Name n && a.value() != null -> assign(a, n.id());
                case AgentsSdkStmt.Unknown u -> report.warning("line " + u.line(), "this top-level statement could "
                        + "not be read (`" + u.text() + "`) and was left out", "check that it defines nothing the "
                        + "workflow uses.");
                default -> report.warning("line " + s.line(), "this top-level statement is not part of what the "
                        + "export writes and was left out", "check that it defines nothing the workflow uses.");
            }
        }
    }

    private void classDef(AgentsSdkStmt.ClassDef c) {
        boolean model = c.bases().stream().anyMatch(b -> "BaseModel".equals(AgentsSdkExpr.dotted(b))
                || "pydantic.BaseModel".equals(AgentsSdkExpr.dotted(b)));
        if (c.name().equals("WorkflowInput")) {
            return;
        }
        if (model) {
            schemas.addClass(c);
            return;
        }
        boolean context = c.body().stream().anyMatch(b -> b instanceof AgentsSdkStmt.Def d && d.name().equals("__init__"));
        if (!context) {
            report.warning("line " + c.line(), "the class `" + c.name() + "` is neither a Pydantic model nor a run "
                    + "context, and was left out", "check that the workflow does not use it.");
        }
    }

    private void function(int line, String name, List<String> params, List<AgentsSdkStmt> body, AgentsSdkStmt.Def def) {
        if (name.equals("run_workflow") || name.equals("runWorkflow")) {
            runLine = line;
            inputParam = params.isEmpty() ? null : params.getFirst();
            runBody = unwrapTrace(body);
        } else if (def != null && def.decorators().contains("function_tool")) {
            functionTools.put(name, def);
        } else if (snake(name).startsWith("approval_request")) {
            approvalHelpers.add(name);
        } else if (GUARDRAIL_HELPERS.contains(name)) {
            return;
        } else if (!params.isEmpty() && snake(params.getFirst()).equals("run_context")) {
            instructionsFunction(line, name, body);
        } else {
            report.warning("line " + line, "the function `" + name + "` is not one the export writes and was left out",
                    "if the workflow needs what it does, add a node for it after the import.");
        }
    }

    /** The run function's body, inside {@code with trace(…):} or {@code withTrace("…", async () => {…})}. */
    private List<AgentsSdkStmt> unwrapTrace(List<AgentsSdkStmt> body) {
        if (body.size() == 1 && body.getFirst() instanceof AgentsSdkStmt.With w && w.context() instanceof Call c
                && "trace".equals(c.calleeName())) {
            traceName = firstString(c);
            return w.body();
        }
        if (body.size() == 1 && body.getFirst() instanceof AgentsSdkStmt.Return r) {
            AgentsSdkExpr v = r.value() instanceof AgentsSdkExpr.Await aw ? aw.value() : r.value();
            if (v instanceof Call c && "withTrace".equals(c.calleeName()) && c.args().size() == 2
                    && c.args().get(1) instanceof AgentsSdkExpr.Lambda l) {
                traceName = firstString(c);
                return l.body();
            }
        }
        return body;
    }

    private static String firstString(Call c) {
        return !c.args().isEmpty() && c.args().getFirst() instanceof AgentsSdkExpr.Str s ? s.text() : null;
    }

    private void instructionsFunction(int line, String name, List<AgentsSdkStmt> body) {
        Map<String, String> locals = new LinkedHashMap<>();
        AgentsSdkExpr returned = null;
        for (AgentsSdkStmt s : body) {
            if (s instanceof AgentsSdkStmt.Assign a && a.value() instanceof AgentsSdkExpr.Attr at
                    && at.target() instanceof AgentsSdkExpr.Attr ctx && ctx.name().equals("context")) {
                // Python: x = run_context.context.x
                if (a.target() instanceof Name local) locals.put(local.id(), at.name());
            } else if (s instanceof AgentsSdkStmt.Assign a && a.target() instanceof AgentsSdkExpr.DictLit pattern
                    && a.value() instanceof AgentsSdkExpr.Attr ctx && ctx.name().equals("context")) {
                // TypeScript: const { x, y: z } = runContext.context;
                for (AgentsSdkExpr.Entry e : pattern.entries()) {
                    if (e.value() instanceof Name local) locals.put(local.id(), AgentsSdkExpr.keyName(e.key()));
                }
            } else if (s instanceof AgentsSdkStmt.Return r) {
                returned = r.value();
            } else if (!(s instanceof AgentsSdkStmt.Skip)) {
                report.warning("line " + s.line(), "this line of the instructions function `" + name + "` is not one "
                        + "the export writes and was left out", "check the imported instructions.");
            }
        }
        if (returned == null) {
            report.error("line " + line, "the instructions function `" + name + "` returns nothing", "return the "
                    + "instructions text.");
            return;
        }
        instructions.put(name, new InstructionsFn(line, locals, returned));
    }

    private void assign(AgentsSdkStmt.Assign a, String var) {
        AgentsSdkExpr v = a.value();
        if (v instanceof AgentsSdkExpr.Lambda l) {
            function(a.line(), var, l.params(), l.body(), null);
            return;
        }
        if (v instanceof Call c) {
            String callee = c.calleeName() == null ? "" : c.calleeName();
            switch (callee) {
                case "Agent" -> {
                    agents.put(var, new AgentDef(a.line(), var, config(c)));
                    return;
                }
                case "WebSearchTool", "webSearchTool", "FileSearchTool", "fileSearchTool", "HostedMCPTool",
                     "hostedMcpTool", "CodeInterpreterTool", "codeInterpreterTool", "ImageGenerationTool",
                     "imageGenerationTool", "tool", "ComputerTool", "computerTool", "LocalShellTool" -> {
                    tools.put(var, c);
                    return;
                }
                case "AsyncOpenAI", "OpenAI", "SimpleNamespace", "GuardrailsOpenAI", "GuardrailsAsyncOpenAI" -> {
                    return;
                }
                default -> { }
            }
            if (schemas.isZod(c)) {
                schemas.addZod(var, c);
                return;
            }
        }
        if (v instanceof AgentsSdkExpr.DictLit d && d.byKey().containsKey("guardrails")) {
            guardrailConfigs.put(var, d);
            return;
        }
        report.warning("line " + a.line(), "the top-level definition of `" + var + "` is not one the export writes "
                + "and was left out", "if the workflow needs it, add it after the import.");
    }

    /** Keyword arguments (Python) or the single object argument (TypeScript), keys in snake_case. */
    static Map<String, AgentsSdkExpr> config(Call c) {
        Map<String, AgentsSdkExpr> out = new LinkedHashMap<>();
        c.kwargs().forEach((k, v) -> out.put(snake(k), v));
        if (c.kwargs().isEmpty() && c.args().size() == 1 && c.args().getFirst() instanceof AgentsSdkExpr.DictLit d) {
            d.byKey().forEach((k, v) -> out.put(snake(k), v));
        }
        return out;
    }
}
