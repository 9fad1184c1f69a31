package dev.parley.workflow.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one CEL configuration shared by publish-time checking and the runtime; they must agree, or an expression that
 * type-checked could fail to evaluate (e.g. {@code confidence > 1} needs heterogeneous numeric comparisons on both).
 */
public final class Cel {
    public static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .populateMacroCalls(true)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Cel() {}

    /** {@return a compiler builder with our options and the standard macros ({@code has}, {@code exists}, …)} */
    public static CelCompilerBuilder compilerBuilder() {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    }

    /** {@return the runtime to turn checked ASTs into programs; it is thread-safe and cheap to share} */
    public static CelRuntime runtime() {
        return RUNTIME;
    }

    /**
     * How each AST run so far is evaluated. A checked AST belongs to an immutable compiled version, so its plan never
     * changes; planning it again on every evaluation cost more than evaluating it. Keyed by identity (an AST's own
     * hash walks the whole tree); cleared if previews of drafts ever fill it.
     */
    private static final Map<CelAbstractSyntaxTree, Plan> PLANS = Collections.synchronizedMap(new IdentityHashMap<>());
    private static final int MAX_PLANS = 10_000;

    /**
     * A program, and for an expression that only reads a variable or a field of one ({@code agent.output_text},
     * {@code workflow.input_as_text}: most templates and End values) the names along the way, which are read
     * straight from the variables' maps: the interpreter's set-up (a copy of every variable into an immutable map
     * per evaluation) cost several times the read itself.
     */
    private record Plan(CelRuntime.Program program, String[] path) {}

    /**
     * {@return the value of a checked AST over the variables}, as the CEL runtime gives it: a path whose every step
     * is present is read directly; anything else, including a path with a missing step, is left to the runtime, so
     * unknowns and errors come out exactly as CEL makes them.
     *
     * @throws CelEvaluationException if the runtime cannot plan or evaluate it
     */
    public static Object eval(CelAbstractSyntaxTree ast, Map<String, ?> vars) throws CelEvaluationException {
        Plan plan = plan(ast);
        if (plan.path() != null) {
            Object value = read(plan.path(), vars);
            if (value != null) return value;
        }
        return plan.program().eval(name -> Optional.ofNullable(vars.get(name)));
    }

    private static Object read(String[] path, Map<String, ?> vars) {
        Object value = vars.get(path[0]);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return value;
    }

    private static Plan plan(CelAbstractSyntaxTree ast) throws CelEvaluationException {
        Plan p = PLANS.get(ast);
        if (p == null) {
            p = new Plan(RUNTIME.createProgram(ast), path(ast.getExpr()));
            if (PLANS.size() >= MAX_PLANS) PLANS.clear();
            PLANS.put(ast, p);
        }
        return p;
    }

    /** {@return the names of an identifier or a chain of field selections on one, else null} */
    static String[] path(CelExpr expr) {
        var names = new ArrayDeque<String>();
        CelExpr e = expr;
        while (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()) {
            names.addFirst(e.select().field());
            e = e.select().operand();
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.IDENT) return null;
        names.addFirst(e.ident().name());
        return names.toArray(String[]::new);
    }
}
