package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.Node;

/**
 * What a dotted reference such as {@code classify.output_parsed.category} points at.
 *
 * @param producer   the node whose output it reads, or null for {@code state}/{@code workflow}/{@code sys}
 * @param schema     the JSON schema of the value when known
 * @param field      {@code output_text}, {@code output_parsed} or null
 * @param viaInput   whether it was reached through {@code input}
 */
record Resolution(String path, Node producer, String field, JsonNode schema, boolean viaInput) {
    boolean isOutputText() {
        return "output_text".equals(field);
    }
}
