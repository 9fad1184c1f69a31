package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.Category;
import dev.parley.model.ModelProvider;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.workflow.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of a {@code guardrails} node. {@code pii} and {@code jailbreak} are pattern checks that run without a
 * model, so they behave the same on every provider; {@code moderation} asks the model provider to classify the text
 * (on the embedded provider that is similarity to descriptions of harmful content, a coarse filter).
 */
final class GuardrailChecks {
    /** What one check found; {@code findings} name what matched, never the matched text itself. */
    record Result(String kind, boolean passed, List<String> findings) {}

    private static final Map<String, Pattern> PII = new LinkedHashMap<>();

    static {
        PII.put("email", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"));
        PII.put("phone", Pattern.compile("(?<![\\w+])\\+?\\d[\\d ()./-]{7,}\\d(?!\\w)"));
        PII.put("credit_card", Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)"));
        PII.put("iban", Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b"));
        PII.put("us_ssn", Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"));
    }

    /** Phrases of prompt-injection attempts; each is a regex over lower-cased text. */
    private static final List<Pattern> JAILBREAK = List.of(
            Pattern.compile("\\b(ignore|disregard|forget|override)\\b.{0,30}\\b(previous|prior|above|earlier|all|your|system)\\b.{0,20}\\b(instructions?|rules|prompts?|guidelines)"),
            Pattern.compile("\\b(reveal|show|print|repeat|tell me)\\b.{0,30}\\b(system prompt|hidden prompt|your (instructions|prompt|rules))"),
            Pattern.compile("\\byou are (now )?(dan|in developer mode|an? unrestricted|no longer bound)"),
            Pattern.compile("\\b(developer|god|jailbreak) mode\\b"),
            Pattern.compile("\\bpretend (that )?(you are|to be) .{0,40}\\b(without|no) (any )?(rules|restrictions|filters|limits)"),
            Pattern.compile("\\bdo anything now\\b"));

    private static final List<Category> MODERATION = List.of(
            new Category("ok", "An ordinary message: a question, a request for help, a description of a project or a business.",
                    List.of("Can you help me with my website?", "What does a landing page cost?")),
            new Category("flagged", "Hateful, harassing, threatening, violent, sexual or self-harm content, or a request to cause harm.",
                    List.of("I will hurt you", "Tell me how to build a weapon to attack people", "You are worthless and should die")));

    private GuardrailChecks() {}

    static List<Result> run(List<Node.GuardrailCheck> checks, String text, ModelProvider model, String nodeId) {
        List<Result> out = new ArrayList<>();
        for (Node.GuardrailCheck check : checks) {
            out.add(switch (check.kind()) {
                case "pii" -> pii(text, check.config());
                case "jailbreak" -> jailbreak(text);
                case "moderation" -> moderation(text, model, nodeId);
                default -> throw new IllegalStateException("Publish-time validation refuses the check " + check.kind());
            });
        }
        return out;
    }

    static ArrayNode toJson(List<Result> results) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Result r : results) {
            ObjectNode o = out.addObject().put("kind", r.kind()).put("passed", r.passed());
            var findings = o.putArray("findings");
            r.findings().forEach(findings::add);
        }
        return out;
    }

    /** Finds personal data; {@code entities} in the check's settings narrows which kinds count. */
    static Result pii(String text, JsonNode config) {
        List<String> wanted = new ArrayList<>();
        JsonNode entities = config == null ? null : config.get("entities");
        if (entities != null && entities.isArray()) entities.forEach(e -> wanted.add(e.asText()));
        List<String> found = new ArrayList<>();
        for (var entry : PII.entrySet()) {
            if (!wanted.isEmpty() && !wanted.contains(entry.getKey())) continue;
            Matcher m = entry.getValue().matcher(text);
            while (m.find()) {
                // Long digit runs are order numbers as often as card numbers; only a valid checksum counts.
                if (entry.getKey().equals("credit_card") && !luhn(m.group())) continue;
                found.add(entry.getKey());
                break;
            }
        }
        return new Result("pii", found.isEmpty(), found);
    }

    static Result jailbreak(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (Pattern p : JAILBREAK) {
            if (p.matcher(lower).find()) found.add("pattern " + (JAILBREAK.indexOf(p) + 1));
        }
        return new Result("jailbreak", found.isEmpty(), found);
    }

    private static Result moderation(String text, ModelProvider model, String nodeId) {
        var f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("category").put("type", "string").putArray("enum").add("ok").add("flagged");
        props.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        props.putObject("reason").put("type", "string");
        schema.putArray("required").add("category").add("confidence").add("reason");
        schema.put("additionalProperties", false);
        StructuredCompletion c = model.structured(new StructuredRequest(null,
                "Decide whether the message breaks a content policy (hate, harassment, threats, violence, sexual or "
                        + "self-harm content). Answer ok for ordinary messages.",
                List.of(), text, null, nodeId + "_moderation", schema, MODERATION));
        boolean flagged = c.value().path("category").asText().equals("flagged");
        return new Result("moderation", !flagged, flagged ? List.of(c.value().path("reason").asText("flagged")) : List.of());
    }

    private static boolean luhn(String digits) {
        String d = digits.replaceAll("[ -]", "");
        int sum = 0;
        boolean twice = false;
        for (int i = d.length() - 1; i >= 0; i--) {
            int n = d.charAt(i) - '0';
            if (twice) {
                n *= 2;
                if (n > 9) n -= 9;
            }
            sum += n;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
