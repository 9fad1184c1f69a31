package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cel.common.values.NullValue;
import dev.parley.protocol.ChatKitJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between JSON trees and the plain Java values CEL evaluates over.
 *
 * <p>Expressions were type-checked against node schemas, which fixes their operator overloads at publish time: a
 * schema {@code number} compiles to double arithmetic, so its values must arrive as {@link Double} even when the
 * JSON text was {@code 1}, and {@code integer} values as {@link Long} (CEL has no {@link Integer}). JSON null is
 * CEL's {@link NullValue}, never a Java null, which the runtime cannot bind.
 */
final class Values {
    private Values() {}

    /** {@return the value for CEL, guided by its JSON schema where one is known (schema may be null)} */
    static Object toCel(JsonNode node, JsonNode schema) {
        if (node == null || node.isNull() || node.isMissingNode()) return NullValue.NULL_VALUE;
        if (node.isBoolean()) return node.booleanValue();
        if (node.isTextual()) return node.textValue();
        if (node.isNumber()) {
            boolean wantsDouble = schema != null && "number".equals(type(schema));
            return !wantsDouble && node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                    : (Object) node.doubleValue();
        }
        if (node.isArray()) {
            JsonNode items = schema == null ? null : schema.get("items");
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode element : node) out.add(toCel(element, items));
            return out;
        }
        JsonNode properties = schema == null ? null : schema.get("properties");
        Map<String, Object> out = new LinkedHashMap<>();
        for (var field : node.properties()) {
            JsonNode fieldSchema = properties == null ? null : properties.get(field.getKey());
            out.put(field.getKey(), toCel(field.getValue(), fieldSchema));
        }
        return out;
    }

    /** {@return the CEL result as JSON} */
    static JsonNode toJson(Object value) {
        var f = JsonNodeFactory.instance;
        return switch (value) {
            case null -> f.nullNode();
            case NullValue n -> f.nullNode();
            case Boolean b -> f.booleanNode(b);
            case String s -> f.textNode(s);
            case Long l -> f.numberNode(l);
            case Integer i -> f.numberNode(i);
            case Double d -> f.numberNode(d);
            case Map<?, ?> m -> {
                var o = f.objectNode();
                m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
                yield o;
            }
            case List<?> l -> {
                var a = f.arrayNode();
                l.forEach(v -> a.add(toJson(v)));
                yield a;
            }
            default -> f.textNode(value.toString());
        };
    }

    /** {@return how a value reads when inserted into a prompt: strings as they are, anything else as JSON} */
    static String toText(Object value) {
        if (value instanceof String s) return s;
        if (value == null || value instanceof NullValue) return "";
        return ChatKitJson.writeTree(toJson(value));
    }

    private static String type(JsonNode schema) {
        JsonNode t = schema.get("type");
        if (t == null) return null;
        if (t.isTextual()) return t.textValue();
        for (JsonNode option : t) if (!"null".equals(option.asText())) return option.asText();
        return null;
    }
}
