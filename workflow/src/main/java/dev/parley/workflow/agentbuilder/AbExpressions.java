package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites Agent Builder CEL into Parley CEL at a given node. The differences that matter:
 * <ul>
 *   <li>{@code input} in Agent Builder is the previous node's output object: a Transform's value itself, a File
 *       search's {@code {results}}, a Guardrails node's {@code {safe_text}}, the workflow input after Start. Parley
 *       nodes expose {@code output_text}/{@code output_parsed}, and its End refuses {@code input} from anything but
 *       an agent, so a single producer is named by id ({@code input.result} → {@code shape.output_parsed.result}).</li>
 *   <li>Conditions: Agent Builder takes a bare string, number or list as true when it is not empty or zero; CEL
 *       needs a bool, so a bare reference of a known type is compared explicitly.</li>
 *   <li>Arithmetic: CEL does not add an int literal to a double ({@code state.count + 1} on a JSON {@code number}),
 *       so such literals are written as doubles.</li>
 * </ul>
 */
final class AbExpressions {
    private final AbContext cx;
    private final Map<String, String> guardrailTexts = new HashMap<>();
    private final Set<String> keptInput = new HashSet<>();

    AbExpressions(AbContext cx) {
        this.cx = cx;
    }

    /** {@return {@code src}, an expression at Agent Builder node {@code at}, as Parley CEL} */
    String cel(String at, String src) {
        String rewritten = AbCel.rewritePaths(src, segments -> replace(at, segments));
        return AbCel.doubleOperands(rewritten, p -> "number".equals(typeOf(p)));
    }

    private String replace(String at, List<String> segments) {
        String root = segments.get(0);
        List<String> rest = segments.subList(1, segments.size());
        if (root.equals("input")) return input(at, rest);
        if (cx.graph.nodes.containsKey(root) && !cx.pid(root).equals(root)) {
            return cx.pid(root) + (rest.isEmpty() ? "" : "." + String.join(".", rest));
        }
        return null;
    }

    private String input(String at, List<String> rest) {
        Set<String> producers = cx.graph.inputProducers(at);
        String tail = rest.isEmpty() ? "" : "." + String.join(".", rest);
        if (producers.size() != 1) {
            if (producers.size() > 1 && keptInput.add(at)) {
                cx.note(at, "`input` here can be the output of " + String.join(" or ", producers.stream()
                        .map(p -> "`" + cx.pid(p) + "`").toList()) + ", whichever ran; it is kept as `input`, "
                        + "which Parley reads the same way");
            }
            return null;
        }
        AbNode p = cx.graph.nodes.get(producers.iterator().next());
        String pid = cx.pid(p.id());
        return switch (p) {
            case AbNode.Start s -> "workflow" + tail;
            case AbNode.Agent a -> pid + tail;
            case AbNode.Transform t -> pid + ".output_parsed" + tail;
            case AbNode.FileSearch f -> pid + ".output_parsed" + tail;
            case AbNode.Mcp m -> pid + ".output_parsed" + tail;
            case AbNode.Guardrails g -> {
                if (rest.isEmpty()) yield "{\"safe_text\": " + guardrailText(g) + "}";
                if (rest.get(0).equals("safe_text")) {
                    yield "(" + guardrailText(g) + ")" + (rest.size() > 1 ? "." + String.join(".", rest.subList(1, rest.size())) : "");
                }
                cx.error(at, "`input" + tail + "` reads the output of Guardrails " + cx.name(g) + ", whose only field "
                        + "Parley can supply is `safe_text` (the text the guardrails checked)",
                        "read `input.safe_text`, or the field from the node that produced it.");
                yield null;
            }
            case AbNode.IfElse x -> null;
            case AbNode.Approval x -> null;
            case AbNode.SetState x -> null;
            case AbNode.While x -> null;
            case AbNode.End x -> null;
            case AbNode.Note x -> null;
            case AbNode.Unsupported x -> null;
        };
    }

