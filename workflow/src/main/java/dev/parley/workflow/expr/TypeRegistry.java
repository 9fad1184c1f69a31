package dev.parley.workflow.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns JSON schemas into CEL types so that field access is checked at publish time without protobuf. The checker
 * resolves a struct's fields by looking its name up here, so every nested struct is registered too. Names start
 * with {@code $} because a type named like a variable path would shadow the variable.
 */
public final class TypeRegistry implements CelTypeProvider {
    private final Map<String, CelType> types = new LinkedHashMap<>();

    /** Registers a struct with the given fields (kept in order) and returns it. */
    public StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = new LinkedHashMap<>(fields);
        StructType type = StructType.create(name, ImmutableSet.copyOf(copy.keySet()),
                field -> Optional.ofNullable(copy.get(field)));
        types.put(name, type);
        return type;
    }

    /**
     * Maps a JSON schema to a CEL type: {@code number} → double, {@code integer} → int, objects with
     * {@code properties} → a struct named {@code name}, other objects → {@code map(string, dyn)}, unknown → dyn.
     */
    public CelType fromSchema(String name, JsonNode schema) {
        if (schema == null || !schema.isObject()) return SimpleType.DYN;
        String type = schemaType(schema);
        if (type == null) return SimpleType.DYN;
        return switch (type) {
            case "string" -> SimpleType.STRING;
            case "number" -> SimpleType.DOUBLE;
            case "integer" -> SimpleType.INT;
            case "boolean" -> SimpleType.BOOL;
            case "null" -> SimpleType.NULL_TYPE;
            case "array" -> ListType.create(fromSchema(name + "[]", schema.get("items")));
            case "object" -> {
                JsonNode props = schema.get("properties");
                if (props == null || !props.isObject() || props.isEmpty()) {
                    yield MapType.create(SimpleType.STRING, SimpleType.DYN);
                }
                Map<String, CelType> fields = new LinkedHashMap<>();
                props.properties().forEach(p -> fields.put(p.getKey(), fromSchema(name + "." + p.getKey(), p.getValue())));
                yield struct(name, fields);
            }
            default -> SimpleType.DYN;
        };
    }

    /**
     * {@return the schema's single JSON type, inferring {@code object} from {@code properties} and {@code string}
     * from a string enum; a nullable type such as {@code ["string", "null"]} counts as its non-null part}
     */
    public static String schemaType(JsonNode schema) {
        if (schema == null) return null;
        JsonNode t = schema.get("type");
        if (t != null && t.isTextual()) return t.asText();
        if (t != null && t.isArray()) {
            List<String> nonNull = new ArrayList<>();
            t.forEach(x -> { if (!x.asText().equals("null")) nonNull.add(x.asText()); });
            return nonNull.size() == 1 ? nonNull.get(0) : null;
        }
        if (schema.has("properties")) return "object";
        JsonNode e = schema.get("enum");
        if (e != null && e.isArray() && !e.isEmpty()) {
            boolean allStrings = true;
            for (JsonNode x : e) allStrings &= x.isTextual();
            if (allStrings) return "string";
        }
        return null;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(types.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(types.get(typeName));
    }
}
