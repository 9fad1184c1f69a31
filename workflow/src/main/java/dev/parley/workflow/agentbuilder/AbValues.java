package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;

/** Agent Builder stores most settings as {@code {"expression": …, "format": "cel"}} objects or as plain strings. */
final class AbValues {
    private AbValues() {}

    /** {@return the expression or text of a value object or string, trimmed of nothing; "" when absent} */
    static String expression(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return "";
        if (value.isTextual()) return value.asText();
        if (value.isObject()) return value.path("expression").asText("");
        return value.toString();
    }

    /** {@return whether the value is written in CEL ({@code "format": "cel"}) rather than as plain text} */
    static boolean isCel(JsonNode value) {
        return value != null && value.isObject() && "cel".equals(value.path("format").asText("cel"));
    }
}
