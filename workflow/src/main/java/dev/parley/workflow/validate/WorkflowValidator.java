package dev.parley.workflow.validate;

import static dev.parley.workflow.validate.ExpressionChecker.list;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.parley.workflow.CompiledWorkflow;
import dev.parley.workflow.Deployment;
import dev.parley.workflow.Node;
import dev.parley.workflow.NodeOutputs;
import dev.parley.workflow.Problem;
import dev.parley.workflow.StateVariable;
import dev.parley.workflow.ValidationReport;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.expr.Templates;
import dev.parley.workflow.expr.TypeRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Publish-time validation: graph rules, embedded JSON schemas, and a type check of every CEL expression, template
 * path and End mapping against what each node can see; given a {@link Deployment}, also whether the server can run
 * the workflow's tools. Errors refuse the publish; warnings flag risky but legal patterns. {@link #compile} also
 * keeps the checked ASTs for the runtime.
 */
public final class WorkflowValidator {
    private final Workflow wf;
    private final Deployment deployment;
    private final Problems problems = new Problems();
    private final Graph graph;
    private final Map<String, Map<String, CelAbstractSyntaxTree>> expressions = new LinkedHashMap<>();
    private final Map<String, Map<String, CompiledWorkflow.Template>> templates = new LinkedHashMap<>();
    private ExpressionChecker checker;

    private WorkflowValidator(Workflow wf, Deployment deployment) {
        this.wf = wf;
        this.deployment = deployment;
        this.graph = new Graph(wf);
    }

    /** {@return the errors and warnings of the document alone, as {@link #compile(Workflow)} finds them} */
    public static ValidationReport validate(Workflow wf) {
        return compile(wf).report();
    }

    /** {@return the errors and warnings for running {@code wf} on {@code deployment}} */
    public static ValidationReport validate(Workflow wf, Deployment deployment) {
        return compile(wf, deployment).report();
    }

    /**
     * Checks the document alone and keeps the checked expressions, for where no server exists (an editor, a
     * linter). A server publishes and runs with {@link #compile(Workflow, Deployment)}, so that its settings are
     * checked too; the runtime should only run workflows whose report is ok.
     */
    public static CompiledWorkflow compile(Workflow wf) {
        return new WorkflowValidator(wf, null).run();
    }

    /**
     * As {@link #compile(Workflow)}, and checks the workflow's tools against the server it will run on: webhook
     * hosts, knowledge base ids, the environment variables MCP headers name, and what the model provider can run.
     */
    public static CompiledWorkflow compile(Workflow wf, Deployment deployment) {
        return new WorkflowValidator(wf, Objects.requireNonNull(deployment, "deployment")).run();
    }

    private CompiledWorkflow run() {
        new GraphRules(wf, graph, problems).check();
        schemas();
        for (Node n : graph.nodes.values()) {
            if (n instanceof Node.Classifier c) categories(c);
        }
        if (graph.start != null) {
            checker = new ExpressionChecker(graph, new TypeEnvironment(wf, graph), problems);
            // Unreachable nodes already have an error and no scope to check in.
            for (String id : graph.reachable) checkNode(graph.nodes.get(id));
        }
        if (deployment != null) {
            var rules = new DeploymentRules(deployment, problems);
            for (Node n : graph.nodes.values()) rules.check(n);
        }
        return new CompiledWorkflow(wf, new ValidationReport(problems.errors(), problems.warnings()), expressions, templates);
    }

    // --- schemas ----------------------------------------------------------------------------------------------

    private void schemas() {
        for (StateVariable v : wf.state()) metaCheck(null, "state." + v.name(), v.schema());
        for (Node n : graph.nodes.values()) {
            switch (n) {
                case Node.Agent a when a.output().structured() && a.output().schema() != null -> {
                    if (metaCheck(a.id(), "output_schema", a.output().schema())) {
                        objectRoot(a.id(), "output_schema", a.output().schema());
                    }
                }
                case Node.Transform t when t.outputSchema() != null -> metaCheck(t.id(), "output_schema", t.outputSchema());
                case Node.End e -> {
                    if (metaCheck(e.id(), "schema", e.schema())) objectRoot(e.id(), "schema", e.schema());
                }
                default -> { }
            }
        }
    }

    private boolean metaCheck(String nodeId, String field, JsonNode schema) {
        List<String> violations = SchemaCheck.violations(schema);
        for (String v : violations) {
            error(nodeId, field, "not a valid JSON Schema (2020-12): " + v,
                    "types are string, number, integer, boolean, object, array and null; see json-schema.org.");
        }
        return violations.isEmpty();
    }

