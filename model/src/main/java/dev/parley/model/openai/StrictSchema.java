package dev.parley.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Decides whether a schema may be sent with {@code strict: true}. OpenAI refuses strict schemas that leave an
 * object open or a property optional, or that use keywords its constrained decoding lacks; such schemas are
 * sent non-strict instead, and the output is validated here either way.
 */
final class StrictSchema {
    // Keywords strict mode does not accept; anything else is left for OpenAI to judge.
    private static final Set<String> UNSUPPORTED = Set.of("allOf", "not", "if", "then", "else", "dependentRequired",
            "dependentSchemas", "patternProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames",
            "contains", "minContains", "maxContains", "minProperties", "maxProperties", "$dynamicRef");

    private StrictSchema() {}

    /** {@return whether {@code schema} meets strict mode's rules: an object at the root, every object closed and fully required} */
    static boolean eligible(JsonNode schema) {
        return schema != null && schema.isObject() && "object".equals(schema.path("type").asText(null))
                && fits(schema);
    }

    private static boolean fits(JsonNode node) {
        if (!node.isObject()) return false; // boolean schemas have no strict form
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (UNSUPPORTED.contains(names.next())) return false;
        }
        JsonNode properties = node.get("properties");
        if (isObjectSchema(node)) {
            if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").asBoolean()) {
                return false;
            }
            Set<String> required = new HashSet<>();
            node.path("required").forEach(r -> required.add(r.asText()));
            Set<String> declared = new HashSet<>();
            if (properties != null) properties.fieldNames().forEachRemaining(declared::add);
            if (!required.equals(declared)) return false;
        }
        if (properties != null && !children(properties)) return false;
        for (String key : new String[] {"$defs", "definitions"}) {
            if (node.has(key) && !children(node.get(key))) return false;
        }
        for (String key : new String[] {"anyOf", "prefixItems"}) {
            if (node.has(key)) {
                for (JsonNode each : node.get(key)) if (!fits(each)) return false;
            }
        }
        return !node.has("items") || fits(node.get("items"));
    }

    private static boolean isObjectSchema(JsonNode node) {
        JsonNode type = node.get("type");
        if (type == null) return node.has("properties");
        if (type.isTextual()) return type.asText().equals("object");
        for (JsonNode t : type) if (t.asText().equals("object")) return true;
        return false;
    }

    private static boolean children(JsonNode map) {
        for (JsonNode child : map) if (!fits(child)) return false;
        return true;
    }
}
