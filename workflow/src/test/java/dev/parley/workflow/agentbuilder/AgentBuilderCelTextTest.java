package dev.parley.workflow.agentbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AbCel}: reading Agent Builder's CEL as text, including text that is not CEL at all. */
class AgentBuilderCelTextTest {
    @Test
    void stringLiteralsAreDecoded() {
        assertThat(AbCel.stringLiteral("\"line one\\nline \\\"two\\\"\"")).isEqualTo("line one\nline \"two\"");
        assertThat(AbCel.stringLiteral("'caf\\u00e9'")).isEqualTo("café");
        assertThat(AbCel.stringLiteral("r\"C:\\temp\"")).isEqualTo("C:\\temp");
        assertThat(AbCel.stringLiteral("\"\"\"three\nlines\"\"\"")).isEqualTo("three\nlines");
        assertThat(AbCel.stringLiteral("\"a\" + b")).isNull();
        assertThat(AbCel.stringLiteral("search query")).isNull();
    }

    @Test
    void pathsSkipStringsMethodsAndFunctions() {
        String rewritten = AbCel.rewritePaths("size(input.results) > 0 && input.results.size() < 3 && \"input.x\" != input",
                p -> p.get(0).equals("input") ? "lookup.output_parsed" + (p.size() > 1 ? "." + String.join(".", p.subList(1, p.size())) : "") : null);
        assertThat(rewritten).isEqualTo("size(lookup.output_parsed.results) > 0 && lookup.output_parsed.results.size() < 3"
                + " && \"input.x\" != lookup.output_parsed");
        assertThat(AbCel.barePath(" state.name ")).containsExactly("state", "name");
        assertThat(AbCel.barePath("state.name == \"\"")).isNull();
    }

    @Test
    void mapLiteralsSplitAtTopLevelOnly() {
        List<AbCel.Entry> entries = AbCel.mapEntries("{\"a\": f(x, y), \"b\": {\"c\": 1, \"d\": [1, 2]}, \"e\": }");
        assertThat(entries).extracting(AbCel.Entry::key).containsExactly("a", "b", "e");
        assertThat(entries).extracting(AbCel.Entry::value).containsExactly("f(x, y)", "{\"c\": 1, \"d\": [1, 2]}", "");
        assertThat(AbCel.mapEntries("{\"a\": 1} + {\"b\": 2}")).isNull();
        assertThat(AbCel.mapEntries("input")).isNull();
    }

    @Test
    void integerLiteralsNextToANumberPathBecomeDoubles() {
        assertThat(AbCel.doubleOperands("state.total +1 * 2", p -> p.equals(List.of("state", "total"))))
                .isEqualTo("state.total +1.0 * 2");
        assertThat(AbCel.doubleOperands("2 - state.total", p -> true)).isEqualTo("2.0 - state.total");
        assertThat(AbCel.doubleOperands("list[1] + state.count", p -> false)).isEqualTo("list[1] + state.count");
    }

    @Test
    void stringExpressionsBecomeTemplates() {
        assertThat(AbCel.toTemplate("\"Hello \" + workflow.input_as_text + \"!\"")).isEqualTo("Hello {{ workflow.input_as_text }}!");
        assertThat(AbCel.toTemplate("\"{{ not markup }}\"")).isEqualTo("{{ \"{{\" }} not markup }}");
        assertThat(AbCel.toTemplate("input.output_text")).isEqualTo("{{ input.output_text }}");
        assertThat(AbCel.quote("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
    }
}
