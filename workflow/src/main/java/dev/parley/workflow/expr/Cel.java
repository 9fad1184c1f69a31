package dev.parley.workflow.expr;

import dev.cel.common.CelOptions;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

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
}
