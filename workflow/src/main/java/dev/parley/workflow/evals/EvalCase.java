package dev.parley.workflow.evals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One case of a dataset.
 *
 * @param id       unique in its dataset ({@code line-N} when the line names none)
 * @param line     its line in the JSON Lines text, from 1
 * @param messages what the user says, turn by turn; the last turn's reply is graded
 * @param graders  what the run must do, at least one
 * @param expect   the case's {@code expect} object as written, shown next to its results
 */
public record EvalCase(String id, int line, List<String> messages, List<Grader> graders, JsonNode expect) {
    public EvalCase {
        messages = List.copyOf(messages);
        graders = List.copyOf(graders);
    }

    /** {@return the category the case expects of its classifier, or null} */
    public String expectedCategory() {
        return graders.stream().filter(g -> g instanceof Grader.Category).map(g -> ((Grader.Category) g).category())
                .findFirst().orElse(null);
    }
}
