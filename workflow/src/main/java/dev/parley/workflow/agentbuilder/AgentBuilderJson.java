package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.Problem;
import dev.parley.workflow.ValidationReport;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowFormatException;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports an Agent Builder workflow ({@code "object": "workflow"}, the JSON Agent Builder stores and its API
 * returns) as a Parley workflow document, then parses and type-checks the result exactly as a publish would
 * ({@link WorkflowValidator#compile(Workflow)}), so the report holds every problem the document has. Every
 * setting is mapped, reported as changed (a warning) or refused (an error when leaving it out would change what the
 * workflow does); docs/migrating-from-agent-builder.md has the table.
 */
public final class AgentBuilderJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentBuilderJson() {}

    /** As {@link #convert(JsonNode)}, from JSON text; text that is not JSON gives a report and no workflow. */
    public static ImportResult convert(String json) {
        try {
            return convert(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return refused("the input is not JSON: " + e.getOriginalMessage(),
                    "export the workflow from Agent Builder again and pass the file unchanged.");
        }
    }

    /**
     * {@return the Parley document and the report}; the document is null only when the input is not an Agent
     * Builder workflow at all. A document with errors is still returned, so the reader can see what was made.
     */
    public static ImportResult convert(JsonNode input) {
        if (input == null || !input.isObject()) {
            return refused("the input is not a JSON object", "pass the workflow JSON Agent Builder exports.");
        }
        String object = input.path("object").asText("");
        if (!object.equals("workflow") || !input.path("nodes").isArray()) {
            return refused("the input is not an Agent Builder workflow (it needs `\"object\": \"workflow\"` and "
                    + "`nodes`" + (object.isEmpty() ? "" : "; this one is `" + object + "`") + ")",
                    "pass the workflow JSON Agent Builder exports, not a version list or a run.");
        }
        AbContext cx = new AbContext(new AbGraph(input));
        ObjectNode doc = new AgentBuilderJson().build(input, cx);
        validate(doc, cx);
        return new ImportResult(doc, cx.report.build());
    }

    private ObjectNode build(JsonNode input, AbContext cx) {
        AbGraph graph = cx.graph;
        graph.duplicateIds.forEach(id -> cx.error(id, "more than one node has the id `" + id + "`",
                "give each node its own id in Agent Builder."));
        if (!(graph.nodes.get(graph.start) instanceof AbNode.Start)) {
            cx.error("workflow", "`start_node_id` `" + graph.start + "` is not a Start node", "add a Start node.");
        }
        state(input, cx);
        inputSchema(input, cx);
        AbAgents agents = new AbAgents(cx);
        AbFlowNodes flow = new AbFlowNodes(cx);
        AbToolNodes toolNodes = new AbToolNodes(cx, new AbTools(cx));
        AbEnds ends = new AbEnds(cx, flow);
        for (AbNode n : graph.nodes.values()) {
            switch (n) {
                case AbNode.Start s -> cx.node(cx.pid(s.id()), "start", s.label());
                case AbNode.Agent a -> agents.convert(a);
                case AbNode.IfElse x -> flow.ifElse(x);
                case AbNode.While w -> flow.loop(w);
                case AbNode.Approval u -> flow.approval(u);
                case AbNode.SetState s -> flow.setState(s);
                case AbNode.Transform t -> flow.transform(t);
                case AbNode.Guardrails g -> toolNodes.guardrails(g);
                case AbNode.FileSearch f -> toolNodes.fileSearch(f);
                case AbNode.Mcp m -> toolNodes.mcp(m);
                case AbNode.Note note -> toolNodes.note(note);
                case AbNode.End e -> ends.end(e);
                case AbNode.Unsupported u -> cx.error(u.id(), "node type `" + u.type() + "` has no Parley equivalent",
                        "rebuild this step with the node types in docs/workflows.md, or remove it in Agent Builder.");
            }
        }
        Set<String> connected = edges(cx);
        dangling(cx, ends, connected);
        unseenAnswers(cx, ends);

        ObjectNode doc = cx.json.objectNode();
        doc.put("id", workflowId(input, cx));
        doc.put("name", input.path("name").asText(input.path("label").asText("Imported workflow")));
        String version = input.path("version").isValueNode() ? input.path("version").asText() : null;
        doc.put("description", "Imported from Agent Builder" + (version == null ? "" : " (version " + version + ")") + ".");
        if (version != null) {
            cx.note("workflow", "Agent Builder version `" + version + "` is recorded in the description; Parley numbers "
                    + "versions itself (1, 2, …) each time the workflow is published");
        }
        ObjectNode state = doc.putObject("state");
        cx.state.forEach(state::set);
        doc.set("nodes", cx.nodes);
        doc.set("edges", cx.edges);
        return doc;
    }

    private static String workflowId(JsonNode input, AbContext cx) {
        String id = input.path("id").asText("");
        if (id.startsWith("wf_") && id.matches("[A-Za-z0-9_-]+")) return id;
        String made = "wf_" + (id.isEmpty() ? input.path("name").asText("imported") : id)
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        cx.note("workflow", "the workflow id " + (id.isEmpty() ? "is missing" : "`" + id + "` does not start with `wf_`")
                + "; it is `" + made + "`");
        return made;
    }

    /** Declared state: the JSON schema of each variable, with its default from {@code state_vars}. */
    private static void state(JsonNode input, AbContext cx) {
        input.path("state_variable_json_schema").path("properties").properties()
                .forEach(p -> cx.state.put(p.getKey(), p.getValue().deepCopy()));
        for (JsonNode v : input.path("state_vars")) {
            String name = v.path("name").asText(v.path("id").asText(""));
            if (name.isEmpty()) continue;
            ObjectNode schema = (ObjectNode) cx.state.computeIfAbsent(name, k -> typeOf(v.get("default"), cx));
            if (v.has("default") && !schema.has("default")) schema.set("default", v.get("default"));
        }
    }

    private static ObjectNode typeOf(JsonNode value, AbContext cx) {
        ObjectNode schema = cx.json.objectNode();
        if (value == null || value.isNull()) return schema;
        String type = value.isTextual() ? "string" : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number"
                : value.isBoolean() ? "boolean" : value.isArray() ? "array" : "object";
        return schema.put("type", type);
    }

    private static void inputSchema(JsonNode input, AbContext cx) {
        List<String> extra = new ArrayList<>();
        input.path("input_variable_json_schema").path("properties").fieldNames().forEachRemaining(f -> {
            if (!f.equals("input_as_text")) extra.add(f);
        });
        if (!extra.isEmpty()) {
            cx.warning("workflow", "the workflow input has fields " + String.join(", ", extra.stream()
                            .map(f -> "`" + f + "`").toList()) + " besides `input_as_text`; a Parley run's input is the "
                            + "user's message only, so `workflow." + extra.get(0) + "` does not exist",
                    "read such values from state variables, or from the message.");
        }
    }

    /** Writes Agent Builder's edges as Parley edges; {@return "node, branch" keys of the outputs connected} */
    private static Set<String> edges(AbContext cx) {
        Set<String> connected = new HashSet<>();
        for (AbGraph.Edge e : cx.graph.edges) {
            AbNode from = cx.graph.nodes.get(e.from());
            AbNode to = cx.graph.nodes.get(e.to());
            if (from == null || to == null) {
                String missing = from == null ? e.from() : e.to();
                cx.error(from == null ? "workflow" : from.id(), "an edge " + (from == null ? "starts" : "ends")
                        + " at `" + missing + "`, which is not a node", "reconnect it in Agent Builder.");
                continue;
            }
            if (from instanceof AbNode.Unsupported || to instanceof AbNode.Unsupported) continue;
            String branch;
            if (e.port().equals(AbGraph.BODY)) {
                branch = "body";
            } else {
                Map<String, String> ports = ports(cx, from);
                if (!ports.containsKey(e.port()) && ports.size() != 1) {
                    cx.error(from.id(), "an edge leaves port `" + e.port() + "`, which " + cx.name(from) + " does not "
                            + "have (it has " + (ports.isEmpty() ? "none" : String.join(", ", ports.keySet())) + ")",
                            "reconnect it in Agent Builder.");
                    continue;
                }
                branch = ports.containsKey(e.port()) ? ports.get(e.port()) : ports.values().iterator().next();
                if (AbContext.DROPPED.equals(branch)) {
                    cx.warning(from.id(), "the edge from its `" + e.port() + "` port to " + cx.name(to) + " is "
                            + "dropped: that port is never taken", null);
                    continue;
                }
            }
            cx.edge(cx.pid(from.id()), cx.pid(to.id()), branch);
            connected.add(from.id() + "\u0000" + branch);
        }
        return connected;
    }

    /** {@return a node's output ports → Parley branch (null for a single output), in port order} */
    private static Map<String, String> ports(AbContext cx, AbNode n) {
        Map<String, String> named = cx.branches.get(n.id());
        if (named != null) return named;
        Map<String, String> out = new LinkedHashMap<>();
        n.outputs().forEach(p -> out.put(p.abPort(), p.branch()));
        return out;
    }

    /** Closes every output that leads nowhere: back to its loop inside a While body, else with an End. */
    private static void dangling(AbContext cx, AbEnds ends, Set<String> connected) {
        for (String id : cx.graph.reachable()) {
            AbNode n = cx.graph.nodes.get(id);
            if (n instanceof AbNode.While w && w.bodyStart() == null) emptyBody(cx, w);
            for (String branch : new java.util.LinkedHashSet<>(ports(cx, n).values())) {
                if (AbContext.DROPPED.equals(branch) || connected.contains(id + "\u0000" + branch)) continue;
                String loop = cx.graph.loopOf.get(id);
                if (n instanceof AbNode.Guardrails g && "fail".equals(branch)) {
                    ends.blocked(g);
                } else if (loop != null) {
                    cx.edge(cx.pid(id), cx.pid(loop), branch);
                    cx.note(id, (branch == null ? "its output" : "its `" + branch + "` branch") + " is the end of the "
                            + "body of loop `" + cx.pid(loop) + "`, so it leads back to the loop");
                } else {
                    ends.after(n, branch);
                }
            }
        }
    }

    /** Agent Builder shows every visible agent's answer as it runs; Parley shows only the End's message. */
    private static void unseenAnswers(AbContext cx, AbEnds ends) {
        for (String id : cx.graph.reachable()) {
            if (!(cx.graph.nodes.get(id) instanceof AbNode.Agent a) || ends.shown.contains(cx.pid(id))
                    || !a.config().path("user_visible").asBoolean(true)) {
                continue;
            }
            cx.warning(id, "Agent Builder shows this agent's answer in the chat as it runs; Parley shows one reply per "
                            + "turn, an End's `message`, and no End replies with this agent's answer",
                    "if the user should read it, map `" + cx.pid(id) + (a.structured() ? ".output_parsed.<field>"
                            : ".output_text") + "` into the `message` of the End that follows it.");
        }
    }

    private static void emptyBody(AbContext cx, AbNode.While w) {
        String body = cx.fresh(cx.pid(w.id()) + "_body", w.id());
        cx.node(body, "set_state", "Empty loop body").putArray("assignments");
        cx.edge(cx.pid(w.id()), body, "body");
        cx.edge(body, cx.pid(w.id()), null);
        cx.warning(w.id(), "the loop's body is empty, so it either never runs or repeats without effect until its "
                        + "limit; Parley needs a body, so the import puts in `" + body + "`, which does nothing",
                "put the steps to repeat in the body, or remove the loop.");
    }

    /** Parses and type-checks the document as a publish would, reporting each problem at its Agent Builder node. */
    private static void validate(ObjectNode doc, AbContext cx) {
        Workflow wf;
        try {
            wf = WorkflowParser.parse(doc);
        } catch (WorkflowFormatException e) {
            e.problems().forEach(p -> cx.error(cx.source(p.nodeId()), p.message(), p.fix()));
            return;
        }
        ValidationReport report = WorkflowValidator.compile(wf).report();
        for (Problem p : report.errors()) cx.error(cx.source(p.nodeId()), p.message(), p.fix());
        for (Problem p : report.warnings()) cx.warning(cx.source(p.nodeId()), p.message(), p.fix());
    }

    private static ImportResult refused(String message, String fix) {
        return new ImportResult(null, new ImportReport.Builder().error("workflow", message, fix).build());
    }
}
