package dev.parley.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a model's structured output against the schema it was asked for. Every provider runs its output
 * through here, so a node never receives a value its schema does not allow.
 */
public final class SchemaValidator {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    // Workflows use a handful of schemas over and over; compiling one costs far more than validating with it.
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 1_000;
    /**
     * A compiled workflow passes the same schema object on every call: found by identity it costs no text at all
     * (writing the schema out as the cache key was most of a classifier node's validation).
     */
    private static final Map<Instance, Schema> BY_INSTANCE = new ConcurrentHashMap<>();

    private record Instance(JsonNode node) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Instance other && other.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    private SchemaValidator() {}

    /**
     * {@return the distinct violations of {@code schema} by {@code value}, each as {@code /path: message}
     * (the path is empty for the root); empty when the value is valid}
     */
    public static List<String> violations(JsonNode schema, JsonNode value) {
        Schema compiled = BY_INSTANCE.get(new Instance(schema));
        if (compiled == null) {
            String key = JsonText.of(schema);
            compiled = COMPILED.get(key);
            if (compiled == null) {
                compiled = REGISTRY.getSchema(key, InputFormat.JSON);
                if (COMPILED.size() < MAX_CACHED) COMPILED.put(key, compiled);
            }
            if (BY_INSTANCE.size() < MAX_CACHED) BY_INSTANCE.put(new Instance(schema), compiled);
        }
        // Jackson 2 tree in, Jackson 3 inside networknt: going through text keeps the two apart.
        List<Error> errors = compiled.validate(JsonText.of(value), InputFormat.JSON);
        Set<String> distinct = new LinkedHashSet<>();
        for (Error e : errors) {
            String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            distinct.add((at.isEmpty() ? "/" : at) + ": " + e.getMessage());
        }
        return List.copyOf(distinct);
    }
}
