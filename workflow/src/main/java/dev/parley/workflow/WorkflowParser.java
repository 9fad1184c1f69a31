package dev.parley.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the JSON workflow format (see docs/workflows.md) into a {@link Workflow}. It reports every structural problem
 * at once so an editor can show them together; semantic checks belong to the validator.
 */
public final class WorkflowParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VAR_REF = Pattern.compile("__VAR__.+?__ENDVAR__");

    private final List<Problem> problems = new ArrayList<>();

    private WorkflowParser() {}

    public static Workflow parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new WorkflowFormatException(List.of(Problem.at(null, null,
                    "the document is not valid JSON: " + e.getOriginalMessage(), at == null ? "fix the JSON syntax."
                            : "fix the JSON syntax at line " + at.getLineNr() + ", column " + at.getColumnNr() + ".")));
        }
    }

    public static Workflow parse(InputStream in) {
        try (in) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Workflow parse(JsonNode root) {
        return new WorkflowParser().read(root);
    }

    /** Loads a workflow from the classpath, e.g. {@code workflows/seed-agency.json}. */
    public static Workflow fromResource(String path) {
        InputStream in = WorkflowParser.class.getClassLoader().getResourceAsStream(path);
        if (in == null) throw new IllegalArgumentException("no resource " + path);
        return parse(in);
    }

    private Workflow read(JsonNode root) {
        if (root == null || !root.isObject()) {
            fail(null, null, "the document must be a JSON object", "start from the example in docs/workflows.md.");
            throw new WorkflowFormatException(problems);
        }
        String id = text(root, null, "id", true);
        if (id != null && !id.startsWith("wf_")) {
            fail(null, "id", "workflow id `" + id + "` must start with `wf_`", "rename it to `wf_" + id + "`.");
        }
        String name = text(root, null, "name", true);
        String description = text(root, null, "description", false);
        Integer version = root.hasNonNull("version") ? root.get("version").asInt() : null;
        List<StateVariable> state = readState(root.get("state"));
        List<Node> nodes = new ArrayList<>();
        JsonNode nodesJson = root.get("nodes");
        if (nodesJson == null || !nodesJson.isArray()) {
            fail(null, "nodes", "`nodes` is missing or not an array", "add `\"nodes\": [ … ]` with at least a start and an end node.");
        } else {
            for (int i = 0; i < nodesJson.size(); i++) {
                Node node = readNode(nodesJson.get(i), i);
                if (node != null) nodes.add(node);
            }
        }
        List<Edge> edges = new ArrayList<>();
        JsonNode edgesJson = root.get("edges");
        if (edgesJson == null || !edgesJson.isArray()) {
            fail(null, "edges", "`edges` is missing or not an array", "add `\"edges\": [ {\"from\": …, \"to\": …} ]`.");
        } else {
            for (int i = 0; i < edgesJson.size(); i++) {
                JsonNode e = edgesJson.get(i);
                String field = "edges[" + i + "]";
                if (!e.isObject()) {
                    fail(null, field, "an edge must be an object", "write `{\"from\": \"a\", \"to\": \"b\"}`.");
                    continue;
                }
                String from = text(e, null, field + ".from", "from", true);
                String to = text(e, null, field + ".to", "to", true);
                String branch = text(e, null, field + ".branch", "branch", false);
                if (from != null && to != null) edges.add(new Edge(from, to, branch));
            }
        }
        if (!problems.isEmpty()) {
            throw new WorkflowFormatException(problems, id == null || name == null || nodesJson == null
                    || !nodesJson.isArray() ? null : readable(id, name, description, version, state, nodesJson, nodes, edges));
        }
        return new Workflow(id, name, description, version, state, nodes, edges);
    }

    /**
     * {@return the workflow with each node that has a problem replaced by a stand-in that fits anywhere in the graph
     * (a transform of {@code null}), so that checking the rest finds the document's other mistakes and not the
     * consequences of these}
     */
    private List<Node> placeholders(JsonNode nodesJson, List<Node> nodes) {
        java.util.Set<String> broken = new java.util.HashSet<>();
        problems.forEach(p -> broken.add(p.nodeId()));
        java.util.Map<String, Node> read = new java.util.HashMap<>();
        nodes.forEach(n -> read.put(n.id(), n));
        List<Node> out = new ArrayList<>();
        for (JsonNode json : nodesJson) {
            String nodeId = json != null && json.hasNonNull("id") ? json.get("id").asText() : null;
            if (nodeId == null) continue;
            Node n = read.get(nodeId);
            out.add(n != null && !broken.contains(nodeId) ? n : new Node.Transform(nodeId, null, "null", null));
        }
        return out;
    }

    private Workflow readable(String id, String name, String description, Integer version, List<StateVariable> state,
            JsonNode nodesJson, List<Node> nodes, List<Edge> edges) {
        try {
            return new Workflow(id, name, description, version, state, placeholders(nodesJson, nodes), edges);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<StateVariable> readState(JsonNode json) {
        List<StateVariable> vars = new ArrayList<>();
        if (json == null || json.isNull()) return vars;
        if (!json.isObject()) {
            fail(null, "state", "`state` must be an object of variable name → JSON schema",
                    "write `\"state\": {\"attempts\": {\"type\": \"integer\", \"default\": 0}}`.");
            return vars;
        }
        json.properties().forEach(entry -> {
            JsonNode schema = entry.getValue();
            if (!schema.isObject()) {
                fail(null, "state." + entry.getKey(), "a state variable must be declared with a JSON schema object",
                        "write `{\"type\": \"string\"}` (add `\"default\"` for an initial value).");
                return;
            }
            JsonNode def = schema.get("default");
            ObjectNode typeOnly = ((ObjectNode) schema).deepCopy();
            typeOnly.remove("default");
            vars.add(new StateVariable(entry.getKey(), typeOnly, def));
        });
        return vars;
    }

    private Node readNode(JsonNode json, int index) {
        if (json == null || !json.isObject()) {
            fail(null, "nodes[" + index + "]", "a node must be an object", "write `{\"id\": …, \"type\": …}`.");
            return null;
        }
        String id = json.hasNonNull("id") ? json.get("id").asText() : null;
        if (id == null) {
            fail(null, "nodes[" + index + "].id", "node #" + index + " has no `id`",
                    "give it an id such as `my_agent` (letters, digits and `_`).");
            return null;
        }
        String type = json.hasNonNull("type") ? json.get("type").asText() : null;
        if (type == null) {
            fail(id, "type", "the node has no `type`", "set `type` to one of " + String.join(", ", Node.TYPES) + ".");
            return null;
        }
        String label = text(json, id, "label", false);
        return switch (type) {
            case "start" -> new Node.Start(id, label);
            case "agent" -> new Node.Agent(id, label, text(json, id, "instructions", false), text(json, id, "model", false),
                    settings(json, id), text(json, id, "user_prompt", false), bool(json, "include_chat_history"),
                    outputFormat(json, id), new ToolsParser(problems).tools(json, id));
            case "classifier" -> new Node.Classifier(id, label, text(json, id, "instructions", false),
                    text(json, id, "model", false), settings(json, id), text(json, id, "input", false),
                    bool(json, "include_chat_history"), categories(json, id));
            case "if_else" -> new Node.IfElse(id, label, conditions(json, id));
            case "end" -> end(json, id, label);
            case "transform" -> new Node.Transform(id, label, text(json, id, "expression", true),
                    objectOrNull(json, id, "output_schema"));
            case "set_state" -> new Node.SetState(id, label, assignments(json, id));
            case "while" -> new Node.While(id, label, text(json, id, "condition", true),
                    json.hasNonNull("max_iterations") ? json.get("max_iterations").asInt() : null);
            case "user_approval" -> new Node.UserApproval(id, label, text(json, id, "message", true));
            case "guardrails" -> new Node.Guardrails(id, label, text(json, id, "input", false), checks(json, id));
            case "file_search" -> new ToolsParser(problems).fileSearchNode(json, id, label);
            case "mcp" -> new ToolsParser(problems).mcpNode(json, id, label);
            case "note" -> new Node.Note(id, label, text(json, id, "text", false));
            default -> {
                fail(id, "type", "unknown node type `" + type + "`",
                        "use one of " + String.join(", ", Node.TYPES) + ".");
                yield null;
            }
        };
    }

    private ModelSettings settings(JsonNode json, String id) {
        JsonNode s = json.get("model_settings");
        if (s == null || s.isNull()) return ModelSettings.DEFAULTS;
        if (!s.isObject()) {
            fail(id, "model_settings", "`model_settings` must be an object",
                    "write `{\"temperature\": 0.2}` or `{\"reasoning_effort\": \"low\"}`.");
            return ModelSettings.DEFAULTS;
        }
        String effort = text(s, id, "model_settings.reasoning_effort", "reasoning_effort", false);
        if (effort != null && !List.of("minimal", "low", "medium", "high").contains(effort)) {
            fail(id, "model_settings.reasoning_effort", "unknown reasoning effort `" + effort + "`",
                    "use minimal, low, medium or high.");
        }
        return new ModelSettings(s.hasNonNull("temperature") ? s.get("temperature").asDouble() : null,
                s.hasNonNull("top_p") ? s.get("top_p").asDouble() : null,
                s.hasNonNull("max_output_tokens") ? s.get("max_output_tokens").asInt() : null, effort);
    }

    private OutputFormat outputFormat(JsonNode json, String id) {
        String format = text(json, id, "output_format", false);
        JsonNode widget = json.get("widget");
        if (widget != null && !widget.isNull() && !widget.isObject()) {
            fail(id, "widget", "`widget` must be a widget tree (a JSON object)",
                    "write `{\"type\": \"Card\", \"children\": [{\"type\": \"Text\", \"value\": \"{{ summary }}\"}]}`.");
            widget = null;
        } else if (widget != null && widget.isNull()) {
            widget = null;
        }
        if (widget != null && !"json_schema".equals(format)) {
            fail(id, "widget", "a widget is filled from the agent's structured output, but `output_format` is not "
                            + "`json_schema`",
                    "set `\"output_format\": \"json_schema\"` and an `output_schema` with the values the widget shows.");
        }
        if (format == null || format.equals("text")) return OutputFormat.TEXT;
        if (!format.equals("json_schema")) {
            fail(id, "output_format", "unknown output format `" + format + "`", "use `text` or `json_schema`.");
            return OutputFormat.TEXT;
        }
        JsonNode schema = objectOrNull(json, id, "output_schema");
        if (schema == null) {
            fail(id, "output_schema", "`output_format` is `json_schema` but `output_schema` is missing",
                    "add `\"output_schema\": {\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\"}}}`.");
        }
        return new OutputFormat(OutputFormat.Kind.JSON_SCHEMA, text(json, id, "output_schema_name", false), schema, widget);
    }

    private List<Node.Category> categories(JsonNode json, String id) {
        List<Node.Category> result = new ArrayList<>();
        JsonNode cats = json.get("categories");
        if (cats == null || !cats.isArray() || cats.isEmpty()) {
            fail(id, "categories", "a classifier needs a non-empty `categories` array",
                    "add `[{\"name\": \"billing\", \"description\": \"…\", \"examples\": [\"…\"]}]`.");
            return result;
        }
        for (int i = 0; i < cats.size(); i++) {
            JsonNode c = cats.get(i);
            String field = "categories[" + i + "]";
            String name = text(c, id, field + ".name", "name", true);
            List<String> examples = new ArrayList<>();
            if (c.has("examples")) c.get("examples").forEach(e -> examples.add(e.asText()));
            if (name != null) result.add(new Node.Category(name, text(c, id, field + ".description", "description", false),
                    List.copyOf(examples)));
        }
        return result;
    }

    private List<Node.Condition> conditions(JsonNode json, String id) {
        List<Node.Condition> result = new ArrayList<>();
        JsonNode conds = json.get("conditions");
        if (conds == null || !conds.isArray() || conds.isEmpty()) {
            fail(id, "conditions", "an if_else needs a non-empty `conditions` array",
                    "add `[{\"id\": \"is_billing\", \"expression\": \"classify.output_parsed.category == 'billing'\"}]`.");
            return result;
        }
        for (int i = 0; i < conds.size(); i++) {
            JsonNode c = conds.get(i);
            String cid = text(c, id, "conditions[" + i + "].id", "id", true);
            String expr = text(c, id, "conditions[" + i + "].expression", "expression", true);
            if (cid != null && expr != null) result.add(new Node.Condition(cid, expr));
        }
        return result;
    }

    private List<Node.Assignment> assignments(JsonNode json, String id) {
        List<Node.Assignment> result = new ArrayList<>();
        JsonNode list = json.get("assignments");
        if (list == null || !list.isArray()) {
            fail(id, "assignments", "a set_state node needs an `assignments` array",
                    "add `[{\"variable\": \"attempts\", \"expression\": \"state.attempts + 1\"}]`.");
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            String var = text(list.get(i), id, "assignments[" + i + "].variable", "variable", true);
            String expr = text(list.get(i), id, "assignments[" + i + "].expression", "expression", true);
            if (var != null && expr != null) result.add(new Node.Assignment(var, expr));
        }
        return result;
    }

    private List<Node.GuardrailCheck> checks(JsonNode json, String id) {
        List<Node.GuardrailCheck> result = new ArrayList<>();
        JsonNode list = json.get("checks");
        if (list == null || !list.isArray() || list.isEmpty()) {
            fail(id, "checks", "a guardrails node needs a non-empty `checks` array",
                    "add `[{\"kind\": \"jailbreak\"}]`; kinds: " + String.join(", ", Node.GuardrailCheck.KINDS) + ".");
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            String kind = text(list.get(i), id, "checks[" + i + "].kind", "kind", true);
            if (kind != null && !Node.GuardrailCheck.KINDS.contains(kind)) {
                fail(id, "checks[" + i + "].kind", "unknown guardrail kind `" + kind + "`",
                        "use one of " + String.join(", ", Node.GuardrailCheck.KINDS) + ".");
            }
            if (kind != null) result.add(new Node.GuardrailCheck(kind, list.get(i)));
        }
        return result;
    }

    /**
     * Agent Builder keeps End mappings in each property's {@code default}; we accept that form and the explicit
     * {@code values} map, preferring {@code values} when both name a property.
     */
    private Node end(JsonNode json, String id, String label) {
        JsonNode schema = objectOrNull(json, id, "schema");
        if (schema == null) {
            fail(id, "schema", "an end node needs `schema`, the JSON schema of the workflow's result",
                    "add `{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\"}}, \"required\": [\"message\"]}`.");
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode props = schema.get("properties");
        if (props != null && props.isObject()) {
            props.properties().forEach(p -> {
                JsonNode def = p.getValue().get("default");
                if (def != null && def.isTextual() && VAR_REF.matcher(def.asText()).find()) {
                    values.put(p.getKey(), def.asText());
                }
            });
        }
        JsonNode vals = json.get("values");
        if (vals != null && !vals.isNull()) {
            if (!vals.isObject()) {
                fail(id, "values", "`values` must map each output property to a CEL expression",
                        "write `{\"message\": \"my_agent.output_text\"}`.");
            } else {
                vals.properties().forEach(p -> {
                    if (p.getValue().isTextual()) values.put(p.getKey(), p.getValue().asText());
                    else fail(id, "values." + p.getKey(), "the value must be a string holding a CEL expression",
                            "quote literal text inside the expression, e.g. `\"'Sorry, I can only help with projects.'\"`.");
                });
            }
        }
        return new Node.End(id, label, schema, values);
    }

    private JsonNode objectOrNull(JsonNode json, String id, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) {
            fail(id, field, "`" + field + "` must be a JSON schema object", "write `{\"type\": \"object\", …}`.");
            return null;
        }
        return v;
    }

    private static boolean bool(JsonNode json, String field) {
        return json.hasNonNull(field) && json.get(field).asBoolean();
    }

    private String text(JsonNode json, String nodeId, String field, boolean required) {
        return text(json, nodeId, field, field, required);
    }

    private String text(JsonNode json, String nodeId, String path, String field, boolean required) {
        JsonNode v = json == null ? null : json.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                fail(nodeId, path, "required field `" + field + "` is missing",
                        "add `\"" + field + "\"`" + (nodeId == null ? "" : " to node `" + nodeId + "`") + ".");
            }
            return null;
        }
        if (!v.isTextual()) {
            fail(nodeId, path, "`" + field + "` must be a string", "quote the value.");
            return null;
        }
        return v.asText();
    }

    private void fail(String nodeId, String field, String description, String fix) {
        problems.add(Problem.at(nodeId, field, description, fix));
    }
}
