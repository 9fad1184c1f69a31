package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * Hides secrets in what a trace keeps of a tool call. Traces are read by operators, exported and kept for weeks; a
 * password or card number a user typed and the model passed to a tool must not live on there.
 */
final class Redaction {
    static final String REDACTED = "[redacted]";
    /** Field names that say their value is a secret, wherever they appear in the arguments. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass(word|phrase)?|secret|token|api[_-]?key|authori[sz]ation|credential|cookie|session"
                    + "|card[_-]?(number|no)?|cvv|cvc|iban|ssn|pin)$");
    /** Values that look like a card number (13–19 digits, spaces or dashes allowed) whatever their field. */
    private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b");

    private Redaction() {}

    /** {@return a copy of {@code json} with secret-named fields and card-like numbers replaced} */
    static JsonNode redact(JsonNode json) {
        if (json.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (var e : json.properties()) {
                out.set(e.getKey(), SECRET_NAME.matcher(e.getKey()).matches()
                        ? JsonNodeFactory.instance.textNode(REDACTED) : redact(e.getValue()));
            }
            return out;
        }
        if (json.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            json.forEach(v -> out.add(redact(v)));
            return out;
        }
        if (json.isTextual() && CARD.matcher(json.textValue()).find()) {
            return JsonNodeFactory.instance.textNode(CARD.matcher(json.textValue()).replaceAll(REDACTED));
        }
        return json;
    }
}
