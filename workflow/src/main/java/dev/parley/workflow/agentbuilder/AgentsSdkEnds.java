package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkCel.Binding;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkGraph.Tail;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End nodes: what {@code return} gives back, as an End schema with a CEL value per property. The export returns a
 * node's result dict, so the End returns that dict's fields ({@code output_text}, {@code output_parsed},
 * {@code results}, the workflow's {@code input_as_text}), as Agent Builder's End mapped them from {@code input}.
 * A path that falls off the end of the run function gets an End too: in Agent Builder that node simply had no
 * outgoing edge, and Parley needs every path to end in one.
 */
final class AgentsSdkEnds {
    private final AgentsSdkCel cel;
    private final AgentsSdkNodes builders;
    private final ImportReport.Builder report;
    private final Map<String, DictLit> transformDicts;
    private final AgentsSdkGraph graph;

    AgentsSdkEnds(AgentsSdkCel cel, AgentsSdkNodes builders, ImportReport.Builder report,
                  Map<String, DictLit> transformDicts, AgentsSdkGraph graph) {
        this.cel = cel;
        this.builders = builders;
        this.report = report;
        this.transformDicts = transformDicts;
        this.graph = graph;
    }

    void fill(ObjectNode end, AgentsSdkExpr value, int line, List<Tail> tails) {
        String id = end.get("id").asText();
        String where = "line " + line;
        if (value == null || value instanceof AgentsSdkExpr.Const c && c.value().equals("null")) {
            nothing(end, where, id);
            return;
        }
        if (value instanceof DictLit d) {
            builders.endFromDict(end, d, id);
            return;
        }
        Binding b = value instanceof Name n ? cel.binding(n.id()) : null;
        switch (b) {
            case AgentsSdkCel.Value v when v.expr() instanceof DictLit d -> builders.endFromDict(end, d, id);
            case AgentsSdkCel.WorkflowInput w ->
                    AgentsSdkNodes.property(end, "input_as_text", AgentsSdkNodes.type("string"), "workflow.input_as_text");
            case AgentsSdkCel.NodeResult r -> {
                nodeResult(end, r, where);
                report.note(where, "End `" + id + "` returns what the export returns, `" + r.nodeId() + "`'s whole "
                        + "result; which of its fields Agent Builder's End mapped, and under what names, is not in "
                        + "the code");
            }
            case AgentsSdkCel.GuardrailsResult g -> guardrails(end, g, tails, where);
            case null, default -> {
                try {
                    AgentsSdkNodes.property(end, "result", AgentsSdkGraph.object(), cel.cel(value));
                    report.note(where, "End `" + id + "` returns the value as `result`");
                } catch (AgentsSdkCel.NotCel x) {
                    nothing(end, where, id);
                    report.error(where, "End `" + id + "`: the returned `" + AgentsSdkExpr.show(value) + "` has no "
                            + "Parley equivalent (" + x.getMessage() + "), so the End returns nothing",
                            "map the End's properties to CEL expressions under `values`.");
                }
            }
        }
    }

    private void nodeResult(ObjectNode end, AgentsSdkCel.NodeResult r, String where) {
        ObjectNode producer = graph.node(r.nodeId());
        switch (r.nodeType()) {
            case "agent" -> {
                JsonNode schema = producer == null ? null : producer.get("output_schema");
                if (schema == null) {
                    AgentsSdkNodes.property(end, "output_text", AgentsSdkNodes.type("string"), r.nodeId() + ".output_text");
                } else {
                    // A Parley End refuses a structured agent's raw JSON text (the chat would show it), as the JSON
                    // importer also leaves it out.
                    AgentsSdkNodes.property(end, "output_parsed", AgentsSdkNodes.type("object"), r.nodeId() + ".output_parsed");
                    report.warning(where, "End `" + end.get("id").asText()
                            + "`: the export also returns `output_text`, the raw JSON text of `" + r.nodeId() + "`'s "
                            + "structured answer, which a Parley End does not return (the chat would show JSON); it "
                            + "is left out", "return `" + r.nodeId() + ".output_parsed` or one of its fields instead.");
                }
            }
            case "file_search" -> {
                ObjectNode results = AgentsSdkNodes.type("array");
                results.set("items", AgentsSdkNodes.type("object"));
                AgentsSdkNodes.property(end, "results", results, r.nodeId() + ".output_parsed.results");
            }
            default -> {
                DictLit d = transformDicts.get(r.nodeId());
                if (d != null) {
                    for (String key : d.byKey().keySet()) {
                        AgentsSdkNodes.property(end, key, AgentsSdkGraph.object(), r.nodeId() + ".output_parsed." + key);
                    }
                }
                if (!end.has("schema")) {
                    AgentsSdkNodes.property(end, "result", AgentsSdkGraph.object(), r.nodeId() + ".output_parsed");
                    report.note("line " + graph.lines.get(r.nodeId()), "End `" + end.get("id").asText() + "` returns "
                            + "what `" + r.nodeId() + "` computed, which is not an object with keys, as `result`");
                }
            }
        }
    }

    /**
     * The export returns {@code guardrails_output}: the failure details on the fail branch, the checked text on
     * the pass branch. Parley's guardrails node outputs neither, so the End says which way it went.
     */
    private void guardrails(ObjectNode end, AgentsSdkCel.GuardrailsResult g, List<Tail> tails, String where) {
        boolean failed = tails.stream().anyMatch(t -> g.nodeId().equals(t.from()) && "fail".equals(t.branch()));
        if (failed && graph.alwaysPass.contains(g.nodeId())) {
            // A node without checks never fails; AgentsSdkAlign drops this branch, so it needs no reply.
            nothing(end, null, end.get("id").asText());
        } else if (failed) {
            // The export writes this return both for a fail branch left unconnected and for one leading to an End;
            // the JSON importer, which can tell, gives the unconnected one this reply, and that is the usual case.
            AgentsSdkNodes.property(end, "message", AgentsSdkNodes.type("string"), AbCel.quote(AbEnds.BLOCKED_REPLY));
            report.warning(where, "End `" + end.get("id").asText() + "`: when a check of `" + g.nodeId() + "` fails the "
                    + "export returns which checks failed, whether Agent Builder's fail branch was left unconnected or "
                    + "led to an End; Parley's End replies \"" + AbEnds.BLOCKED_REPLY + "\" (the run's trace has "
                    + "each check)", "change its message to what the user should read.");
        } else if (g.inputCel() != null) {
            AgentsSdkNodes.property(end, "safe_text", AgentsSdkNodes.type("string"), g.inputCel());
            report.warning(where, "End `" + end.get("id").asText() + "`: Agent Builder returns the text `" + g.nodeId()
                    + "` checked (with personal data masked); Parley masks nothing, so `safe_text` is the text as "
                    + "it was checked", "check nothing downstream relies on masking.");
        } else {
            nothing(end, where, end.get("id").asText());
        }
    }

    /**
     * A path that ends without a return: Agent Builder stopped there, returning the last step's output, so the End
     * returns that (AgentsSdkAlign then adds the reply the user reads as {@code message}).
     */
    void implicit(ObjectNode end, Tail tail, int line) {
        String id = end.get("id").asText();
        Map<String, String> result = resultOf(tail.from(), new HashSet<>());
        result.forEach((k, v) -> AgentsSdkNodes.property(end, k, v.endsWith(".output_text")
                || v.equals("workflow.input_as_text") ? AgentsSdkNodes.type("string")
                : k.equals("output_parsed") ? AgentsSdkNodes.type("object") : AgentsSdkGraph.object(), v));
        if (result.isEmpty() && graph.node(tail.from()) != null
                && "transform".equals(graph.node(tail.from()).path("type").asText())) {
            // A transform with no keys: the JSON importer returns the user's message there, so this does too.
            AgentsSdkNodes.property(end, "input_as_text", AgentsSdkNodes.type("string"), "workflow.input_as_text");
            report.warning("line " + line, "the import cannot tell what End `" + id + "` returns (`" + tail.from()
                    + "` computes nothing); it returns the user's message", "map the End's properties to the values "
                    + "it should return.");
            return;
        }
        if (result.isEmpty()) {
            nothing(end, null, id);
            report.warning("line " + line, "the run ends after `" + tail.from() + "`" + (tail.branch() == null ? ""
                    : " (branch `" + tail.branch() + "`)") + " without a return, so End `" + id + "` was added there "
                    + "with no result: the chat gets no reply on that path", "map the End's `message` to the reply "
                    + "the user should see.");
            return;
        }
        report.note("line " + line, "the run ends after `" + tail.from() + "`" + (tail.branch() == null ? ""
                : " (branch `" + tail.branch() + "`)") + " without a return (Agent Builder stops there and returns "
                + "that step's output); End `" + id + "` was added to return " + String.join(", ", result.keySet()));
    }

    /**
     * {@return what a node outputs in Agent Builder, as End properties}: what the JSON importer's added Ends return,
     * so a path the export leaves without a return imports as its JSON does. Steps that pass their input through
     * return what their single predecessor output.
     */
    private Map<String, String> resultOf(String id, Set<String> seen) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode n = graph.node(id);
        if (n == null || !seen.add(id)) return out;
        switch (n.path("type").asText()) {
            case "start" -> out.put("input_as_text", "workflow.input_as_text");
            case "agent" -> out.put(n.has("output_schema") ? "output_parsed" : "output_text",
                    id + (n.has("output_schema") ? ".output_parsed" : ".output_text"));
            case "transform" -> {
                DictLit d = transformDicts.get(id);
                if (d == null) out.put("result", id + ".output_parsed");
                else d.byKey().keySet().forEach(k -> out.put(k, id + ".output_parsed." + k));
            }
            case "file_search" -> out.put("results", id + ".output_parsed.results");
            case "mcp" -> out.put("result", id + ".output_parsed");
            case "guardrails" -> out.put("safe_text", templateCel(n.path("input").asText("")));
            default -> {
                // A loop's own body leads back into it; what the loop passes on at its exit came from before it.
                Set<String> body = n.path("type").asText().equals("while") ? bodyOf(id) : Set.of();
                List<String> before = new ArrayList<>();
                graph.edges.forEach(e -> {
                    String from = e.path("from").asText();
                    if (e.path("to").asText().equals(id) && !body.contains(from)) before.add(from);
                });
                if (before.size() == 1) out.putAll(resultOf(before.get(0), seen));
            }
        }
        return out;
    }

    private Set<String> bodyOf(String loop) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        graph.edges.forEach(e -> {
            if (e.path("from").asText().equals(loop) && "body".equals(e.path("branch").asText())) todo.add(e.path("to").asText());
        });
        while (!todo.isEmpty()) {
            String at = todo.pop();
            if (at.equals(loop) || !seen.add(at)) continue;
            graph.edges.forEach(e -> {
                if (e.path("from").asText().equals(at)) todo.add(e.path("to").asText());
            });
        }
        return seen;
    }

    /** A whole-template text {@code {{ x }}} as the CEL {@code x}; the user's message when there is none. */
    private static String templateCel(String template) {
        Matcher m = Pattern.compile("\\{\\{\\s*(.+?)\\s*}}").matcher(template.strip());
        return m.matches() ? m.group(1) : "workflow.input_as_text";
    }

    private void nothing(ObjectNode end, String where, String id) {
        AgentsSdkNodes.property(end, "message", AgentsSdkNodes.type("string"), null);
        if (where != null) {
            report.warning(where, "End `" + id + "` returns nothing, so the chat gets no reply on that path",
                    "map the End's `message` to the reply the user should see.");
        }
    }
}
