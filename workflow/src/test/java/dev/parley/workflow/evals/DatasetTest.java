package dev.parley.workflow.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading datasets: every kind of expectation, conversations, and a clear error per bad line. */
class DatasetTest {
    @Test
    void readsEveryExpectationAndConversations() {
        Dataset d = Dataset.parse("""
                {"id": "a", "input": "We need a site", "expect": {"category": "website_build", "route": ["x", "y"], "branch": "b", "contains": ["one", "two"], "not_contains": "three", "matches": "\\\\d+", "not_matches": ["z"], "schema": {"type": "object"}, "must_decline": true, "reference": "ref", "min_similarity": 0.7, "rubric": "nice"}}

                {"input": ["Hi", "Fix our shop"], "expect": {"branch": "else"}}
                """);
        assertThat(d.cases()).hasSize(2);
        EvalCase a = d.cases().getFirst();
        assertThat(a.graders()).extracting(Grader::kind).containsExactly("route", "route", "category", "contains", "contains",
                "contains", "contains", "contains", "json_schema", "must_decline", "similarity", "rubric");
        assertThat(a.graders()).contains(new Grader.Similarity("ref", 0.7), new Grader.Category("website_build", null));
        assertThat(a.expectedCategory()).isEqualTo("website_build");
        EvalCase b = d.cases().get(1);
        assertThat(b.id()).isEqualTo("line-3");
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.messages()).containsExactly("Hi", "Fix our shop");
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndFix() {
        String text = String.join("\n",
                "{\"input\": \"ok\", \"expect\": {\"contains\": \"x\"}}",
                "not json",
                "{\"input\": \"\", \"expect\": {\"contains\": \"x\"}}",
                "{\"input\": \"hi\"}",
                "{\"input\": \"hi\", \"expect\": {\"contain\": \"x\"}}",
                "{\"input\": \"hi\", \"expect\": {\"matches\": \"(unclosed\"}}",
                "{\"input\": \"hi\", \"expect\": {\"reference\": \"r\", \"min_similarity\": 3}}",
                "{\"id\": \"dup\", \"input\": \"hi\", \"expect\": {\"must_decline\": true}}",
                "{\"id\": \"dup\", \"input\": \"hi\", \"expect\": {\"must_decline\": true}}",
                "[1, 2]",
                "{\"input\": \"hi\", \"expect\": {\"classifier\": \"c\"}, \"tags\": []}");
        assertThatThrownBy(() -> Dataset.parse(text)).isInstanceOfSatisfying(DatasetFormatException.class, e -> {
            List<String> p = e.problems();
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 2: not valid JSON").contains("one JSON object on a single line"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 3: \"input\" is missing or empty"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 4: \"expect\" is missing").contains("category"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 5: unknown expectation \"contain\"").contains("contains"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 6: \"matches\": /(unclosed/ is not a valid regular expression"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 7: \"min_similarity\" must be a number from -1 to 1"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 9: the id \"dup\" is used by an earlier case"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 10: a case must be a JSON object"));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 11: unknown field \"tags\""));
            assertThat(p).anySatisfy(s -> assertThat(s).startsWith("line 11: \"classifier\" names the node"));
            assertThat(p).noneSatisfy(s -> assertThat(s).startsWith("line 1:"));
            assertThat(e.getMessage()).startsWith(p.size() + " problem(s) in the dataset: line 2");
        });
    }

    @Test
    void anEmptyDatasetSaysWhatACaseLooksLike() {
        assertThatThrownBy(() -> Dataset.parse("\n\n")).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("has no cases").hasMessageContaining("\"expect\"");
    }

    @Test
    void theSeedDatasetHasAtLeastSixtyLabelledCasesCoveringEveryCategory() {
        Dataset seed = Dataset.parse(Evals.bundledSeedDataset());
        assertThat(seed.cases()).hasSizeGreaterThanOrEqualTo(60);
        List<String> categories = seed.cases().stream().map(EvalCase::expectedCategory).filter(java.util.Objects::nonNull).toList();
        assertThat(categories).hasSizeGreaterThanOrEqualTo(60);
        for (String c : List.of("general_inquiry", "website_build", "web_app_or_platform", "single_purpose_tool",
                "automation_or_integration", "maintenance_or_consulting")) {
            assertThat(categories.stream().filter(c::equals).count()).as(c).isGreaterThanOrEqualTo(10);
        }
        assertThat(seed.cases()).anySatisfy(c -> assertThat(c.messages()).hasSizeGreaterThan(1));
        assertThat(seed.cases().stream().flatMap(c -> c.graders().stream()).map(Grader::kind).distinct())
                .contains("route", "category", "contains", "json_schema", "must_decline", "similarity", "rubric");
    }
}
