package dev.parley.workflow.evals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.openai.OpenAiProvider;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.StandInOpenAi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each grader on a case it passes and one it fails. The observations are what a run of the seed workflow records
 * (a trace with its nodes, the reply, the End output); the rubric is graded by an OpenAI provider talking to a
 * stand-in OpenAI server on loopback.
 */
class GradingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The trace a run of the seed leaves when the classifier says website_build. */
    private static final String TRACE = """
            {"nodes": [
              {"node_id": "start", "type": "start"},
              {"node_id": "project_inquiry_classification", "type": "classifier", "output": {"category": "website_build"}},
              {"node_id": "route_inquiry", "type": "if_else", "branch": "website_build"},
              {"node_id": "website_inquiry_agent", "type": "agent", "output": "To start a website we ask for your goals."},
              {"node_id": "website_inquiry_end", "type": "end", "output": {"message": "To start a website we ask for your goals."}}
            ]}""";
    private static final String REPLY = "To start a website we ask for your goals, a few sites you like and your logo.";

    private StandInOpenAi openai;
    private final Grading grading = new Grading(Embedder::shared, null);

    @AfterEach
    void stop() {
        if (openai != null) openai.close();
    }

    private static Observation seen(String reply) throws Exception {
        JsonNode trace = JSON.readTree(TRACE);
        return new Observation(reply, trace, trace.path("nodes").get(4).get("output"), "run_1", 1000, 3, 4, null);
    }

    private Verdict grade(Grader g, Observation o) {
        return grading.grade(g, "We need a website", o);
    }

    private Verdict grade(String expectJson, Observation o) throws Exception {
        EvalCase c = Dataset.parse("{\"input\": \"We need a website\", \"expect\": " + expectJson + "}").cases().getFirst();
        assertThat(c.graders()).hasSize(1);
        return grade(c.graders().getFirst(), o);
    }

    @Test
    void routePassesWhenTheNodesComeInOrderAndFailsNamingTheMissingOne() throws Exception {
        assertThat(grade("{\"route\": [\"project_inquiry_classification\", \"website_inquiry_agent\"]}", seen(REPLY)).passed()).isTrue();
        Verdict wrong = grade("{\"route\": [\"project_inquiry_classification\", \"tool_inquiry_agent\"]}", seen(REPLY));
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.detail()).contains("missing tool_inquiry_agent").contains("website_inquiry_agent");
        // Order matters: the end before the agent is not this run's route.
        assertThat(grade("{\"route\": [\"website_inquiry_end\", \"website_inquiry_agent\"]}", seen(REPLY)).passed()).isFalse();
    }

    @Test
    void branchPassesOnTheTakenBranchOnly() throws Exception {
        assertThat(grade("{\"branch\": \"website_build\"}", seen(REPLY)).passed()).isTrue();
        Verdict v = grade("{\"branch\": \"else\"}", seen(REPLY));
        assertThat(v.passed()).isFalse();
        assertThat(v.detail()).contains("route_inquiry→website_build");
        assertThat(v.kind()).isEqualTo("route");
    }

    @Test
    void categoryComparesTheClassifiersChoice() throws Exception {
        assertThat(grade("{\"category\": \"website_build\"}", seen(REPLY)).passed()).isTrue();
        Verdict v = grade("{\"category\": \"single_purpose_tool\"}", seen(REPLY));
        assertThat(v.passed()).isFalse();
        assertThat(v.detail()).isEqualTo("expected single_purpose_tool, got website_build");
        assertThat(grade("{\"category\": \"website_build\", \"classifier\": \"other_classifier\"}", seen(REPLY)).passed()).isFalse();
    }

    @Test
    void containsAndRegexBothWaysIgnoringCaseForPlainText() throws Exception {
        assertThat(grade("{\"contains\": \"YOUR GOALS\"}", seen(REPLY)).passed()).isTrue();
        assertThat(grade("{\"contains\": \"budget\"}", seen(REPLY)).passed()).isFalse();
        assertThat(grade("{\"not_contains\": \"__VAR__\"}", seen(REPLY)).passed()).isTrue();
        Verdict leaked = grade("{\"not_contains\": \"__VAR__\"}", seen("Hello __VAR__agent.output_text__ENDVAR__"));
        assertThat(leaked.passed()).isFalse();
        assertThat(leaked.detail()).contains("not containing \"__VAR__\"");
        assertThat(grade("{\"matches\": \"sites? you like\"}", seen(REPLY)).passed()).isTrue();
        assertThat(grade("{\"matches\": \"^\\\\d+ euros\"}", seen(REPLY)).passed()).isFalse();
        assertThat(grade("{\"not_matches\": \"(?i)can't answer\"}", seen(REPLY)).passed()).isTrue();
        assertThat(grade("{\"not_matches\": \"logo\\\\.$\"}", seen(REPLY)).passed()).isFalse();
    }

    @Test
    void schemaChecksTheEndOutput() throws Exception {
        assertThat(grade("{\"schema\": {\"type\": \"object\", \"required\": [\"message\"]}}", seen(REPLY)).passed()).isTrue();
        Verdict v = grade("{\"schema\": {\"type\": \"object\", \"required\": [\"message\", \"budget\"]}}", seen(REPLY));
        assertThat(v.passed()).isFalse();
        assertThat(v.detail()).contains("budget");
        var noEnd = new Observation(REPLY, JSON.readTree("{\"nodes\": []}"), null, "run_2", 10, 0, 0, null);
        assertThat(grade("{\"schema\": {\"type\": \"object\"}}", noEnd).detail()).contains("did not reach an End node");
    }

    @Test
    void mustDeclineAcceptsRefusalsAndRejectsAnswers() throws Exception {
        assertThat(grade("{\"must_decline\": true}", seen("I can't answer that from what I know.")).passed()).isTrue();
        assertThat(grade("{\"must_decline\": true}", seen("Sorry, I'm unable to help with recipes.")).passed()).isTrue();
        Verdict v = grade("{\"must_decline\": true}", seen(REPLY));
        assertThat(v.passed()).isFalse();
        assertThat(v.detail()).startsWith("expected a refusal");
    }

    @Test
    void similarityUsesTheEmbeddedModelAgainstTheReference() throws Exception {
        Observation rates = seen("Our hourly rate for consulting is 120 euros and a day costs 850 euros.");
        assertThat(grade("{\"reference\": \"We charge 120 euros an hour and 850 euros a day.\", \"min_similarity\": 0.6}",
                rates).passed()).isTrue();
        Verdict off = grade("{\"reference\": \"Our office is in Utrecht in the Netherlands.\", \"min_similarity\": 0.6}", rates);
        assertThat(off.passed()).isFalse();
        assertThat(off.detail()).startsWith("similarity 0.").contains("at least 0.60");
    }

    @Test
    void aFailedRunFailsEveryGraderButMustDecline() throws Exception {
        var failed = new Observation("", JSON.readTree("{\"nodes\": []}"), null, "run_3", 10, 0, 0, "The model is unavailable");
        Verdict v = grade("{\"contains\": \"x\"}", failed);
        assertThat(v.passed()).isFalse();
        assertThat(v.detail()).isEqualTo("the run failed: The model is unavailable");
        assertThat(grade("{\"must_decline\": true}", failed).passed()).isTrue();
    }

    @Test
    void aRubricIsGradedByTheConfiguredModelAndMarkedAsModelGraded() throws Exception {
        openai = StandInOpenAi.start();
        var provider = new OpenAiProvider(new OpenAiSettings("sk-test", openai.baseUrl(), "gpt-5-nano", Duration.ofSeconds(5), 0));
        var judged = new Grading(Embedder::shared, provider);
        openai.then(StandInOpenAi.responsesJson("{\"pass\": true, \"reason\": \"It asks about the goals.\"}"),
                StandInOpenAi.responsesJson("{\"pass\": false, \"reason\": \"It never mentions a budget.\"}"));
        EvalCase c = Dataset.parse("{\"input\": \"We need a website\", \"expect\": {\"rubric\": \"Asks about the goals\"}}")
                .cases().getFirst();
        Verdict pass = judged.grade(c.graders().getFirst(), "We need a website", seen(REPLY));
        Verdict fail = judged.grade(new Grader.Rubric("Mentions the budget"), "We need a website", seen(REPLY));
        assertThat(pass.passed()).isTrue();
        assertThat(pass.modelGraded()).isTrue();
        assertThat(pass.detail()).isEqualTo("openai: It asks about the goals.");
        assertThat(fail.passed()).isFalse();
        assertThat(fail.detail()).contains("never mentions a budget");
        List<StandInOpenAi.Recorded> asked = openai.requests();
        assertThat(asked.getFirst().body()).contains("Asks about the goals").contains("To start a website");
        // The verdict is the model's, so it never decides whether the case passed.
        var result = new CaseResult(c, seen(REPLY), List.of(fail));
        assertThat(result.passed()).isTrue();
        assertThat(grading.grade(new Grader.Rubric("x"), "hi", seen(REPLY)).detail()).contains("no model is configured");
    }
}
