package dev.parley.workflow.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelUnknownSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paths read without the interpreter give what the interpreter gives, and everything else still goes to it. */
class CelTest {
    private static final CelCompiler COMPILER = Cel.compilerBuilder()
            .addVar("agent", SimpleType.DYN)
            .addVar("workflow", SimpleType.DYN)
            .addVar("state", SimpleType.DYN)
            .build();

    private static CelAbstractSyntaxTree checked(String expression) throws Exception {
        return COMPILER.compile(expression).getAst();
    }

    @Test
    void onlyIdentifiersAndFieldChainsArePaths() throws Exception {
        assertThat(Cel.path(checked("agent").getExpr())).containsExactly("agent");
        assertThat(Cel.path(checked("agent.output_parsed.category").getExpr()))
                .containsExactly("agent", "output_parsed", "category");
        assertThat(Cel.path(checked("has(agent.output_text)").getExpr())).isNull();
        assertThat(Cel.path(checked("agent.output_parsed.category == 'sales'").getExpr())).isNull();
        assertThat(Cel.path(checked("agent['output_text']").getExpr())).isNull();
        assertThat(Cel.path(checked("state.items[0]").getExpr())).isNull();
    }

    @Test
    void aPathGivesWhatTheRuntimeGives() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        vars.put("agent", Map.of("output_text", "hello", "output_parsed", Map.of("category", "sales", "score", 3L)));
        vars.put("workflow", Map.of("input_as_text", "hi there"));
        vars.put("state", Map.of("items", List.of("a", "b"), "flag", true));
        for (String e : List.of("agent.output_text", "agent.output_parsed.category", "agent.output_parsed.score",
                "workflow.input_as_text", "state.items", "state.flag", "agent.output_parsed")) {
            CelAbstractSyntaxTree ast = checked(e);
            assertThat(Cel.eval(ast, vars)).as(e).isEqualTo(Cel.runtime().createProgram(ast).eval(vars));
        }
    }

    @Test
    void aMissingStepIsLeftToTheRuntime() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        vars.put("agent", Map.of("output_text", "hello"));
        // A variable that was never set: the runtime's unknown, exactly as before.
        assertThat(Cel.eval(checked("workflow.input_as_text"), vars))
                .isEqualTo(Cel.runtime().createProgram(checked("workflow.input_as_text")).eval(vars));
        // A field the map lacks: the runtime's error, not a silent null.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cel.eval(checked("agent.missing"), vars))
                .isInstanceOf(dev.cel.runtime.CelEvaluationException.class)
                .hasMessageContaining("missing");
        // Not a path at all: evaluated by the runtime over the same variables.
        assertThat(Cel.eval(checked("agent.output_text + '!'"), vars)).isEqualTo("hello!");
        assertThat(Cel.eval(checked("has(agent.missing)"), vars)).isEqualTo(false);
    }

    @Test
    void anUnsetVariableStaysUnknown() throws Exception {
        Object result = Cel.eval(checked("state.flag"), Map.of());
        assertThat(result).isInstanceOf(CelUnknownSet.class)
                .isEqualTo(Cel.runtime().createProgram(checked("state.flag")).eval(Map.of()));
    }
}
