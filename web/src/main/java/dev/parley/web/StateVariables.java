package dev.parley.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ChatKitJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Workflow state variables a page or a host backend passes into a session, checked at the edge: an object of at
 * most {@value ClientSecrets#MAX_STATE_BYTES} bytes whose keys are variable names and whose values are strings,
 * numbers, booleans or null (OpenAI's session API takes the same). The workflow checks each against its schema.
 */
final class StateVariables {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private StateVariables() {}

    /**
     * {@return the variables of a request's {@code state_variables} field, as compact JSON ("" when absent)}
     *
     * @throws HttpError 400 naming what is wrong
     */
    static String check(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) return "";
        if (!node.isObject()) {
            throw HttpError.badRequest("invalid_state_variables", "state_variables must be an object of name → value");
        }
        for (var field : node.properties()) {
            if (!NAME.matcher(field.getKey()).matches()) {
                throw HttpError.badRequest("invalid_state_variables", "state_variables: \"" + field.getKey()
                        + "\" is not a variable name (letters, digits and _, at most 64 characters)");
            }
            JsonNode v = field.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean() || v.isNull())) {
                throw HttpError.badRequest("invalid_state_variables", "state_variables." + field.getKey()
                        + " must be a string, number, boolean or null");
            }
        }
        String json = node.toString();
        if (json.getBytes(StandardCharsets.UTF_8).length > ClientSecrets.MAX_STATE_BYTES) {
            throw HttpError.badRequest("invalid_state_variables",
                    "state_variables take at most " + ClientSecrets.MAX_STATE_BYTES + " bytes of JSON");
        }
        return json;
    }

    /** {@return the variables of checked JSON text (from a verified secret)} */
    static Map<String, JsonNode> parse(String json) {
        if (json == null || json.isEmpty()) return Map.of();
        try {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            ChatKitJson.mapper().readTree(json).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A signed secret holds state variables that are not JSON", e);
        }
    }
}
