package dev.parley.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.SchemaValidator;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.Usage;
import java.util.List;

/**
 * Parses and validates a model's JSON, and gives it one chance to repair invalid output. Both providers share
 * it; each supplies the call that reaches its API.
 */
final class StructuredOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model call: {@code repair} is null the first time, then carries the failed text and the feedback. */
    @FunctionalInterface
    interface Attempt {
        Reply call(Repair repair);
    }

    record Reply(String text, Usage usage) {}

    /** @param previous the model's invalid output, sent back as its own turn; @param feedback the user turn that follows */
    record Repair(String previous, String feedback) {}

    private record Check(JsonNode value, List<String> violations) {}

    private StructuredOutput() {}

    /**
     * {@return a value valid against the request's schema}
     *
     * @throws dev.parley.model.ModelException from the attempt, or when the repaired output is still invalid; its
     *     message names each failing schema path
     */
    static StructuredCompletion produce(StructuredRequest request, String model, Failures failures, Attempt attempt) {
        Reply first = attempt.call(null);
        Check check = check(request.schema(), first.text());
        if (check.violations().isEmpty()) return new StructuredCompletion(check.value(), first.text(), first.usage());

        Reply second = attempt.call(new Repair(first.text(), feedback(request.schemaName(), check.violations())));
        Usage usage = first.usage().plus(second.usage());
        Check again = check(request.schema(), second.text());
        if (again.violations().isEmpty()) return new StructuredCompletion(again.value(), second.text(), usage);
        throw failures.invalidOutput(request.schemaName(), model, again.violations());
    }

    /** {@return the request's schema name in the form OpenAI accepts: 1–64 letters, digits, _ or -} */
    static String wireName(StructuredRequest request) {
        String name = request.schemaName() == null ? "" : request.schemaName().replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.isEmpty()) return "output";
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** {@return the instruction that tells a model without schema support what to produce} */
    static String schemaInstruction(StructuredRequest request) {
        return "Reply with only a JSON value, no other text, that satisfies this JSON Schema (named \""
                + request.schemaName() + "\"):\n" + request.schema();
    }

    private static String feedback(String schemaName, List<String> violations) {
        return "Your reply does not satisfy the JSON schema \"" + schemaName + "\":\n- " + String.join("\n- ", violations)
                + "\nReply again with only the corrected JSON value, no other text.";
    }

    private static Check check(JsonNode schema, String text) {
        JsonNode value;
        try {
            value = JSON.readTree(unfenced(text));
        } catch (JsonProcessingException e) {
            return new Check(null, List.of("/: not valid JSON (" + e.getOriginalMessage() + ")"));
        }
        if (value == null || value.isMissingNode()) return new Check(null, List.of("/: empty reply, expected JSON"));
        return new Check(value, SchemaValidator.violations(schema, value));
    }

    // Models without schema-constrained decoding often wrap JSON in a Markdown code fence.
    private static String unfenced(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.startsWith("```")) return t;
        int firstLine = t.indexOf('\n');
        int close = t.lastIndexOf("```");
        return firstLine < 0 || close <= firstLine ? t : t.substring(firstLine + 1, close).strip();
    }
}
