package dev.parley.workflow.evals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A dataset: JSON Lines, one case per line, blank lines ignored.
 *
 * <pre>{@code
 * {"id": "bakery", "input": "We need a new website for our bakery", "expect": {"category": "website_build",
 *  "route": ["website_inquiry_agent"], "not_contains": "error"}}
 * {"input": ["Hi", "Can you fix our slow shop?"], "expect": {"branch": "maintenance_or_consulting"}}
 * }</pre>
 *
 * <p>{@code expect} takes any of: {@code route} (node ids the run passes, in order), {@code branch} (an if/else
 * condition id or {@code else}), {@code category} (with {@code classifier}, a node id, when there are several),
 * {@code contains} / {@code not_contains} (text, ignoring case), {@code matches} / {@code not_matches} (regular
 * expressions), {@code schema} (a JSON Schema for the End output), {@code must_decline: true}, {@code reference}
 * (with {@code min_similarity}, default {@value #DEFAULT_SIMILARITY}) and {@code rubric} (graded by the model).
 */
public record Dataset(List<EvalCase> cases) {
    /** The least cosine similarity to a reference answer that passes when a case gives none. */
    public static final double DEFAULT_SIMILARITY = 0.5;
    /** The most cases one dataset may hold. */
    public static final int MAX_CASES = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CASE_FIELDS = Set.of("id", "input", "expect");
    private static final List<String> EXPECT_FIELDS = List.of("route", "branch", "category", "classifier", "contains",
            "not_contains", "matches", "not_matches", "schema", "must_decline", "reference", "min_similarity", "rubric");

    public Dataset {
        cases = List.copyOf(cases);
    }

    /**
     * Reads JSON Lines text.
     *
     * @throws DatasetFormatException listing every bad line, each with its fix
     */
    public static Dataset parse(String jsonl) {
        List<String> problems = new ArrayList<>();
        List<EvalCase> cases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = jsonl == null ? new String[0] : jsonl.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            int line = i + 1;
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                problems.add("line " + line + ": not valid JSON (" + e.getOriginalMessage() + "); write each case as one "
                        + "JSON object on a single line");
                continue;
            }
            EvalCase c = readCase(node, line, problems);
            if (c == null) continue;
            if (!ids.add(c.id())) {
                problems.add("line " + line + ": the id \"" + c.id() + "\" is used by an earlier case; give each case its own id");
                continue;
            }
            cases.add(c);
        }
        if (cases.isEmpty() && problems.isEmpty()) {
            problems.add("line 1: the dataset has no cases; write one JSON object per line, such as "
                    + "{\"input\": \"Hello\", \"expect\": {\"contains\": \"hello\"}}");
        }
        if (cases.size() > MAX_CASES) problems.add("the dataset has " + cases.size() + " cases; split it into datasets of at most " + MAX_CASES);
        if (!problems.isEmpty()) throw new DatasetFormatException(problems);
        return new Dataset(cases);
    }

    /** {@return a dataset of cases given as JSON values (the admin API's inline cases)} */
    public static Dataset of(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new DatasetFormatException(List.of("\"cases\" must be an array of case objects"));
        }
        var text = new StringBuilder();
        array.forEach(c -> text.append(c.toString()).append('\n'));
        return parse(text.toString());
    }

    private static EvalCase readCase(JsonNode node, int line, List<String> problems) {
        String at = "line " + line + ": ";
        if (!node.isObject()) {
            problems.add(at + "a case must be a JSON object with \"input\" and \"expect\"");
            return null;
        }
        int before = problems.size();
        node.fieldNames().forEachRemaining(f -> {
            if (!CASE_FIELDS.contains(f)) problems.add(at + "unknown field \"" + f + "\"; a case has id, input and expect");
        });
        String id = node.has("id") ? node.get("id").asText("") : "line-" + line;
        if (node.has("id") && (!node.get("id").isTextual() || id.isBlank())) {
            problems.add(at + "\"id\" must be a non-empty string");
        }
        List<String> messages = new ArrayList<>();
        JsonNode input = node.get("input");
        if (input != null && input.isTextual() && !input.asText().isBlank()) {
            messages.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            input.forEach(m -> {
                if (m.isTextual() && !m.asText().isBlank()) messages.add(m.asText());
                else problems.add(at + "each message of \"input\" must be a non-empty string");
            });
        } else {
            problems.add(at + "\"input\" is missing or empty; give the user's message as a string, or a conversation as "
                    + "an array of the user's messages");
        }
        JsonNode expect = node.get("expect");
        List<Grader> graders = new ArrayList<>();
        if (expect == null || !expect.isObject() || expect.isEmpty()) {
            problems.add(at + "\"expect\" is missing or empty; add at least one of " + String.join(", ", EXPECT_FIELDS));
        } else {
            graders = graders(expect, at, problems);
        }
        return problems.size() > before ? null : new EvalCase(id, line, messages, graders, expect);
    }

    private static List<Grader> graders(JsonNode e, String at, List<String> problems) {
        List<Grader> out = new ArrayList<>();
        e.fieldNames().forEachRemaining(f -> {
            if (!EXPECT_FIELDS.contains(f)) {
                problems.add(at + "unknown expectation \"" + f + "\"; use " + String.join(", ", EXPECT_FIELDS));
            }
        });
        if (e.has("route")) {
            List<String> nodes = strings(e.get("route"), at, "route", problems);
            if (!nodes.isEmpty()) out.add(new Grader.Route(nodes));
        }
        if (e.has("branch")) {
            text(e, "branch", at, problems).ifPresent(b -> out.add(new Grader.Branch(b)));
        }
        if (e.has("category")) {
            String classifier = e.has("classifier") ? text(e, "classifier", at, problems).orElse(null) : null;
            text(e, "category", at, problems).ifPresent(c -> out.add(new Grader.Category(c, classifier)));
        } else if (e.has("classifier")) {
            problems.add(at + "\"classifier\" names the node whose \"category\" is checked; add \"category\" too");
        }
        for (String t : strings(e.get("contains"), at, "contains", problems)) out.add(new Grader.Contains(t, null, true));
        for (String t : strings(e.get("not_contains"), at, "not_contains", problems)) out.add(new Grader.Contains(t, null, false));
        for (String field : List.of("matches", "not_matches")) {
            for (String r : strings(e.get(field), at, field, problems)) {
                try {
                    out.add(new Grader.Contains(r, Pattern.compile(r), field.equals("matches")));
                } catch (PatternSyntaxException x) {
                    problems.add(at + "\"" + field + "\": /" + r + "/ is not a valid regular expression ("
                            + x.getDescription() + "); escape special characters with a backslash");
                }
            }
        }
        if (e.has("schema")) {
            if (e.get("schema").isObject()) out.add(new Grader.Schema(e.get("schema")));
            else problems.add(at + "\"schema\" must be a JSON Schema object, such as {\"type\": \"object\"}");
        }
        if (e.has("must_decline")) {
            if (!e.get("must_decline").isBoolean()) problems.add(at + "\"must_decline\" must be true or false");
            else if (e.get("must_decline").asBoolean()) out.add(new Grader.Decline());
        }
        if (e.has("reference")) {
            double min = DEFAULT_SIMILARITY;
            if (e.has("min_similarity")) {
                JsonNode m = e.get("min_similarity");
                if (!m.isNumber() || m.asDouble() < -1 || m.asDouble() > 1) {
                    problems.add(at + "\"min_similarity\" must be a number from -1 to 1, such as 0.6");
                } else {
                    min = m.asDouble();
                }
            }
            double minimum = min;
            text(e, "reference", at, problems).ifPresent(r -> out.add(new Grader.Similarity(r, minimum)));
        } else if (e.has("min_similarity")) {
            problems.add(at + "\"min_similarity\" applies to a \"reference\" answer; add \"reference\" too");
        }
        if (e.has("rubric")) text(e, "rubric", at, problems).ifPresent(r -> out.add(new Grader.Rubric(r)));
        return out;
    }

    private static java.util.Optional<String> text(JsonNode e, String field, String at, List<String> problems) {
        JsonNode v = e.get(field);
        if (v != null && v.isTextual() && !v.asText().isBlank()) return java.util.Optional.of(v.asText());
        problems.add(at + "\"" + field + "\" must be a non-empty string");
        return java.util.Optional.empty();
    }

    private static List<String> strings(JsonNode v, String at, String field, List<String> problems) {
        if (v == null) return List.of();
        if (v.isTextual() && !v.asText().isEmpty()) return List.of(v.asText());
        List<String> out = new ArrayList<>();
        if (v.isArray() && !v.isEmpty()) {
            for (JsonNode s : v) {
                if (s.isTextual() && !s.asText().isEmpty()) out.add(s.asText());
                else {
                    problems.add(at + "\"" + field + "\" must hold non-empty strings");
                    return List.of();
                }
            }
            return out;
        }
        problems.add(at + "\"" + field + "\" must be a non-empty string or an array of them");
        return List.of();
    }
}
