package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkStmt.Arm;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Kind;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Unreadable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statements of a Python export: definitions at the top, the {@code run_workflow} body with its
 * {@code if}/{@code while}/{@code try}/{@code with} blocks. A statement it cannot read becomes
 * {@link AgentsSdkStmt.Unknown} with its line (its indented block skipped), so one odd line never loses the rest.
 */
final class PythonReader extends AgentsSdkParser {
    private final String[] lines;

    private PythonReader(List<AgentsSdkToken> tokens, String[] lines) {
        super(tokens);
        this.lines = lines;
    }

    /** @throws Unreadable when the source cannot even be tokenised (an unclosed string, a stray character) */
    static List<AgentsSdkStmt> read(String source) {
        return new PythonReader(PythonLexer.tokens(source), source.split("\n", -1)).block();
    }

    private List<AgentsSdkStmt> block() {
        List<AgentsSdkStmt> out = new ArrayList<>();
        while (true) {
            AgentsSdkToken t = peek();
            if (t.kind() == Kind.END) return out;
            if (t.kind() == Kind.DEDENT) {
                pos++;
                return out;
            }
            if (t.kind() == Kind.NEWLINE) {
                pos++;
                continue;
            }
            int start = pos;
            try {
                out.add(statement());
            } catch (Unreadable e) {
                pos = start;
                out.add(new AgentsSdkStmt.Unknown(t.line(), sourceLine(t.line())));
                skipStatement();
            }
        }
    }

    /** Skips the rest of a logical line and, when an indented block follows, that block. */
    private void skipStatement() {
        while (peek().kind() != Kind.NEWLINE && peek().kind() != Kind.END) pos++;
        if (peek().kind() == Kind.NEWLINE) pos++;
        if (peek().kind() == Kind.INDENT) {
            int nest = 0;
            do {
                if (peek().kind() == Kind.INDENT) nest++;
                if (peek().kind() == Kind.DEDENT) nest--;
                pos++;
            } while (nest > 0 && peek().kind() != Kind.END);
        }
    }

    private String sourceLine(int line) {
        return line >= 1 && line <= lines.length ? lines[line - 1].strip() : "";
    }

    private AgentsSdkStmt statement() {
        AgentsSdkToken t = peek();
        if (t.isOp("@")) return decorated();
        if (t.kind() == Kind.NAME) {
            switch (t.text()) {
                case "def" -> {
                    return def(List.of());
                }
                case "async" -> {
                    if (peek(1).isName("def")) {
                        pos++;
                        return def(List.of());
                    }
                    if (peek(1).isName("with")) {
                        pos++;
                        return with();
                    }
                }
                case "class" -> {
                    return classDef();
                }
                case "if" -> {
                    return ifStatement();
                }
                case "while" -> {
                    pos++;
                    AgentsSdkExpr cond = expression();
                    return new AgentsSdkStmt.While(t.line(), cond, body());
                }
                case "try" -> {
                    return tryStatement();
                }
                case "with" -> {
                    return with();
                }
                case "return" -> {
                    pos++;
                    AgentsSdkExpr value = atLineEnd() ? null : expression();
                    endOfLine();
                    return new AgentsSdkStmt.Return(t.line(), value);
                }
                case "pass" -> {
                    pos++;
                    endOfLine();
                    return new AgentsSdkStmt.Skip(t.line(), "pass");
                }
                case "import", "from" -> {
                    while (!atLineEnd()) pos++;
                    endOfLine();
                    return new AgentsSdkStmt.Skip(t.line(), "import");
                }
                case "for", "elif", "else", "except", "finally", "raise", "global", "nonlocal", "del", "lambda" ->
                    throw unreadable("`" + t.text() + "` is not something the export writes here");
                default -> { }
            }
        }
        return simple();
    }

    private AgentsSdkStmt simple() {
        AgentsSdkToken t = peek();
        AgentsSdkExpr first = expression();
        AgentsSdkStmt result;
        if (acceptOp("=")) {
            result = new AgentsSdkStmt.Assign(t.line(), first, null, expression());
        } else if (acceptOp(":")) {
            AgentsSdkExpr type = expression();
            AgentsSdkExpr value = acceptOp("=") ? expression() : null;
            result = new AgentsSdkStmt.Assign(t.line(), first, type, value);
        } else if (peek().kind() == Kind.OP && peek().text().endsWith("=") && peek().text().length() == 2
                && !peek().text().equals("==")) {
            throw unreadable("augmented assignment `" + peek().text() + "` is not something the export writes");
        } else if (first instanceof AgentsSdkExpr.Str) {
            result = new AgentsSdkStmt.Skip(t.line(), "docstring");
        } else {
            result = new AgentsSdkStmt.Eval(t.line(), first);
        }
        endOfLine();
        return result;
    }

    private boolean atLineEnd() {
        Kind k = peek().kind();
        return k == Kind.NEWLINE || k == Kind.END || peek().isOp(";");
    }

    private void endOfLine() {
        if (acceptOp(";") && !atLineEnd()) throw unreadable("several statements on one line");
        if (peek().kind() == Kind.NEWLINE) {
            pos++;
        } else if (peek().kind() != Kind.END && peek().kind() != Kind.DEDENT) {
            throw unreadable("unexpected `" + describe(peek()) + "` after a complete statement");
        }
    }

    /** The body after a block header's colon: an indented block, a statement on the same line, or nothing. */
    private List<AgentsSdkStmt> body() {
        expectOp(":");
        if (peek().kind() != Kind.NEWLINE) return List.of(statement());
        pos++;
        while (peek().kind() == Kind.NEWLINE) pos++;
        if (peek().kind() != Kind.INDENT) return List.of();
        pos++;
        return block();
    }

