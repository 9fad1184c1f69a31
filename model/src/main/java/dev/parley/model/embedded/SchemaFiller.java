package dev.parley.model.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Category;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Fills a JSON Schema without a generative model: enum properties are classified zero-shot over their values,
 * confidence-like numbers get the classification's confidence, reason-like strings its explanation, other strings
 * the knowledge-base answer, and everything else its default or the smallest value the schema allows. The result
 * is a best effort; the provider validates it before handing it out.
 */
final class SchemaFiller {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern CONFIDENCE = Pattern.compile("(?i).*(confidence|score|probability|certainty|likelihood).*");
    private static final Pattern REASON = Pattern.compile("(?i).*(reason|explanation|rationale|justification|why).*");
    private static final int MAX_DEPTH = 32;

    private final ZeroShotClassifier classifier;

    SchemaFiller(ZeroShotClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * What a fill can draw on.
     *
     * @param input  the user's text, classified for enum properties
     * @param answer the knowledge-base answer, computed only if a free-text property needs it
     * @param preset a classification already made over {@code presetNames} (a classifier node's categories), used
     *               for the enum property with exactly those values; null when there is none
     */
    record Context(String input, Supplier<KnowledgeAnswerer.Answer> answer, ZeroShotClassifier.Result preset,
                   Set<String> presetNames) {}

    JsonNode fill(JsonNode schema, Context context) {
        return value(schema, "", null, context, null, 0);
    }

    private JsonNode value(JsonNode schema, String name, String description, Context context,
                           ZeroShotClassifier.Result inScope, int depth) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) return JSON.nullNode();
        if (schema.has("const")) return schema.get("const");
        for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
            JsonNode options = schema.get(alternatives);
            if (options != null && options.isArray() && !options.isEmpty()) {
                return value(firstNotNull(options), name, description, context, inScope, depth + 1);
            }
        }
        String about = schema.path("description").asText(description);
        if (schema.has("enum")) return choose(schema.get("enum"), name, about, context).value();
        String type = type(schema);
        return switch (type) {
            case "object" -> object(schema, context, inScope, depth);
            case "array" -> array(schema, name, about, context, inScope, depth);
            case "string" -> text(schema, name, context, inScope);
            case "number", "integer" -> number(schema, name, type.equals("integer"), context, inScope);
            case "boolean" -> schema.has("default") ? schema.get("default") : JSON.booleanNode(false);
            default -> JSON.nullNode();
        };
    }

    private ObjectNode object(JsonNode schema, Context context, ZeroShotClassifier.Result inherited, int depth) {
        JsonNode properties = schema.path("properties");
        // Enums first, so a confidence or reason beside them describes that classification.
        ZeroShotClassifier.Result local = null;
        Map<String, JsonNode> chosen = new HashMap<>();
        for (var p : properties.properties()) {
            JsonNode values = p.getValue().get("enum");
            if (values == null || p.getValue().has("const")) continue;
            Choice c = choose(values, p.getKey(), p.getValue().path("description").asText(null), context);
            chosen.put(p.getKey(), c.value());
            if (local == null) local = c.result();
        }
        ZeroShotClassifier.Result inScope = local != null ? local : inherited;
        ObjectNode out = JSON.objectNode();
        for (var p : properties.properties()) {
            out.set(p.getKey(), chosen.containsKey(p.getKey()) ? chosen.get(p.getKey())
                    : value(p.getValue(), p.getKey(), null, context, inScope, depth + 1));
        }
        return out;
    }

    /** An enum value and the classification that chose it (null when the values are not strings). */
    private record Choice(JsonNode value, ZeroShotClassifier.Result result) {}

    private Choice choose(JsonNode values, String name, String description, Context context) {
        List<String> names = new ArrayList<>();
        for (JsonNode v : values) {
            if (!v.isTextual()) return new Choice(values.get(0), null);
            names.add(v.textValue());
        }
        if (names.isEmpty()) return new Choice(JSON.nullNode(), null);
        ZeroShotClassifier.Result result;
        if (context.preset() != null && new HashSet<>(names).equals(context.presetNames())) {
            result = context.preset();
        } else {
            String about = description == null || description.isBlank() ? ZeroShotClassifier.humanise(name) : description;
            List<Category> choices = names.stream().map(n -> new Category(n, about, List.of())).toList();
            result = classifier.classify(context.input(), choices);
        }
        return new Choice(JSON.textNode(result.category()), result);
    }

    private ArrayNode array(JsonNode schema, String name, String about, Context context,
                            ZeroShotClassifier.Result inScope, int depth) {
        if (schema.has("default") && schema.get("default").isArray()) return (ArrayNode) schema.get("default");
        ArrayNode out = JSON.arrayNode();
        int count = schema.path("minItems").asInt(0);
        for (int i = 0; i < count; i++) out.add(value(schema.path("items"), name, about, context, inScope, depth + 1));
        return out;
    }

    private JsonNode text(JsonNode schema, String name, Context context, ZeroShotClassifier.Result inScope) {
        String text;
        if (REASON.matcher(name).matches()) {
            text = inScope != null ? inScope.reason() : sourcesOf(context.answer().get());
        } else if (schema.has("default") && schema.get("default").isTextual()) {
            return schema.get("default");
        } else {
            text = context.answer().get().text();
        }
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        return JSON.textNode(text.length() <= max ? text : ZeroShotClassifier.abbreviated(text, max));
    }

    private JsonNode number(JsonNode schema, String name, boolean integer, Context context,
                            ZeroShotClassifier.Result inScope) {
        double min = schema.has("minimum") ? schema.get("minimum").asDouble()
                : schema.has("exclusiveMinimum") ? schema.get("exclusiveMinimum").asDouble() + (integer ? 1 : 1e-6)
                : Double.NEGATIVE_INFINITY;
        double max = schema.has("maximum") ? schema.get("maximum").asDouble()
                : schema.has("exclusiveMaximum") ? schema.get("exclusiveMaximum").asDouble() - (integer ? 1 : 1e-6)
                : Double.POSITIVE_INFINITY;
        double v;
        if (CONFIDENCE.matcher(name).matches() && !integer) {
            v = inScope != null ? inScope.confidence() : context.answer().get().bestSimilarity();
            v = Math.round(v * 1000) / 1000.0;
        } else if (schema.has("default") && schema.get("default").isNumber()) {
            v = schema.get("default").asDouble();
        } else {
            v = 0;
        }
        v = Math.max(min, Math.min(max, v));
        return integer ? JSON.numberNode((long) Math.ceil(v)) : JSON.numberNode(v);
    }

    private static String sourcesOf(KnowledgeAnswerer.Answer answer) {
        if (!answer.grounded()) return "Nothing in the knowledge base is close enough to the question.";
        return "Quoted from " + String.join(", ", answer.sources().stream().map(s -> s.title()).toList()) + ".";
    }

    private static String type(JsonNode schema) {
        JsonNode t = schema.get("type");
        if (t == null) return schema.has("properties") ? "object" : schema.has("items") ? "array" : "null";
        if (t.isTextual()) return t.textValue();
        for (JsonNode option : t) if (!option.asText().equals("null")) return option.asText();
        return "null";
    }

    private static JsonNode firstNotNull(JsonNode options) {
        for (JsonNode o : options) if (!"null".equals(o.path("type").asText(null))) return o;
        return options.get(0);
    }
}
