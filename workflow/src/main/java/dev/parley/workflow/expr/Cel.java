package dev.parley.workflow.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

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
     * Programs of the ASTs run so far. A checked AST belongs to an immutable compiled version, so its program never
     * changes; planning it again on every evaluation cost more than evaluating it. Keyed by identity (an AST's own
     * hash walks the whole tree); cleared if previews of drafts ever fill it.
     */
    private static final Map<CelAbstractSyntaxTree, CelRuntime.Program> PROGRAMS =
            Collections.synchronizedMap(new IdentityHashMap<>());
    private static final int MAX_PROGRAMS = 10_000;

    /**
     * {@return the program for a checked AST}
     *
     * @throws CelEvaluationException if the runtime cannot plan it
     */
    public static CelRuntime.Program program(CelAbstractSyntaxTree ast) throws CelEvaluationException {
        CelRuntime.Program p = PROGRAMS.get(ast);
        if (p == null) {
            p = RUNTIME.createProgram(ast);
            if (PROGRAMS.size() >= MAX_PROGRAMS) PROGRAMS.clear();
            PROGRAMS.put(ast, p);
        }
        return p;
    }
}