    private AgentsSdkStmt decorated() {
        List<String> decorators = new ArrayList<>();
        while (acceptOp("@")) {
            AgentsSdkExpr d = expression();
            String name = AgentsSdkExpr.dotted(d instanceof AgentsSdkExpr.Call c ? c.callee() : d);
            decorators.add(name == null ? AgentsSdkExpr.show(d) : name);
            endOfLine();
        }
        if (peek().isName("async")) pos++;
        if (!peek().isName("def")) throw unreadable("a decorator must be followed by a function");
        return def(decorators);
    }

    private AgentsSdkStmt def(List<String> decorators) {
        int line = next().line();
        String name = expectName();
        expectOp("(");
        List<AgentsSdkStmt.Param> params = new ArrayList<>();
        while (!peek().isOp(")")) {
            if (acceptOp("*") || acceptOp("**")) {
                if (peek().isOp(",")) {
                    pos++;
                    continue;
                }
            }
            String p = expectName();
            AgentsSdkExpr type = acceptOp(":") ? expression() : null;
            AgentsSdkExpr dflt = acceptOp("=") ? expression() : null;
            params.add(new AgentsSdkStmt.Param(p, type, dflt));
            if (!acceptOp(",")) break;
        }
        expectOp(")");
        if (acceptOp("->")) expression();
        return new AgentsSdkStmt.Def(line, name, params, decorators, body());
    }

    private AgentsSdkStmt classDef() {
        int line = next().line();
        String name = expectName();
        List<AgentsSdkExpr> bases = new ArrayList<>();
        if (acceptOp("(")) {
            while (!peek().isOp(")")) {
                bases.add(expression());
                if (!acceptOp(",")) break;
            }
            expectOp(")");
        }
        return new AgentsSdkStmt.ClassDef(line, name, bases, body());
    }

    private AgentsSdkStmt ifStatement() {
        int line = peek().line();
        List<Arm> arms = new ArrayList<>();
        do {
            int armLine = next().line();
            AgentsSdkExpr cond = expression();
            arms.add(new Arm(armLine, cond, body()));
        } while (peek().isName("elif"));
        int elseLine = 0;
        List<AgentsSdkStmt> orElse = List.of();
        if (peek().isName("else")) {
            elseLine = next().line();
            orElse = body();
        }
        return new AgentsSdkStmt.If(line, arms, orElse, elseLine);
    }

    private AgentsSdkStmt tryStatement() {
        int line = next().line();
        List<AgentsSdkStmt> body = body();
        List<AgentsSdkStmt> handler = new ArrayList<>();
        int handlerLine = 0;
        while (peek().isName("except") || peek().isName("finally")) {
            handlerLine = handlerLine == 0 ? peek().line() : handlerLine;
            pos++;
            while (!peek().isOp(":")) {
                if (atLineEnd()) throw unreadable("expected `:` after `except`");
                pos++;
            }
            handler.addAll(body());
        }
        return new AgentsSdkStmt.Try(line, body, handler, handlerLine);
    }

    private AgentsSdkStmt with() {
        int line = next().line();
        AgentsSdkExpr context = expression();
        if (peek().isName("as")) {
            pos++;
            expectName();
        }
        return new AgentsSdkStmt.With(line, context, body());
    }

    // --- Python spellings ---------------------------------------------------------------------------------------

    @Override
    protected String binaryOp() {
        AgentsSdkToken t = peek();
        if (t.kind() == Kind.NAME) {
            return switch (t.text()) {
                case "and" -> "&&";
                case "or" -> "||";
                case "in" -> "in";
                case "not" -> peek(1).isName("in") ? "not in" : null;
                case "is" -> peek(1).isName("not") ? "!=" : "==";
                default -> null;
            };
        }
        if (t.kind() != Kind.OP) return null;
        return switch (t.text()) {
            case "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%" -> t.text();
            case "//" -> "/";
            default -> null;
        };
    }

    @Override
    protected int opWidth() {
        AgentsSdkToken t = peek();
        return (t.isName("not") || (t.isName("is") && peek(1).isName("not"))) ? 2 : 1;
    }

    @Override
    protected String constant(String name) {
        return switch (name) {
            case "True" -> "true";
            case "False" -> "false";
            case "None" -> "null";
            default -> null;
        };
    }

    @Override
    protected boolean atNot() {
        return peek().isName("not");
    }

    @Override
    protected AgentsSdkExpr hole(String source, int line) {
        PythonReader r = new PythonReader(PythonLexer.expression(source, line), lines);
        AgentsSdkExpr e = r.expression();
        if (r.peek().kind() != Kind.END) throw new Unreadable(line, "unexpected text in the f-string hole `{" + source + "}`");
        return e;
    }

    @Override
    protected AgentsSdkExpr specialPrimary() {
        if (!peek().isOp("...")) return null;
        return new AgentsSdkExpr.Name(next().line(), "Ellipsis");
    }

    @Override
    protected String spreadOp() {
        return "*";
    }

    @Override
    protected boolean atKeywordArgument() {
        return peek().kind() == Kind.NAME && peek(1).isOp("=");
    }

    @Override
    protected AgentsSdkExpr ternary(AgentsSdkExpr first) {
        if (!peek().isName("if")) return null;
        int line = next().line();
        AgentsSdkExpr cond = orExpression();
        if (!peek().isName("else")) throw unreadable("expected `else` in a conditional expression");
        pos++;
        return ternaryOf(line, cond, first, expression());
    }
}