    private void objectRoot(String nodeId, String field, JsonNode schema) {
        JsonNode props = schema.get("properties");
        if (!"object".equals(TypeRegistry.schemaType(schema)) || props == null || !props.isObject() || props.isEmpty()) {
            error(nodeId, field, "the schema must describe an object with `properties`, so its fields can be referenced",
                    "wrap it: `{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\"}}, \"required\": [\"message\"]}`.");
        }
    }

    private void categories(Node.Classifier c) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < c.categories().size(); i++) {
            Node.Category cat = c.categories().get(i);
            String field = "categories[" + i + "]";
            if (!seen.add(cat.name())) {
                error(c.id(), field + ".name", "category `" + cat.name() + "` is listed twice", "merge the two categories.");
            }
            if (cat.examples().isEmpty()) {
                warning(c.id(), field + ".examples", "category `" + cat.name() + "` has no example messages; "
                        + "classification is less reliable without them", "add two or three typical user messages.");
            }
        }
        if (c.categories().size() == 1) {
            warning(c.id(), "categories", "a classifier with one category always picks it",
                    "add the other categories, or remove the classifier.");
        }
    }

    // --- per node ---------------------------------------------------------------------------------------------

    private void checkNode(Node n) {
        switch (n) {
            case Node.Agent a -> {
                template(a, "instructions", a.instructions());
                template(a, "user_prompt", a.userPrompt());
                new ToolRules(problems).check(a);
                new WidgetTemplateRules(this).check(a);
            }
            case Node.Classifier c -> {
                template(c, "instructions", c.instructions());
                template(c, "input", c.input());
            }
            case Node.IfElse ie -> {
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < ie.conditions().size(); i++) {
                    var cond = ie.conditions().get(i);
                    String field = "conditions[" + i + "]";
                    if (cond.id().equals("else") || !ids.add(cond.id())) {
                        error(ie.id(), field + ".id", "condition id `" + cond.id() + "` is "
                                        + (cond.id().equals("else") ? "reserved for the else branch" : "used twice"),
                                "give each condition its own id; edges use it as their `branch`.");
                    }
                    expression(ie, field + ".expression", cond.expression(), SimpleType.BOOL);
                }
            }
            case Node.While w -> expression(w, "condition", w.condition(), SimpleType.BOOL);
            case Node.Transform t -> {
                var ast = expression(t, "expression", t.expression(), null);
                if (ast != null && t.outputSchema() != null) {
                    typeMatch(t, "expression", TypeRegistry.schemaType(t.outputSchema()), ast.getResultType(), t.expression());
                }
            }
            case Node.SetState s -> assignments(s);
            case Node.UserApproval u -> template(u, "message", u.message());
            case Node.Guardrails g -> {
                template(g, "input", g.input());
                for (int i = 0; i < g.checks().size(); i++) {
                    if (g.checks().get(i).kind().equals("hallucination")) {
                        error(g.id(), "checks[" + i + "].kind", "the `hallucination` check is not supported by this "
                                + "server yet (it needs reference documents to compare the answer with)",
                                "remove it, or use `pii`, `jailbreak` or `moderation`.");
                    }
                }
            }
            case Node.End e -> new EndRules(e).check();
            case Node.Start s -> { }
            case Node.FileSearch f -> new ToolNodeRules(this).check(f);
            case Node.Mcp m -> new ToolNodeRules(this).check(m);
            case Node.Note note -> { }
        }
    }

    private void assignments(Node.SetState s) {
        Map<String, StateVariable> declared = wf.stateByName();
        for (int i = 0; i < s.assignments().size(); i++) {
            var a = s.assignments().get(i);
            String field = "assignments[" + i + "]";
            StateVariable v = declared.get(a.variable());
            if (v == null) {
                var close = EditDistance.closest(a.variable(), declared.keySet());
                error(s.id(), field + ".variable", "`" + a.variable() + "` is not a declared state variable (declared: "
                                + (declared.isEmpty() ? "none" : list(declared.keySet())) + ")"
                                + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                        close.map(c -> "assign `" + c + "`.").orElse("declare it under `state` with a JSON schema type."));
            }
            var ast = expression(s, field + ".expression", a.expression(), null);
            if (ast != null && v != null) {
                typeMatch(s, field + ".expression", TypeRegistry.schemaType(v.schema()), ast.getResultType(), a.expression());
            }
        }
    }

    // --- expressions and templates ----------------------------------------------------------------------------

    CelAbstractSyntaxTree expression(Node n, String field, String source, CelType resultType) {
        var checked = checker.check(n, field, source, resultType);
        if (checked.ok()) expressions.computeIfAbsent(n.id(), k -> new LinkedHashMap<>()).put(field, checked.ast());
        return checked.ast();
    }

    ExpressionChecker.Checked checkRaw(Node n, String field, String source) {
        var checked = checker.check(n, field, source, null);
        if (checked.ok()) expressions.computeIfAbsent(n.id(), k -> new LinkedHashMap<>()).put(field, checked.ast());
        return checked;
    }

    void template(Node n, String field, String text) {
        if (text == null) return;
        List<Templates.Part> parts;
        try {
            parts = Templates.parse(text);
        } catch (Templates.TemplateException e) {
            error(n.id(), field, "template error: " + e.getMessage(), "write references as `{{ node.output_text }}`.");
            return;
        }
        List<CompiledWorkflow.Segment> segments = new ArrayList<>();
        boolean ok = true;
        for (Templates.Part part : parts) {
            if (!part.isExpression()) {
                segments.add(CompiledWorkflow.Segment.of(part, null));
                continue;
            }
            var checked = checker.check(n, field, part.expression(), null);
            ok &= checked.ok();
            segments.add(CompiledWorkflow.Segment.of(part, checked.ast()));
        }
        if (ok) templates.computeIfAbsent(n.id(), k -> new LinkedHashMap<>()).put(field, new CompiledWorkflow.Template(segments));
    }

    /** Reports when a checked CEL type cannot hold a value of the JSON schema type; {@code dyn} only warns. */
    void typeMatch(Node n, String field, String schemaType, CelType actual, String source) {
        if (schemaType == null) return;
        CelKind k = actual.kind();
        if (k == CelKind.DYN || k == CelKind.ANY) {
            warning(n.id(), field, "`" + source + "` has no static type (dyn), so it cannot be checked against the "
                    + "schema type " + schemaType, "reference a typed field, or convert it, e.g. `string(" + source + ")`.");
            return;
        }
        boolean ok = switch (schemaType) {
            case "string" -> k == CelKind.STRING;
            case "number" -> k == CelKind.DOUBLE || k == CelKind.INT || k == CelKind.UINT;
            case "integer" -> k == CelKind.INT || k == CelKind.UINT;
            case "boolean" -> k == CelKind.BOOL;
            case "object" -> k == CelKind.STRUCT || k == CelKind.MAP;
            case "array" -> k == CelKind.LIST;
            case "null" -> k == CelKind.NULL_TYPE;
            default -> true;
        };
        if (ok) return;
        String convert = switch (schemaType) {
            case "string" -> "convert it with `string(" + source + ")`, or map a string field";
            case "number" -> "convert it with `double(" + source + ")`, or map a number field";
            case "integer" -> "convert it with `int(" + source + ")`, or map an integer field";
            default -> "map a value of type " + schemaType + ", or change the schema type";
        };
        error(n.id(), field, "`" + source + "` is of type " + celTypeName(actual) + " but the schema says " + schemaType,
                convert + ".");
    }

    static String celTypeName(CelType t) {
        return switch (t.kind()) {
            case STRUCT -> "object";
            case DOUBLE -> "double (number)";
            case INT -> "int (integer)";
            default -> t.name();
        };
    }

    Graph graph() {
        return graph;
    }

    void error(String nodeId, String field, String description, String fix) {
        problems.error(Problem.at(nodeId, field, description, fix));
    }

    void warning(String nodeId, String field, String description, String fix) {
        problems.warning(Problem.at(nodeId, field, description, fix));
    }

    /** End-node rules, kept together because they share the mapping between schema properties and values. */
    private final class EndRules {
        private final Node.End end;

        EndRules(Node.End end) {
            this.end = end;
        }

        void check() {
            JsonNode props = end.schema().get("properties");
            Set<String> names = new java.util.LinkedHashSet<>();
            if (props != null && props.isObject()) props.fieldNames().forEachRemaining(names::add);
            if (!names.contains("message")) {
                warning(end.id(), "schema", "the schema has no `message` property; ChatKit shows `message` as the reply",
                        "add `\"message\": {\"type\": \"string\"}` mapped to the replying agent.");
            }
            end.values().forEach((prop, raw) -> value(prop, raw, names, props));
            JsonNode required = end.schema().get("required");
            if (required != null && required.isArray()) {
                for (JsonNode r : required) {
                    if (!end.values().containsKey(r.asText())) {
                        error(end.id(), "values." + r.asText(), "required property `" + r.asText() + "` has no value",
                                "map it, e.g. `\"" + r.asText() + "\": \"__VAR__my_agent.output_text__ENDVAR__\"`.");
                    }
                }
            }
        }

        private void value(String prop, String raw, Set<String> names, JsonNode props) {
            String field = "values." + prop;
            if (!names.contains(prop)) {
                error(end.id(), field, "the schema has no property `" + prop + "`",
                        "add `" + prop + "` to the schema's properties, or remove the value.");
                return;
            }
            String cel = Templates.endValueToCel(raw);
            if (cel == null) {
                error(end.id(), field, "`" + raw + "` mixes text with a `__VAR__…__ENDVAR__` reference",
                        "write one CEL expression instead, e.g. `\"Answer: \" + my_agent.output_text`.");
                return;
            }
            boolean varForm = Templates.hasVarReference(raw);
            var checked = checkRaw(end, field, cel);
            if (!checked.ok()) return;
            Resolution whole = checked.references().get(checked.ast().getExpr().id());
            for (Resolution r : checked.references().values()) {
                if (r.viaInput() && inputIsNotTheReply(field, r, varForm)) return;
            }
            if (whole != null && whole.isOutputText() && NodeOutputs.structured(whole.producer())) {
                structuredOutputText(field, whole, prop, varForm);
                return;
            }
            typeMatch(end, field, TypeRegistry.schemaType(props.get(prop)), checked.ast().getResultType(), cel);
        }

        /** The seed's first mistake: {@code input} at an End is whatever ran last, which may not be the reply. */
        private boolean inputIsNotTheReply(String field, Resolution r, boolean varForm) {
            Set<String> producers = graph.inputProducers(end.id());
            List<String> notAgents = producers.stream().filter(p -> !(graph.nodes.get(p) instanceof Node.Agent)).toList();
            if (notAgents.isEmpty()) return false;
            String what = String.join(" or ", notAgents.stream()
                    .map(p -> "`" + p + "` (" + describe(graph.nodes.get(p)) + ")").toList());
            String agent = graph.ancestors(end.id()).stream().filter(a -> graph.nodes.get(a) instanceof Node.Agent)
                    .reduce((a, b) -> b).orElse("my_agent");
            String suggested = agent + ".output_text";
            error(end.id(), field, "`" + r.path() + "`: in an End value, `input` is the output of the node that ran just "
                            + "before the End — here " + what + ", not the agent that writes the reply, so the chat would "
                            + "not get the agent's answer",
                    "map the replying agent by id: `" + (varForm ? "__VAR__" + suggested + "__ENDVAR__" : suggested)
                            + "`, or connect that agent directly before this End.");
            return true;
        }

        /** The seed's third mistake: {@code output_text} of a JSON node is the raw JSON, shown as "{" in the chat. */
        private void structuredOutputText(String field, Resolution r, String prop, boolean varForm) {
            JsonNode schema = NodeOutputs.schema(r.producer());
            List<String> props = ExpressionChecker.propertyNames(schema);
            String pick = props.contains(prop) ? prop : props.stream()
                    .filter(p -> "string".equals(TypeRegistry.schemaType(schema.get("properties").get(p))))
                    .findFirst().orElse(props.isEmpty() ? prop : props.get(0));
            String root = r.path().substring(0, r.path().indexOf('.'));
            String suggested = root + ".output_parsed." + pick;
            error(end.id(), field, "`" + r.path() + "`: `" + r.producer().id() + "` outputs structured JSON, so `output_text` "
                            + "is its raw JSON text (like `{\"" + (props.isEmpty() ? pick : props.get(0))
                            + "\": …}`) and the chat would show that JSON instead of a sentence",
                    "map `" + (varForm ? "__VAR__" + suggested + "__ENDVAR__" : suggested) + "`.");
        }

        private static String describe(Node n) {
            return switch (n) {
                case Node.Start s -> "the start node, i.e. the user's own message";
                case Node.Classifier c -> "a classifier, whose output is its JSON verdict";
                default -> "a " + n.type() + " node";
            };
        }
    }
}
