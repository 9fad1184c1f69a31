package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One expectation of an eval case, checked against what the run did ({@link Observation}). Every kind but
 * {@link Rubric} is deterministic: the same run always gets the same verdict. A rubric asks the configured model,
 * so its verdicts are reported apart and never count towards a case's pass or the gate.
 */
public sealed interface Grader {
    /** {@return the kind, as the summary groups verdicts: {@code route}, {@code category}, …} */
    String kind();

    /** {@return whether the verdict comes from a model rather than a rule} */
    default boolean modelGraded() {
        return false;
    }

    /** The run passed these nodes, in this order (others may come between). */
    record Route(List<String> nodes) implements Grader {
        public Route {
            nodes = List.copyOf(nodes);
        }

        public String kind() {
            return "route";
        }
    }

    /** Some if/else node of the run took this branch (a condition id, or {@code else}). */
    record Branch(String branch) implements Grader {
        public String kind() {
            return "route";
        }
    }

    /**
     * A classifier of the run chose this category.
     *
     * @param node the classifier's node id, or null for the first classifier the run passed
     */
    record Category(String category, String node) implements Grader {
        public String kind() {
            return "category";
        }
    }

    /**
     * The reply contains (or, with {@code must} false, does not contain) the text; plain text is compared
     * ignoring case, a regular expression is searched anywhere in the reply.
     */
    record Contains(String text, Pattern regex, boolean must) implements Grader {
        public String kind() {
            return "contains";
        }

        /** {@return what the expectation says, for the verdict's detail} */
        String describe() {
            return (must ? "" : "not ") + (regex != null ? "matching /" + regex.pattern() + "/" : "containing \"" + text + "\"");
        }
    }

    /** The End node's output satisfies this JSON Schema. */
    record Schema(JsonNode schema) implements Grader {
        public String kind() {
            return "json_schema";
        }
    }

    /** The assistant declined: said it cannot answer or help, or a guardrail stopped the run. */
    record Decline() implements Grader {
        public String kind() {
            return "must_decline";
        }
    }

    /** The reply means about the same as the reference answer: cosine similarity of their embeddings. */
    record Similarity(String reference, double minimum) implements Grader {
        public String kind() {
            return "similarity";
        }
    }

    /** The configured model judges whether the reply meets the rubric. */
    record Rubric(String rubric) implements Grader {
        public String kind() {
            return "rubric";
        }

        @Override
        public boolean modelGraded() {
            return true;
        }
    }
}
