package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.parley.workflow.Node;
import dev.parley.workflow.NodeOutputs;
import dev.parley.workflow.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one CEL expression in one node's scope. Before handing it to the CEL checker it resolves every dotted
 * reference itself, because CEL's messages ("undeclared reference to 'x'") cannot say why a node is out of scope or
 * which field was meant. Only when those pass are CEL's own type errors reported.
 */
final class ExpressionChecker {
    private final Graph graph;
    private final TypeEnvironment env;
    private final Problems problems;

    /** The outcome: a checked AST (null on error) and what each reference resolved to, by expression id. */
    record Checked(CelAbstractSyntaxTree ast, Map<Long, Resolution> references) {
        boolean ok() {
            return ast != null;
        }
    }

    ExpressionChecker(Graph graph, TypeEnvironment env, Problems problems) {
        this.graph = graph;
        this.env = env;
        this.problems = problems;
    }

    Checked check(Node node, String field, String source, CelType resultType) {
        var compiler = env.compilerFor(node, resultType);
        CelValidationResult parsed = compiler.parse(source);
        if (parsed.hasError()) {
            // After the first syntax error the parser's recovery produces follow-on noise; one is enough.
            reportCel(node, field, source, parsed.getErrors().subList(0, 1));
            return new Checked(null, Map.of());
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = parsed.getAst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int before = problems.errorCount();
        Map<Long, Resolution> refs = new LinkedHashMap<>();
        walk(ast.getExpr(), node, field, collectLoopVars(ast.getExpr(), new HashSet<>()), refs);
        checkComparisons(ast.getExpr(), node, field, refs);
        if (problems.errorCount() > before) return new Checked(null, refs);
        CelValidationResult checked = compiler.check(ast);
        if (checked.hasError()) {
            reportCel(node, field, source, checked.getErrors());
            return new Checked(null, refs);
        }
        try {
            return new Checked(checked.getAst(), refs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- references -------------------------------------------------------------------------------------------

    private void walk(CelExpr e, Node node, String field, Set<String> loopVars, Map<Long, Resolution> refs) {
        switch (e.getKind()) {
            case IDENT, SELECT -> {
                List<String> path = new ArrayList<>();
                CelExpr at = e;
                while (at.getKind() == CelExpr.ExprKind.Kind.SELECT) {
                    path.add(0, at.select().field());
                    at = at.select().operand();
                }
                if (at.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                    path.add(0, at.ident().name());
                    if (!loopVars.contains(path.get(0))) {
                        resolve(path, node, field).ifPresent(r -> refs.put(e.id(), r));
                    }
                } else {
                    walk(at, node, field, loopVars, refs);
                }
            }
            case CALL -> {
                e.call().target().ifPresent(t -> walk(t, node, field, loopVars, refs));
                e.call().args().forEach(a -> walk(a, node, field, loopVars, refs));
            }
            case LIST -> e.list().elements().forEach(x -> walk(x, node, field, loopVars, refs));
            case MAP -> e.map().entries().forEach(x -> {
                walk(x.key(), node, field, loopVars, refs);
                walk(x.value(), node, field, loopVars, refs);
            });
            case STRUCT -> e.struct().entries().forEach(x -> walk(x.value(), node, field, loopVars, refs));
            case COMPREHENSION -> {
                var c = e.comprehension();
                for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                    walk(x, node, field, loopVars, refs);
                }
            }
            default -> { }
        }
    }

    private static Set<String> collectLoopVars(CelExpr e, Set<String> into) {
        if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            var c = e.comprehension();
            into.add(c.iterVar());
            if (!c.iterVar2().isEmpty()) into.add(c.iterVar2());
            into.add(c.accuVar());
            for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                collectLoopVars(x, into);
            }
        } else if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            e.call().target().ifPresent(t -> collectLoopVars(t, into));
            e.call().args().forEach(a -> collectLoopVars(a, into));
        } else if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            collectLoopVars(e.select().operand(), into);
        } else if (e.getKind() == CelExpr.ExprKind.Kind.LIST) {
            e.list().elements().forEach(x -> collectLoopVars(x, into));
        } else if (e.getKind() == CelExpr.ExprKind.Kind.MAP) {
            e.map().entries().forEach(x -> collectLoopVars(x.value(), into));
        }
        return into;
    }

    private Optional<Resolution> resolve(List<String> path, Node node, String field) {
        String root = path.get(0);
        String written = String.join(".", path);
        switch (root) {
            case "workflow", "sys" -> {
                List<String> fields = root.equals("workflow") ? TypeEnvironment.WORKFLOW_FIELDS : TypeEnvironment.SYS_FIELDS;
                if (path.size() > 1 && !fields.contains(path.get(1))) {
                    error(node, field, "`" + written + "`: `" + root + "` has no field `" + path.get(1) + "` (it has "
                            + list(fields) + ")", suggest(root, path.get(1), fields));
                    return Optional.empty();
                }
                return Optional.of(new Resolution(written, null, null, null, false));
            }
            case "state" -> {
                return resolveState(path, node, field, written);
            }
            case "input" -> {
                return resolveInput(path, node, field, written);
            }
            default -> { }
        }
        Node target = graph.nodes.get(root);
        if (target == null) {
            List<String> names = new ArrayList<>(graph.nodes.keySet());
            names.addAll(TypeEnvironment.NAMESPACES);
            Optional<String> close = EditDistance.closest(root, names);
            error(node, field, "`" + written + "` refers to `" + root + "`, which is neither a node of this workflow nor "
                    + "one of " + list(TypeEnvironment.NAMESPACES) + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                    close.map(c -> "write `" + c + written.substring(root.length()) + "`.")
                            .orElse("reference a node upstream of `" + node.id() + "`: " + upstreamList(node) + "."));
            return Optional.empty();
        }
        if (target.id().equals(node.id())) {
            error(node, field, "`" + written + "`: a node cannot read its own output",
                    "use `input` for the output of the node before `" + node.id() + "`.");
            return Optional.empty();
        }
        if (!target.producesOutput()) {
            error(node, field, "`" + written + "`: `" + root + "` is a " + target.type() + " node and has no output",
                    "read the node before it instead, or `input` (its input passes through).");
            return Optional.empty();
        }
        if (!graph.upstreamOnEveryPath(node.id()).contains(root)) {
            if (graph.ancestors(node.id()).contains(root)) {
                List<String> avoiding = graph.pathAvoiding(node.id(), root);
                error(node, field, "`" + root + "` is upstream of `" + node.id() + "` on only some paths: on the path "
                        + String.join(" → ", avoiding) + " it does not run, so `" + written + "` would not exist",
                        "reference a node that runs on every path to `" + node.id() + "` (" + upstreamList(node)
                                + "), or use `input`, the output of whichever node ran just before.");
            } else {
                error(node, field, "`" + root + "` is not upstream of `" + node.id() + "`: it runs after it or on another "
                        + "branch, so `" + written + "` does not exist yet",
                        "reference a node that runs before `" + node.id() + "` on every path: " + upstreamList(node) + ".");
            }
            return Optional.empty();
        }
        return resolveOutput(target, path.subList(1, path.size()), root, node, field, false);
    }

    private Optional<Resolution> resolveInput(List<String> path, Node node, String field, String written) {
        Set<String> producers = graph.inputProducers(node.id());
        if (producers.isEmpty()) {
            error(node, field, "`" + written + "`: nothing runs before `" + node.id() + "`, so there is no `input`",
                    "use `workflow.input_as_text` for the user's message.");
            return Optional.empty();
        }
        Resolution first = null;
        for (String p : producers) {
            // Resolve against every node that can run last; the first failure names the node it fails for.
            int before = problems.errorCount();
            var r = resolveOutput(graph.nodes.get(p), path.subList(1, path.size()), "input", node, field, true);
            if (problems.errorCount() > before) return Optional.empty();
            if (first == null) first = r.orElse(null);
        }
        return Optional.ofNullable(first);
    }

    private Optional<Resolution> resolveOutput(Node target, List<String> rest, String root, Node node, String field,
                                               boolean viaInput) {
        String written = root + (rest.isEmpty() ? "" : "." + String.join(".", rest));
        String who = viaInput ? "`input` (here the output of `" + target.id() + "`)" : "`" + target.id() + "`";
        boolean structured = NodeOutputs.structured(target);
        JsonNode schema = env.outputSchemas.get(target.id());
        if (rest.isEmpty()) return Optional.of(new Resolution(written, target, null, null, viaInput));
        String first = rest.get(0);
        if (first.equals("output_text")) {
            if (rest.size() > 1) {
                String seg = rest.get(1);
                boolean known = hasProperty(schema, seg);
                error(node, field, "`" + written + "`: `" + root + ".output_text` is a string (the text " + who
                                + " wrote), so it has no field `" + seg + "`",
                        structured && (known || schema == null)
                                ? "use `" + root + ".output_parsed." + String.join(".", rest.subList(1, rest.size())) + "`."
                                : "set `" + target.id() + "`'s output_format to json_schema with a `" + seg
                                        + "` property and read `" + root + ".output_parsed." + seg + "`.");
                return Optional.empty();
            }
            return Optional.of(new Resolution(written, target, "output_text", null, viaInput));
        }
        if (first.equals("output_parsed")) {
            if (!structured) {
                String seg = rest.size() > 1 ? rest.get(1) : "message";
                error(node, field, "`" + written + "`: " + who + " outputs text, so `" + root
                                + ".output_parsed` does not exist",
                        "use `" + root + ".output_text`, or set `" + target.id() + "`'s output_format to json_schema with a `"
                                + seg + "` property.");
                return Optional.empty();
            }
            JsonNode at = schema;
            String prefix = root + ".output_parsed";
            for (String seg : rest.subList(1, rest.size())) {
                JsonNode props = at == null ? null : at.get("properties");
                if (props == null || !props.isObject()) {
                    at = null; // an untyped object: anything goes, CEL treats it as dyn
                    break;
                }
                if (!props.has(seg)) {
                    List<String> names = new ArrayList<>();
                    props.fieldNames().forEachRemaining(names::add);
                    Optional<String> close = EditDistance.closest(seg, names);
                    String at0 = prefix;
                    error(node, field, "`" + written + "`: `" + prefix + "` has no property `" + seg + "` (" + who
                                    + " outputs " + list(names) + ")" + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                            close.map(c -> "write `" + at0 + "." + c + "`.")
                                    .orElse("use one of " + list(names) + ", or add `" + seg + "` to `" + target.id()
                                            + "`'s output schema."));
                    return Optional.empty();
                }
                at = props.get(seg);
                prefix = prefix + "." + seg;
            }
            return Optional.of(new Resolution(written, target, "output_parsed", at, viaInput));
        }
        String fix;
        if (viaInput && List.of("message", "text", "input_as_text", "query").contains(first)) {
            fix = "to use the user's message write `workflow.input_as_text`; `input` holds `" + target.id()
                    + "`'s output" + (structured ? " (`input.output_parsed` with " + list(propertyNames(schema)) + ")" : " (`input.output_text`)")
                    + ".";
        } else if (structured && hasProperty(schema, first)) {
            fix = "write `" + root + ".output_parsed." + String.join(".", rest) + "`.";
        } else {
            fix = structured ? "use `" + root + ".output_parsed.<property>` (" + list(propertyNames(schema)) + ") or `"
                    + root + ".output_text`." : "use `" + root + ".output_text`.";
        }
        error(node, field, "`" + written + "`: " + who + " has no field `" + first + "`; a node's output is `" + root
                + ".output_text` (its text) and, for JSON output, `" + root + ".output_parsed`", fix);
        return Optional.empty();
    }

    private Optional<Resolution> resolveState(List<String> path, Node node, String field, String written) {
        if (path.size() == 1) return Optional.of(new Resolution(written, null, null, null, false));
        String var = path.get(1);
        if (!env.stateTypes.containsKey(var)) {
            Optional<String> close = EditDistance.closest(var, env.stateTypes.keySet());
            error(node, field, "`" + written + "`: `" + var + "` is not a declared state variable (declared: "
                            + (env.stateTypes.isEmpty() ? "none" : list(env.stateTypes.keySet())) + ")"
                            + close.map(c -> "; did you mean `state." + c + "`?").orElse(""),
                    close.map(c -> "write `state." + c + "`.")
                            .orElse("declare it under `state`, e.g. `\"" + var + "\": {\"type\": \"string\"}`."));
            return Optional.empty();
        }
        return Optional.of(new Resolution(written, null, null, null, false));
    }

    // --- comparisons ------------------------------------------------------------------------------------------

    private void checkComparisons(CelExpr e, Node node, String field, Map<Long, Resolution> refs) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            var call = e.call();
            String fn = call.function();
            if ((fn.equals("_==_") || fn.equals("_!=_")) && call.args().size() == 2) {
                compare(call.args().get(0), call.args().get(1), node, field, refs);
                compare(call.args().get(1), call.args().get(0), node, field, refs);
            } else if (fn.equals("@in") && call.args().size() == 2
                    && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.LIST) {
                for (CelExpr item : call.args().get(1).list().elements()) compare(call.args().get(0), item, node, field, refs);
            }
            call.target().ifPresent(t -> checkComparisons(t, node, field, refs));
            call.args().forEach(a -> checkComparisons(a, node, field, refs));
        } else if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            var c = e.comprehension();
            for (CelExpr x : List.of(c.iterRange(), c.loopCondition(), c.loopStep(), c.result())) {
                checkComparisons(x, node, field, refs);
            }
        } else if (e.getKind() == CelExpr.ExprKind.Kind.LIST) {
            e.list().elements().forEach(x -> checkComparisons(x, node, field, refs));
        } else if (e.getKind() == CelExpr.ExprKind.Kind.MAP) {
            e.map().entries().forEach(x -> checkComparisons(x.value(), node, field, refs));
        }
    }

    private void compare(CelExpr ref, CelExpr literal, Node node, String field, Map<Long, Resolution> refs) {
        Resolution r = refs.get(ref.id());
        if (r == null || literal.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || literal.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            return;
        }
        String value = literal.constant().stringValue();
        String root = r.path().substring(0, r.path().indexOf('.') < 0 ? r.path().length() : r.path().indexOf('.'));
        if (r.isOutputText() && NodeOutputs.structured(r.producer())) {
            JsonNode schema = env.outputSchemas.get(r.producer().id());
            String prop = enumPropertyFor(schema, value);
            List<String> names = propertyNames(schema);
            String sample = names.isEmpty() ? "{…}" : "{\"" + names.get(0) + "\": …}";
            error(node, field, "`" + r.path() + "` is the whole JSON text of `" + r.producer().id()
                            + "`'s structured output (like `" + sample + "`), so comparing it with \"" + value
                            + "\" is never true",
                    prop != null ? "compare the parsed field: `" + root + ".output_parsed." + prop + " == \"" + value + "\"`."
                            : "compare a field of `" + root + ".output_parsed` (" + list(names) + ").");
            return;
        }
        if (r.isOutputText()) {
            problems.warning(Problem.at(node.id(), field, "`" + r.path() + "` is free text written by a model; an exact "
                            + "comparison with \"" + value + "\" rarely matches",
                    "route with a classifier node, or give `" + r.producer().id()
                            + "` a JSON schema output with an enum and compare `output_parsed`."));
            return;
        }
        JsonNode allowed = r.schema() == null ? null : r.schema().get("enum");
        if (allowed == null || !allowed.isArray()) return;
        List<String> values = new ArrayList<>();
        allowed.forEach(v -> values.add(v.asText()));
        if (values.contains(value)) return;
        Optional<String> close = EditDistance.closest(value, values);
        error(node, field, "\"" + value + "\" is not a value `" + r.path() + "` can take (allowed: " + list(values) + ")"
                        + close.map(c -> "; did you mean `" + c + "`?").orElse(""),
                close.map(c -> "write `" + r.path() + " == \"" + c + "\"`.")
                        .orElse("compare with one of " + list(values) + ", or add \"" + value + "\" to the enum."));
    }

    private static String enumPropertyFor(JsonNode schema, String value) {
        JsonNode props = schema == null ? null : schema.get("properties");
        if (props == null) return null;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (var p : (Iterable<Map.Entry<String, JsonNode>>) props.properties()::iterator) {
            JsonNode e = p.getValue().get("enum");
            if (e == null) continue;
            for (JsonNode v : e) {
                int d = EditDistance.distance(value, v.asText());
                if (d < bestDistance) {
                    best = p.getKey();
                    bestDistance = d;
                }
            }
        }
        return best;
    }

    // --- CEL's own errors -------------------------------------------------------------------------------------

    private void reportCel(Node node, String field, String source, List<CelIssue> issues) {
        for (CelIssue issue : issues) {
            String msg = issue.getMessage();
            String where = issue.getSourceLocation().getLine() > 0
                    ? " (at column " + (issue.getSourceLocation().getColumn() + 1) + " of `" + source + "`)" : "";
            String fix;
            if (msg.startsWith("expected type 'bool'")) {
                fix = "a condition must be true or false; compare the value, e.g. `… == \"x\"` or `… > 0.5`.";
            } else if (msg.contains("no matching overload")) {
                fix = "compare or combine values of the same type: quote strings, use numbers for number fields, "
                        + "or convert with string(), int() or double().";
            } else if (msg.contains("'= '") || msg.contains("'='")) {
                fix = "compare with `==`; a single `=` is not an operator in CEL.";
            } else if (msg.contains("mismatched input") || msg.contains("Syntax error") || msg.contains("token recognition")
                    || msg.contains("extraneous input") || msg.contains("no viable alternative") || msg.startsWith("missing ")) {
                fix = "fix the CEL syntax: strings in double quotes, `&&`/`||`/`!` for and/or/not, `==` to compare.";
            } else if (msg.contains("undeclared reference")) {
                fix = "available here: " + list(TypeEnvironment.NAMESPACES) + " and the upstream nodes " + upstreamList(node) + ".";
            } else {
                fix = "see the CEL language definition (github.com/google/cel-spec) for what this expression may do.";
            }
            error(node, field, "CEL: " + msg + where, fix);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private String upstreamList(Node node) {
        List<String> up = graph.upstreamOnEveryPath(node.id()).stream()
                .filter(id -> graph.nodes.get(id).producesOutput()).toList();
        return up.isEmpty() ? "none (only `workflow`, `state` and `sys`)" : list(up);
    }

    private static boolean hasProperty(JsonNode schema, String name) {
        return schema != null && schema.has("properties") && schema.get("properties").has(name);
    }

    static List<String> propertyNames(JsonNode schema) {
        List<String> names = new ArrayList<>();
        if (schema != null && schema.has("properties")) schema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String suggest(String root, String seg, List<String> fields) {
        return EditDistance.closest(seg, fields).map(c -> "did you mean `" + root + "." + c + "`?")
                .orElse("use " + fields.stream().map(f -> "`" + root + "." + f + "`").collect(Collectors.joining(", ")) + ".");
    }

    static String list(java.util.Collection<String> names) {
        return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    }

    private void error(Node node, String field, String description, String fix) {
        problems.error(Problem.at(node.id(), field, description, fix));
    }
}
