package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parley.workflow.agentbuilder.ImportEquivalence.Difference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The field-by-field half of {@link ImportEquivalence}: how each kind of field is normalised and compared. */
final class ImportEquivalenceFields {
    /** Templates: compared with whitespace collapsed and the CEL inside {@code {{ }}} normalised. */
    private static final Set<String> TEMPLATES = Set.of("instructions", "user_prompt", "message", "query", "input");
    private static final Set<String> EXPRESSIONS = Set.of("expression", "condition");
    private static final Set<String> SCHEMAS = Set.of("output_schema", "schema");
    /** Fields whose absence means this value (docs/workflows.md), so writing the default out is no difference. */
    private static final Map<String, JsonNode> DEFAULTS = Map.of(
            "instructions", TextNode.valueOf(""),
            "include_chat_history", BooleanNode.FALSE,
            "output_format", TextNode.valueOf("text"),
            "model_settings", JsonNodeFactory.instance.objectNode(),
            "tools", JsonNodeFactory.instance.arrayNode(),
            "max_results", IntNode.valueOf(5),
            "user_prompt", TextNode.valueOf("{{ workflow.input_as_text }}"),
            "input", TextNode.valueOf("{{ workflow.input_as_text }}"),
            "query", TextNode.valueOf("{{ workflow.input_as_text }}"));
    /** {@code output_schema_name} only names the schema for the model provider; it changes nothing that runs. */
    private static final Set<String> NOT_COMPARED = Set.of("id", "type", "label", "output_schema_name");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);

    private final Map<String, String> mapping;
    private final List<Difference> out;

    ImportEquivalenceFields(Map<String, String> mapping, List<Difference> out) {
        this.mapping = mapping;
        this.out = out;
    }

    void compareNodes(ObjectNode j, ObjectNode c) {
        String jid = j.path("id").asText();
        String cid = c.path("id").asText();
        if (!ImportEquivalence.type(j).equals(ImportEquivalence.type(c))) {
            out.add(new Difference(jid, cid, "type", "`" + ImportEquivalence.type(j) + "` in the JSON import, `"
                    + ImportEquivalence.type(c) + "` in the code import"));
            return;
        }
        if (j.path("label").isTextual() && c.path("label").isTextual() && !j.get("label").equals(c.get("label"))) {
            out.add(new Difference(jid, cid, "label", j.get("label") + " vs " + c.get("label")));
        }
        Set<String> fields = new TreeSet<>();
        j.fieldNames().forEachRemaining(fields::add);
        c.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(NOT_COMPARED);
        for (String f : fields) {
            JsonNode a = j.has(f) ? j.get(f) : DEFAULTS.get(f);
            JsonNode b = c.has(f) ? c.get(f) : DEFAULTS.get(f);
            if (a == null || b == null) {
                out.add(new Difference(jid, cid, f, "only the " + (a == null ? "code" : "JSON") + " import sets it: "
                        + brief(a == null ? b : a)));
            } else {
                compareField(jid, cid, f, a, b);
            }
        }
    }

    private void compareField(String jid, String cid, String f, JsonNode a, JsonNode b) {
        switch (f) {
            case "conditions" -> list(jid, cid, f, a, b, "expression");
            case "assignments" -> {
                list(jid, cid, f, a, b, "expression");
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    same(jid, cid, f + "[" + i + "].variable", a.get(i).path("variable"), b.get(i).path("variable"));
                }
            }
            case "values", "arguments" -> map(jid, cid, f, a, b);
            case "tools" -> tools(jid, cid, a, b);
            default -> {
                if (TEMPLATES.contains(f)) {
                    if (!template(a.asText()).equals(plain(b.asText()))) differ(jid, cid, f, a, b);
                } else if (EXPRESSIONS.contains(f)) {
                    if (!cel(a.asText(), true).equals(cel(b.asText(), false))) differ(jid, cid, f, a, b);
                } else if (f.equals("schema")) {
                    endSchema(jid, cid, a, b);
                } else if (SCHEMAS.contains(f)) {
                    schemas(jid, cid, f, a, b);
                } else {
                    same(jid, cid, f, a, b);
                }
            }
        }
    }

    /**
     * An End's schema: the same properties and required ones. A property's {@code type} counts only where both
     * sides give one, because each importer types a property from what it can tell of its value, while the value
     * itself, the CEL under {@code values}, is compared exactly.
     */
    private void endSchema(String jid, String cid, JsonNode a, JsonNode b) {
        Set<String> names = new TreeSet<>();
        a.path("properties").fieldNames().forEachRemaining(names::add);
        b.path("properties").fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode x = a.path("properties").get(n);
            JsonNode y = b.path("properties").get(n);
            if (x == null || y == null) {
                out.add(new Difference(jid, cid, "schema.properties." + n, "only the " + (x == null ? "code" : "JSON")
                        + " import's End has this property"));
            } else if (x.has("type") && y.has("type") && !x.get("type").equals(y.get("type"))) {
                differ(jid, cid, "schema.properties." + n + ".type", x.get("type"), y.get("type"));
            }
        }
        same(jid, cid, "schema.required", schema(a).path("required"), schema(b).path("required"));
    }

    /** An array of objects whose {@code key} is CEL, compared by position. */
    private void list(String jid, String cid, String f, JsonNode a, JsonNode b, String key) {
        if (a.size() != b.size()) {
            out.add(new Difference(jid, cid, f, a.size() + " in the JSON import, " + b.size() + " in the code import"));
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i).path(key).asText();
            String y = b.get(i).path(key).asText();
            if (!cel(x, true).equals(cel(y, false))) {
                out.add(new Difference(jid, cid, f + "[" + i + "]." + key, "`" + x + "` vs `" + y + "`"));
            }
        }
    }

    /** An object of name → CEL (End values, MCP arguments). */
    private void map(String jid, String cid, String f, JsonNode a, JsonNode b) {
        Set<String> keys = new TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (!a.has(k) || !b.has(k)) {
                out.add(new Difference(jid, cid, f + "." + k, "only the " + (a.has(k) ? "JSON" : "code") + " import has "
                        + "it: `" + (a.has(k) ? a : b).get(k).asText() + "`"));
            } else if (!cel(a.get(k).asText(), true).equals(cel(b.get(k).asText(), false))) {
                out.add(new Difference(jid, cid, f + "." + k, "`" + a.get(k).asText() + "` vs `" + b.get(k).asText() + "`"));
            }
        }
    }

    /** Agent tools, paired by name: type and parameters must agree. */
    private void tools(String jid, String cid, JsonNode a, JsonNode b) {
        Set<String> names = new TreeSet<>();
        a.forEach(t -> names.add(toolName(t)));
        b.forEach(t -> names.add(toolName(t)));
        for (String name : names) {
            JsonNode x = find(a, name);
            JsonNode y = find(b, name);
            String field = "tools." + name;
            if (x == null || y == null) {
                out.add(new Difference(jid, cid, field, "only the " + (x == null ? "code" : "JSON") + " import has it"));
                continue;
            }
            same(jid, cid, field + ".type", x.path("type"), y.path("type"));
            schemas(jid, cid, field + ".parameters", x.path("parameters"), y.path("parameters"));
        }
    }

    void compareAssignments(List<String> jc, List<String> cc, List<ObjectNode> jn, List<ObjectNode> cn) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        ArrayNode b = JsonNodeFactory.instance.arrayNode();
        jn.forEach(n -> a.addAll((ArrayNode) n.withArray("assignments")));
        cn.forEach(n -> b.addAll((ArrayNode) n.withArray("assignments")));
        compareField(jc.get(0), cc.get(0), "assignments", a, b);
    }

    void compareState(JsonNode a, JsonNode b) {
        Set<String> names = new TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!a.has(n) || !b.has(n)) {
                out.add(new Difference(null, null, "state." + n, "only the " + (a.has(n) ? "JSON" : "code") + " import "
                        + "declares it"));
            } else {
                same(null, null, "state." + n, schema(a.get(n)), schema(b.get(n)));
            }
        }
    }

    /**
     * Two schemas; when they differ only in annotations (descriptions, titles, enums, defaults: what Python's
     * plain types cannot carry), the difference says so, so that a report entry about lost annotations can account
     * for it and for nothing more.
     */
    private void schemas(String jid, String cid, String f, JsonNode a, JsonNode b) {
        if (schema(a).equals(schema(b))) return;
        if (bare(schema(a)).equals(bare(schema(b)))) {
            out.add(new Difference(jid, cid, f, ANNOTATIONS_ONLY + ": " + brief(a) + " in the JSON import, " + brief(b)
                    + " in the code import"));
        } else {
            differ(jid, cid, f, a, b);
        }
    }

    static final String ANNOTATIONS_ONLY = "only annotations differ (description, title, enum, default)";
    private static final Set<String> ANNOTATIONS = Set.of("description", "title", "enum", "default", "examples");

    private static JsonNode bare(JsonNode s) {
        if (s.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            s.forEach(e -> copy.add(bare(e)));
            return copy;
        }
        if (!s.isObject()) return s;
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        s.properties().forEach(p -> {
            // Under `properties` the keys are field names, which may well be called `title` or `default`.
            boolean names = p.getKey().equals("properties");
            if (names || !ANNOTATIONS.contains(p.getKey())) {
                copy.set(p.getKey(), names ? bareFields(p.getValue()) : bare(p.getValue()));
            }
        });
        return copy;
    }

    private static JsonNode bareFields(JsonNode props) {
        if (!props.isObject()) return props;
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        props.properties().forEach(p -> copy.set(p.getKey(), bare(p.getValue())));
        return copy;
    }

    private void same(String jid, String cid, String f, JsonNode a, JsonNode b) {
        if (!a.equals(b)) differ(jid, cid, f, a, b);
    }

    private void differ(String jid, String cid, String f, JsonNode a, JsonNode b) {
        out.add(new Difference(jid, cid, f, brief(a) + " in the JSON import, " + brief(b) + " in the code import"));
    }

    /** A schema with {@code required} sorted: its order means nothing. Key order is already ignored by equals. */
    static JsonNode schema(JsonNode s) {
        if (s.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            s.forEach(e -> copy.add(schema(e)));
            return copy;
        }
        // 0 and 0.0 are one JSON Schema value; the code export writes Python's floats.
        if (s.isNumber()) return JsonNodeFactory.instance.numberNode(s.decimalValue().stripTrailingZeros());
        if (!s.isObject()) return s;
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        s.properties().forEach(p -> {
            if (p.getKey().equals("required") && p.getValue().isArray()) {
                ArrayNode sorted = copy.putArray("required");
                TreeSet<String> names = new TreeSet<>();
                p.getValue().forEach(r -> names.add(r.asText()));
                names.forEach(sorted::add);
            } else {
                copy.set(p.getKey(), schema(p.getValue()));
            }
        });
        return copy;
    }

    /** The JSON side's template with ids mapped; text between templates keeps its words, not its spacing. */
    private String template(String text) {
        return normaliseTemplate(text, true);
    }

    private String plain(String text) {
        return normaliseTemplate(text, false);
    }

    private String normaliseTemplate(String text, boolean mapIds) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            sb.append(text, last, m.start()).append("{{").append(cel(m.group(1), mapIds)).append("}}");
            last = m.end();
        }
        sb.append(text.substring(last));
        return sb.toString().replaceAll("\\s+", " ").strip();
    }

    /**
     * CEL as a list of tokens joined by single spaces: identifiers not after a dot go through the id mapping (JSON
     * side only), string literals are re-quoted with double quotes, and enclosing parentheses are dropped.
     */
    String cel(String src, boolean mapIds) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        String s = src.strip();
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '"' || ch == '\'') {
                int k = i + 1;
                StringBuilder lit = new StringBuilder();
                while (k < s.length() && s.charAt(k) != ch) {
                    if (s.charAt(k) == '\\' && k + 1 < s.length()) lit.append(s.charAt(k++));
                    lit.append(s.charAt(k++));
                }
                String body = lit.toString();
                tokens.add(ch == '\'' && !body.contains("\"") ? "\"" + body.replace("\\'", "'") + "\"" : ch + body + ch);
                i = k + 1;
            } else if (Character.isLetterOrDigit(ch) || ch == '_') {
                int k = i;
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_'
                        || (s.charAt(k) == '.' && Character.isDigit(s.charAt(i)) && k + 1 < s.length()
                        && Character.isDigit(s.charAt(k + 1))))) {
                    k++;
                }
                String word = s.substring(i, k);
                boolean afterDot = !tokens.isEmpty() && tokens.get(tokens.size() - 1).equals(".");
                if (mapIds && !afterDot && mapping.get(word) != null) word = mapping.get(word);
                tokens.add(word);
                i = k;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                boolean op = Set.of("==", "!=", "<=", ">=", "&&", "||").contains(two);
                tokens.add(op ? two : String.valueOf(ch));
                i += op ? 2 : 1;
            }
        }
        while (tokens.size() > 2 && tokens.get(0).equals("(") && tokens.get(tokens.size() - 1).equals(")")
                && closes(tokens)) {
            tokens = tokens.subList(1, tokens.size() - 1);
        }
        return String.join(" ", tokens);
    }

    /** True when the first token's parenthesis is closed by the last token, not earlier. */
    private static boolean closes(List<String> tokens) {
        int depth = 0;
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).equals("(")) depth++;
            if (tokens.get(k).equals(")")) depth--;
            if (depth == 0 && k < tokens.size() - 1) return false;
        }
        return true;
    }

    private static String toolName(JsonNode t) {
        return t.path("name").asText(t.path("type").asText("?"));
    }

    private static JsonNode find(JsonNode tools, String name) {
        for (JsonNode t : tools) if (toolName(t).equals(name)) return t;
        return null;
    }

    private static String brief(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() > 160 ? s.substring(0, 157) + "…" : s;
    }

    static Optional<ImportReport.Entry> explanation(Difference d, ImportReport report) {
        return ImportEquivalenceExplanations.find(d, report);
    }
}
