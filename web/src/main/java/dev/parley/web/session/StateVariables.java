package dev.parley.web.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.http.HttpError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Workflow state variables a page or a host backend passes into a session, checked at the edge: an object whose
 * values are strings, numbers or booleans. Two rule sets: Parley's own workflows read them as {@code state.<name>},
 * so names are identifiers, values may be null, and they must fit in a signed secret; OpenAI's hosted sessions take
 * any key of 1 to 64 characters and no nulls.
 */
public final class StateVariables {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final int MAX_KEY_CHARS = 64;

    /** What a set of variables may hold. */
    public enum Rules {
        /** For Parley's workflows: identifier names, nulls allowed, at most {@value ClientSecrets#MAX_STATE_BYTES} bytes. */
        WORKFLOW(IDENTIFIER.asMatchPredicate(), "letters, digits and _, at most 64 characters", true,
                ClientSecrets.MAX_STATE_BYTES),
        /** For OpenAI's hosted sessions: keys of 1 to 64 characters, no nulls. */
        OPENAI(k -> !k.isEmpty() && k.length() <= MAX_KEY_CHARS, "1 to 64 characters", false, Integer.MAX_VALUE);

        private final Predicate<String> names;
        private final String namesHint;
        private final boolean nulls;
        private final int maxBytes;

        Rules(Predicate<String> names, String namesHint, boolean nulls, int maxBytes) {
            this.names = names;
            this.namesHint = namesHint;
            this.nulls = nulls;
            this.maxBytes = maxBytes;
        }

        private String allowedValues() {
            return nulls ? "a string, number, boolean or null" : "a string, number or boolean";
        }
    }

    private StateVariables() {}

    /**
     * {@return the variables of a request's {@code state_variables} field, or an empty object when it is absent}
     *
     * @throws HttpError 400 naming what is wrong
     */
    public static ObjectNode check(JsonNode node, Rules rules) {
        if (node == null || node.isMissingNode() || node.isNull()) return ChatKitJson.emptyObject();
        if (!(node instanceof ObjectNode object)) {
            throw invalid("state_variables must be an object of names to values (" + rules.allowedValues() + "), got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (var field : object.properties()) {
            String key = field.getKey();
            if (!rules.names.test(key)) {
                String shown = key.length() <= 80 ? key : key.substring(0, 80) + "…";
                throw invalid("state_variables: \"" + shown + "\" is not a variable name (" + rules.namesHint
                        + "; it has " + key.length() + ")");
            }
            JsonNode v = field.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean() || (rules.nulls && v.isNull()))) {
                throw invalid("state_variables." + key + " must be " + rules.allowedValues() + ", got "
                        + v.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        }
        if (object.toString().getBytes(StandardCharsets.UTF_8).length > rules.maxBytes) {
            throw invalid("state_variables take at most " + rules.maxBytes + " bytes of JSON");
        }
        return object;
    }

    /** {@return the variables of checked JSON text (from a verified secret)} */
    public static Map<String, JsonNode> parse(String json) {
        if (json == null || json.isEmpty()) return Map.of();
        try {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            ChatKitJson.mapper().readTree(json).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A signed secret holds state variables that are not JSON", e);
        }
    }

    private static HttpError invalid(String message) {
        return HttpError.badRequest("invalid_state_variables", message);
    }
}