    /**
     * {@return the CEL of the text a Guardrails node checks, which Agent Builder hands on as {@code safe_text}}
     * Parley's checks never rewrite the text (a PII finding fails the check instead of masking it), so the text is
     * the same expression.
     */
    String guardrailText(AbNode.Guardrails g) {
        // Not computeIfAbsent: a chain of guardrails computes the earlier ones' texts while computing this one.
        String known = guardrailTexts.get(g.id());
        if (known != null) return known;
        String expr = AbValues.expression(g.config().path("expr")).trim();
        String text = expr.isEmpty() ? "workflow.input_as_text" : cel(g.id(), expr);
        guardrailTexts.put(g.id(), text);
        return text;
    }

    /**
     * {@return a Parley condition for an Agent Builder predicate, or null (with an error) when it is empty}
     *
     * @param what how the report names the condition, e.g. {@code case "case-1"}
     */
    String condition(String at, String what, String src) {
        if (src == null || src.isBlank()) {
            cx.error(at, what + " has no condition: its expression is empty, which Agent Builder cannot run either",
                    "write the condition in Agent Builder (or in the imported workflow), or delete it.");
            return null;
        }
        String cel = cel(at, src.trim());
        List<String> bare = AbCel.barePath(cel);
        if (bare == null) return cel;
        String type = typeOf(bare);
        String explicit = switch (type == null ? "" : type) {
            // size() rather than != "": Parley warns about exact comparisons with a model's free text.
            case "string", "array", "object" -> "size(" + cel + ") > 0";
            case "number", "integer" -> cel + " != 0";
            default -> null;
        };
        if (explicit == null) return cel;
        cx.warning(at, what + " is `" + src.trim() + "`, a " + type + "; Agent Builder counts a non-empty (or non-zero) "
                        + "value as true, Parley conditions must be true or false, so it reads `" + explicit + "`",
                "check that this is what the condition means.");
        return explicit;
    }

    /**
     * {@return text for a Parley template from an Agent Builder text setting}: a CEL string expression becomes
     * text with {@code {{ … }}} for its non-literal parts; anything else that is not one reference is taken as the
     * literal text Agent Builder's exported code uses (a File search query {@code search query} is not CEL).
     */
    String template(String at, JsonNode value) {
        String src = AbValues.expression(value);
        if (src.isBlank()) return "";
        if (!AbValues.isCel(value)) return AbCel.templateText(src);
        String cel = cel(at, src.trim());
        boolean stringExpression = AbCel.stringLiteral(cel) != null
                || AbCel.splitTopLevel(cel, "+").stream().anyMatch(p -> AbCel.stringLiteral(p) != null)
                || AbCel.barePath(cel) != null;
        return stringExpression ? AbCel.toTemplate(cel) : AbCel.templateText(src);
    }

    /** {@return the JSON schema type of a Parley reference path, when the importer can tell; else null} */
    String typeOf(List<String> path) {
        if (path.equals(List.of("workflow", "input_as_text"))) return "string";
        if (path.size() == 2 && path.get(0).equals("state")) return schemaType(cx.state.get(path.get(1)));
        AbNode n = cx.byPid(path.get(0));
        if (n == null || path.size() < 2) return null;
        if (path.size() == 2 && path.get(1).equals("output_text")) return "string";
        if (n instanceof AbNode.Agent a && a.structured() && path.get(1).equals("output_parsed")) {
            JsonNode schema = a.schema();
            for (String field : path.subList(2, path.size())) schema = schema.path("properties").path(field);
            return schemaType(schema);
        }
        return null;
    }

    static String schemaType(JsonNode schema) {
        if (schema == null) return null;
        JsonNode t = schema.path("type");
        if (t.isTextual()) return t.asText();
        if (t.isArray()) {
            for (JsonNode x : t) if (!"null".equals(x.asText())) return x.asText();
        }
        if (schema.has("enum")) return "string";
        return null;
    }
}
