package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkCel.Binding;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkGraph.Tail;
import java.util.List;
import java.util.Map;

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
            case AgentsSdkCel.NodeResult r -> nodeResult(end, r);
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

    private void nodeResult(ObjectNode end, AgentsSdkCel.NodeResult r) {
        ObjectNode producer = graph.node(r.nodeId());
        switch (r.nodeType()) {
            case "agent" -> {
                AgentsSdkNodes.property(end, "output_text", AgentsSdkNodes.type("string"), r.nodeId() + ".output_text");
                JsonNode schema = producer == null ? null : producer.get("output_schema");
                if (schema != null) {
                    AgentsSdkNodes.property(end, "output_parsed", schema.deepCopy(), r.nodeId() + ".output_parsed");
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
                    report.error("line " + graph.lines.get(r.nodeId()), "End `" + end.get("id").asText() + "` returns "
                            + "what `" + r.nodeId() + "` computed, which has no fields to return (its expression is "
                            + "not an object with keys)", "give the End a property mapped to `" + r.nodeId()
                            + ".output_parsed`.");
                    nothing(end, null, end.get("id").asText());
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
        if (failed) {
            AgentsSdkNodes.property(end, "failed", AgentsSdkNodes.type("boolean"), "true");
            report.warning(where, "End `" + end.get("id").asText() + "`: Agent Builder returns which checks of `"
                    + g.nodeId() + "` failed; Parley's End returns `failed: true` (the run's trace has each check)",
                    "add a `message` for the user, e.g. `\"message\": \"\\\"Sorry, I can't help with that.\\\"\"`.");
        } else if (g.inputCel() != null) {
            AgentsSdkNodes.property(end, "safe_text", AgentsSdkNodes.type("string"), g.inputCel());
            report.warning(where, "End `" + end.get("id").asText() + "`: Agent Builder returns the text `" + g.nodeId()
                    + "` checked (with personal data masked); Parley masks nothing, so `safe_text` is the text as "
                    + "it was checked", "check nothing downstream relies on masking.");
        } else {
            nothing(end, where, end.get("id").asText());
        }
    }

    /** A path that ends without a return: the last node's reply, when it is a text agent's, is the message. */
    void implicit(ObjectNode end, Tail tail, int line) {
        ObjectNode last = graph.node(tail.from());
        String id = end.get("id").asText();
        if (tail.branch() == null && last != null && "agent".equals(last.path("type").asText())
                && !"json_schema".equals(last.path("output_format").asText())) {
            AgentsSdkNodes.property(end, "message", AgentsSdkNodes.type("string"), tail.from() + ".output_text");
            report.note("line " + line, "End `" + id + "` was added after `" + tail.from() + "`, where the run "
                    + "ends without a return (Agent Builder shows that agent's reply and stops); it returns the "
                    + "reply as `message`");
            return;
        }
        nothing(end, null, id);
        report.warning("line " + line, "the run ends after `" + tail.from() + "`" + (tail.branch() == null ? ""
                : " (branch `" + tail.branch() + "`)") + " without a return, so End `" + id + "` was added there "
                + "with no result: the chat gets no reply on that path", "map the End's `message` to the reply "
                + "the user should see.");
    }

    private void nothing(ObjectNode end, String where, String id) {
        AgentsSdkNodes.property(end, "message", AgentsSdkNodes.type("string"), null);
        if (where != null) {
            report.warning(where, "End `" + id + "` returns nothing, so the chat gets no reply on that path",
                    "map the End's `message` to the reply the user should see.");
        }
    }
}
