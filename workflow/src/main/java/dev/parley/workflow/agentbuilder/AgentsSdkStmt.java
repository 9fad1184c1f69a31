package dev.parley.workflow.agentbuilder;

import java.util.List;

/**
 * A statement of an Agents SDK export in the neutral shape both readers produce. Only what Agent Builder's export
 * writes has a record of its own; anything else is {@link Unknown}, which the importer reports with its line.
 */
sealed interface AgentsSdkStmt {
    int line();

    /** {@code target = value}; also {@code const x = …}, {@code x: T = …} (with {@code type}) and bare {@code x: T}. */
    record Assign(int line, AgentsSdkExpr target, AgentsSdkExpr type, AgentsSdkExpr value) implements AgentsSdkStmt {}

    /** An expression evaluated for its effect, such as {@code conversation_history.extend(...)}. */
    record Eval(int line, AgentsSdkExpr expr) implements AgentsSdkStmt {}

    /** {@code if}/{@code elif}/{@code else}; {@code elseLine} is 0 when there is no else. */
    record If(int line, List<Arm> arms, List<AgentsSdkStmt> orElse, int elseLine) implements AgentsSdkStmt {
        public If {
            arms = List.copyOf(arms);
            orElse = List.copyOf(orElse);
        }
    }

    record Arm(int line, AgentsSdkExpr cond, List<AgentsSdkStmt> body) {
        public Arm {
            body = List.copyOf(body);
        }
    }

    record While(int line, AgentsSdkExpr cond, List<AgentsSdkStmt> body) implements AgentsSdkStmt {
        public While {
            body = List.copyOf(body);
        }
    }

    /** {@code return value}; value is null for a bare return. */
    record Return(int line, AgentsSdkExpr value) implements AgentsSdkStmt {}

    /** {@code try}/{@code except} (Python) or {@code try}/{@code catch} (TypeScript). */
    record Try(int line, List<AgentsSdkStmt> body, List<AgentsSdkStmt> handler, int handlerLine)
            implements AgentsSdkStmt {
        public Try {
            body = List.copyOf(body);
            handler = List.copyOf(handler);
        }
    }

    /** {@code with trace("…"):} and the like. */
    record With(int line, AgentsSdkExpr context, List<AgentsSdkStmt> body) implements AgentsSdkStmt {
        public With {
            body = List.copyOf(body);
        }
    }

    /** A function: {@code def}, {@code async def}, or TypeScript's {@code const f = async (…) => {…}} at top level. */
    record Def(int line, String name, List<Param> params, List<String> decorators, List<AgentsSdkStmt> body)
            implements AgentsSdkStmt {
        public Def {
            params = List.copyOf(params);
            decorators = List.copyOf(decorators);
            body = List.copyOf(body);
        }
    }

    /** A parameter or a typed field: {@code name: type = defaultValue}; type and default may be null. */
    record Param(String name, AgentsSdkExpr type, AgentsSdkExpr defaultValue) {}

    /** A Python class (Pydantic models, context classes); its body holds the typed fields. */
    record ClassDef(int line, String name, List<AgentsSdkExpr> bases, List<AgentsSdkStmt> body) implements AgentsSdkStmt {
        public ClassDef {
            bases = List.copyOf(bases);
            body = List.copyOf(body);
        }
    }

    /** {@code pass}, a docstring, an import, a type declaration: read and deliberately without effect. */
    record Skip(int line, String what) implements AgentsSdkStmt {}

    /** A statement the reader could not recognise, with its source text for the report. */
    record Unknown(int line, String text) implements AgentsSdkStmt {}
}
