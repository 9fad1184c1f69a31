package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates schemas written by users against the JSON Schema 2020-12 meta-schema. networknt compiles a broken
 * schema such as {@code {"type": "strng"}} without complaint, so this is the only place such typos are caught.
 */
final class SchemaCheck {
    private static final Schema META = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private SchemaCheck() {}

    /** {@return distinct meta-schema violations as {@code location: message}; empty when the schema is valid} */
    static List<String> violations(JsonNode schema) {
        // Jackson 2 tree in, Jackson 3 inside networknt: going through text keeps the two apart.
        List<Error> errors = META.validate(schema.toString(), InputFormat.JSON);
        Set<String> distinct = new LinkedHashSet<>(); // one bad keyword can yield several identical errors
        for (Error e : errors) {
            String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            distinct.add((at.isEmpty() ? "" : at + ": ") + e.getMessage());
        }
        return List.copyOf(distinct);
    }
}
