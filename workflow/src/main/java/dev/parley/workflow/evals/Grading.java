package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.ModelException;
import dev.parley.model.ModelProvider;
import dev.parley.model.SchemaValidator;
import dev.parley.model.StructuredCompletion;
import dev.parley.model.StructuredRequest;
import dev.parley.model.embedded.Embedder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Gives each {@link Grader} its verdict on an {@link Observation}: one exhaustive switch, so a new kind of grader
 * does not compile until it is graded here.
 */
public final class Grading {
    /**
     * Phrases of a refusal, in the ways assistants say it. The embedded provider's own refusal ("I can't answer that
     * from what I know") and a guardrail's stop are among them.
     */
    private static final Pattern DECLINE = Pattern.compile("\\b(can(?:'|’)?t|cannot|can not|unable to|not able to|"
            + "won(?:'|’)t be able to|don(?:'|’)t (?:know|have)|do not (?:know|have)|i(?:'|’)m sorry|i am sorry|"
            + "not something i can|outside (?:of )?(?:my|what i))\\b", Pattern.CASE_INSENSITIVE);
    private static final JsonNode RUBRIC_SCHEMA = rubricSchema();

    private final Supplier<Embedder> embedder;
    private final ModelProvider judge;

    /**
     * @param embedder the embedding model for {@link Grader.Similarity}, asked for only when a case has one
     * @param judge    the configured provider, for {@link Grader.Rubric}; null leaves rubrics ungraded (failed, saying so)
     */
    public Grading(Supplier<Embedder> embedder, ModelProvider judge) {
        this.embedder = embedder;
        this.judge = judge;
    }

    /** {@return every grader's verdict on the observation, in the case's order} */
    public List<Verdict> grade(List<Grader> graders, String lastInput, Observation seen) {
        return graders.stream().map(g -> grade(g, lastInput, seen)).toList();
    }

    Verdict grade(Grader grader, String lastInput, Observation seen) {
        if (seen.error() != null && !(grader instanceof Grader.Decline)) {
            return verdict(grader, false, "the run failed: " + seen.error());
        }
        return switch (grader) {
            case Grader.Route r -> route(r, seen);
            case Grader.Branch b -> {
                List<String> taken = nodes(seen).stream().filter(n -> n.has("branch") && "if_else".equals(n.path("type").asText()))
                        .map(n -> n.path("node_id").asText() + "→" + n.path("branch").asText()).toList();
                boolean ok = taken.stream().anyMatch(t -> t.endsWith("→" + b.branch()));
                yield verdict(b, ok, "expected branch " + b.branch() + ", took " + (taken.isEmpty() ? "no branch" : String.join(", ", taken)));
            }
            case Grader.Category c -> {
                String got = category(c, seen);
                yield verdict(c, c.category().equals(got), "expected " + c.category() + ", got " + (got == null ? "no classification" : got));
            }
            case Grader.Contains c -> {
                String reply = seen.reply() == null ? "" : seen.reply();
                boolean found = c.regex() != null ? c.regex().matcher(reply).find()
                        : reply.toLowerCase(Locale.ROOT).contains(c.text().toLowerCase(Locale.ROOT));
                yield verdict(c, found == c.must(), "expected the reply " + c.describe() + (found == c.must() ? "" : ": "
                        + excerpt(reply)));
            }
            case Grader.Schema s -> {
                if (seen.endOutput() == null) yield verdict(s, false, "the run did not reach an End node");
                List<String> problems = SchemaValidator.violations(s.schema(), seen.endOutput());
                yield verdict(s, problems.isEmpty(), problems.isEmpty() ? "the End output satisfies the schema"
                        : "the End output " + seen.endOutput() + " breaks the schema: " + String.join("; ", problems));
            }
            case Grader.Decline d -> {
                boolean stopped = seen.error() != null || nodes(seen).stream().anyMatch(n -> "guardrail".equals(n.path("type").asText())
                        && "fail".equals(n.path("branch").asText()));
                boolean declined = stopped || DECLINE.matcher(seen.reply() == null ? "" : seen.reply()).find();
                yield verdict(d, declined, declined ? "the assistant declined" : "expected a refusal, got: " + excerpt(seen.reply()));
            }
            case Grader.Similarity s -> {
                Embedder e = embedder.get();
                double cos = Embedder.cosine(e.embedRemembered(s.reference()), e.embed(seen.reply() == null ? "" : seen.reply()));
                yield verdict(s, cos >= s.minimum(), String.format(Locale.ROOT, "similarity %.3f to the reference (at least %.2f)",
                        cos, s.minimum()));
            }
            case Grader.Rubric r -> rubric(r, lastInput, seen);
        };
    }

    private static Verdict route(Grader.Route r, Observation seen) {
        List<String> passed = nodes(seen).stream().map(n -> n.path("node_id").asText()).toList();
        int at = 0;
        for (String want : r.nodes()) {
            int found = passed.subList(at, passed.size()).indexOf(want);
            if (found < 0) {
                return verdict(r, false, "expected the route " + String.join(" → ", r.nodes()) + ", missing " + want
                        + "; the run passed " + String.join(" → ", passed));
            }
            at += found + 1;
        }
        return verdict(r, true, "passed " + String.join(" → ", r.nodes()));
    }

    private static String category(Grader.Category c, Observation seen) {
        for (JsonNode n : nodes(seen)) {
            if (!"classifier".equals(n.path("type").asText())) continue;
            if (c.node() != null && !c.node().equals(n.path("node_id").asText())) continue;
            JsonNode out = n.path("output").path("category");
            return out.isTextual() ? out.asText() : null;
        }
        return null;
    }

    private Verdict rubric(Grader.Rubric r, String lastInput, Observation seen) {
        if (judge == null) return verdict(r, false, "no model is configured to grade rubrics");
        String input = "Rubric: " + r.rubric() + "\n\nThe user wrote: " + lastInput + "\n\nThe assistant replied: "
                + (seen.reply() == null ? "" : seen.reply());
        try {
            StructuredCompletion c = judge.structured(new StructuredRequest(null,
                    "You grade an assistant's reply against a rubric. Answer pass true only if the reply meets every "
                            + "point of the rubric, and give a one-sentence reason.", List.of(), input, null,
                    "rubric_grade", RUBRIC_SCHEMA));
            boolean pass = c.value().path("pass").asBoolean(false);
            return verdict(r, pass, judge.name() + ": " + c.value().path("reason").asText(""));
        } catch (ModelException e) {
            return verdict(r, false, judge.name() + " could not grade: " + e.getMessage());
        }
    }

    private static List<JsonNode> nodes(Observation seen) {
        JsonNode nodes = seen.trace() == null ? null : seen.trace().path("nodes");
        if (nodes == null || !nodes.isArray()) return List.of();
        List<JsonNode> out = new java.util.ArrayList<>();
        nodes.forEach(out::add);
        return out;
    }

    private static Verdict verdict(Grader g, boolean passed, String detail) {
        return new Verdict(g.kind(), passed, detail, g.modelGraded());
    }

    private static String excerpt(String text) {
        if (text == null || text.isEmpty()) return "(no reply)";
        String t = text.strip().replaceAll("\\s+", " ");
        return "\"" + (t.length() > 160 ? t.substring(0, 157) + "…" : t) + "\"";
    }

    private static JsonNode rubricSchema() {
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        props.putObject("pass").put("type", "boolean");
        props.putObject("reason").put("type", "string");
        s.putArray("required").add("pass").add("reason");
        return s;
    }
}
