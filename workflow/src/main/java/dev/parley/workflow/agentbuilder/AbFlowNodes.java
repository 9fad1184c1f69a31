package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The nodes that steer or compute without a model: If/else, While, User approval, Set state and Transform. */
final class AbFlowNodes {
    /** Agent Builder's While has no limit; Parley requires one, and this many rounds is far past a sane loop. */
    static final int DEFAULT_MAX_ITERATIONS = 20;
    /** What a User approval with no message of its own asks; Parley shows the question as a card in the chat. */
    static final String DEFAULT_APPROVAL_MESSAGE = "Do you approve this step?";

    private final AbContext cx;

    AbFlowNodes(AbContext cx) {
        this.cx = cx;
    }

    void ifElse(AbNode.IfElse n) {
        ObjectNode p = cx.node(cx.pid(n.id()), "if_else", n.label());
        ArrayNode conditions = p.putArray("conditions");
        Map<String, String> ports = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (AbNode.Case c : n.cases()) {
            String id = conditionId(c, ids);
            ports.put(c.port(), id);
            String cel = cx.expressions.condition(n.id(), "case \"" + c.label() + "\" of If/else " + cx.name(n),
                    c.predicate());
            conditions.addObject().put("id", id).put("expression", cel == null ? "false" : cel);
        }
        ports.put(n.fallbackPort(), "else");
        cx.branches.put(n.id(), ports);
        if (n.cases().isEmpty()) {
            cx.error(n.id(), "If/else " + cx.name(n) + " has no cases, only its fallback",
                    "add a case, or remove the If/else and connect its fallback target directly.");
        }
    }

    /** A case's label names its branch when it can (`Website`), else its port (`case-0` → `case_0`). */
    private static String conditionId(AbNode.Case c, Set<String> taken) {
        for (String raw : List.of(c.label(), c.port())) {
            String id = raw == null ? "" : raw.trim().replaceAll("[^A-Za-z0-9_]+", "_");
            if (!id.isEmpty() && !id.equals("else") && taken.add(id)) return id;
        }
        String id = "case";
        for (int i = 2; !taken.add(id); i++) id = "case_" + i;
        return id;
    }

    void loop(AbNode.While n) {
        ObjectNode p = cx.node(cx.pid(n.id()), "while", n.label());
        String cel = cx.expressions.condition(n.id(), "While " + cx.name(n),
                AbValues.expression(n.config().path("condition")));
        p.put("condition", cel == null ? "false" : cel);
        JsonNode max = n.config().path("max_iterations");
        if (max.canConvertToInt() && max.asInt() >= 1) {
            p.put("max_iterations", max.asInt());
        } else {
            p.put("max_iterations", DEFAULT_MAX_ITERATIONS);
            cx.warning(n.id(), "Agent Builder's While repeats for as long as its condition holds; Parley requires a "
                            + "limit, so this loop stops after " + DEFAULT_MAX_ITERATIONS + " rounds",
                    "set `max_iterations` to the most rounds this loop should ever need.");
        }
    }

    void approval(AbNode.Approval n) {
        ObjectNode p = cx.node(cx.pid(n.id()), "user_approval", n.label());
        String message = cx.expressions.template(n.id(), n.config().path("message"));
        if (message.isBlank()) {
            message = DEFAULT_APPROVAL_MESSAGE;
            cx.note(n.id(), "the approval has no message; the imported one asks \"" + message + "\"");
        }
        p.put("message", message);
        mapping(n, n.config().path("variable_mapping"));
    }

    void setState(AbNode.SetState n) {
        ObjectNode p = cx.node(cx.pid(n.id()), "set_state", n.label());
        ArrayNode out = p.putArray("assignments");
        for (JsonNode a : n.config().path("assignments")) {
            String variable = a.path("name").asText(a.path("variable").asText(""));
            String expr = AbValues.expression(a.path("expression")).trim();
            if (expr.isEmpty()) {
                cx.warning(n.id(), "the assignment to `" + variable + "` has no value; Agent Builder's exported code "
                        + "skips it, and so does the import", null);
                continue;
            }
            out.addObject().put("variable", variable).put("expression", cx.expressions.cel(n.id(), expr));
        }
    }

    void transform(AbNode.Transform n) {
        ObjectNode p = cx.node(cx.pid(n.id()), "transform", n.label());
        String src = AbValues.expression(n.config().path("expr")).trim();
        if (src.isEmpty()) {
            cx.error(n.id(), "Transform " + cx.name(n) + " has no expression", "write the value it computes.");
            p.put("expression", "{}");
            return;
        }
        p.put("expression", value(n.id(), src));
    }

    /**
     * {@return an Agent Builder value as Parley CEL}: a map literal loses the entries Agent Builder leaves unset (an
     * empty value, or {@code undefined}), at any depth, with a warning naming them.
     */
    String value(String at, String src) {
        List<String> unset = new ArrayList<>();
        String cel = withoutUnset(at, src, "", unset);
        if (!unset.isEmpty()) {
            cx.warning(at, "entries " + String.join(", ", unset.stream().map(u -> "`" + u + "`").toList())
                            + " have no value (empty or `undefined`); Agent Builder leaves them out, and so does the import",
                    "give them values, or remove them in Agent Builder.");
        }
        return cel;
    }

    private String withoutUnset(String at, String src, String prefix, List<String> unset) {
        List<AbCel.Entry> entries = AbCel.mapEntries(src);
        if (entries == null) return cx.expressions.cel(at, src);
        List<String> kept = new ArrayList<>();
        for (AbCel.Entry e : entries) {
            String name = prefix + (e.key() != null ? e.key() : e.keyText());
            if (isUnset(e.value()) || e.keyText().isEmpty() || "\"\"".equals(e.keyText())) {
                unset.add(name.isEmpty() || name.endsWith(".") ? name + "\"\" (no name)" : name);
                continue;
            }
            kept.add(e.keyText() + ": " + withoutUnset(at, e.value(), name + ".", unset));
        }
        return "{" + String.join(", ", kept) + "}";
    }

    static boolean isUnset(String value) {
        String v = value.trim();
        return v.isEmpty() || v.equals("undefined") || v.equals("\"undefined\"") || v.equals("'undefined'");
    }

    private void mapping(AbNode n, JsonNode mapping) {
        if (mapping.isArray() && !mapping.isEmpty() || mapping.isObject() && !mapping.isEmpty()) {
            cx.warning(n.id(), "`variable_mapping` " + mapping + " is not carried over", "reference the values in "
                    + "the node's text as `{{ node.output_text }}`.");
        }
    }
}
