package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkStmt.Arm;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Kind;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Unreadable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statements of a TypeScript export into the same neutral shape as {@link PythonReader}: imports and
 * type declarations are skipped (types say nothing the values do not), {@code const x = …} is an assignment,
 * arrow functions are {@link AgentsSdkExpr.Lambda}s with statement bodies. A statement it cannot read becomes
 * {@link AgentsSdkStmt.Unknown} with its line, and reading goes on after it.
 */
final class TypeScriptReader extends AgentsSdkParser {
    private final String[] lines;

    private TypeScriptReader(List<AgentsSdkToken> tokens, String[] lines) {
        super(tokens);
        this.lines = lines;
    }

    /** @throws Unreadable when the source cannot even be tokenised */
    static List<AgentsSdkStmt> read(String source) {
        TypeScriptReader r = new TypeScriptReader(TypeScriptLexer.tokens(source), source.split("\n", -1));
        return r.statements(false);
    }

    private List<AgentsSdkStmt> statements(boolean inBlock) {
        List<AgentsSdkStmt> out = new ArrayList<>();
        while (peek().kind() != Kind.END && !(inBlock && peek().isOp("}"))) {
            if (acceptOp(";")) continue;
            AgentsSdkToken t = peek();
            int start = pos;
            try {
                AgentsSdkStmt s = statement();
                if (s != null) out.add(s);
            } catch (Unreadable e) {
                pos = start;
                out.add(new AgentsSdkStmt.Unknown(t.line(), sourceLine(t.line())));
                skipStatement();
            }
        }
        return out;
    }

    /** Skips to the end of a statement: its semicolon, or the end of a brace block it opens, at bracket depth 0. */
    private void skipStatement() {
        int nest = 0;
        int start = pos;
        while (peek().kind() != Kind.END) {
            AgentsSdkToken t = peek();
            if (nest == 0 && pos > start && t.lineBreakBefore() && !tokens.get(pos - 1).isOp("{")
                    && !tokens.get(pos - 1).isOp(",") && !tokens.get(pos - 1).isOp("(")) return;
            if (t.isOp("(") || t.isOp("[") || t.isOp("{")) nest++;
            if (t.isOp(")") || t.isOp("]") || t.isOp("}")) {
                if (nest == 0) return;
                nest--;
                pos++;
                if (nest == 0 && t.isOp("}")) return;
                continue;
            }
            pos++;
            if (nest == 0 && t.isOp(";")) return;
        }
    }

    private String sourceLine(int line) {
        return line >= 1 && line <= lines.length ? lines[line - 1].strip() : "";
    }

    private AgentsSdkStmt statement() {
        AgentsSdkToken t = peek();
        if (t.kind() == Kind.NAME) {
            switch (t.text()) {
                case "import" -> {
                    while (peek().kind() != Kind.STRING && peek().kind() != Kind.END) pos++;
                    pos++;
                    acceptOp(";");
                    return new AgentsSdkStmt.Skip(t.line(), "import");
                }
                case "export" -> {
                    pos++;
                    if (peek().isName("default")) pos++;
                    return statement();
                }
                case "type" -> {
                    if (peek(1).kind() == Kind.NAME) {
                        pos += 2;
                        if (peek().isOp("<")) skipType();
                        expectOp("=");
                        skipType();
                        acceptOp(";");
                        return new AgentsSdkStmt.Skip(t.line(), "type");
                    }
                }
                case "interface" -> {
                    while (!peek().isOp("{")) next();
                    pos = matching(pos);
                    return new AgentsSdkStmt.Skip(t.line(), "interface");
                }
                case "const", "let", "var" -> {
                    pos++;
                    AgentsSdkExpr target = peek().isOp("{") || peek().isOp("[") ? primary() : new AgentsSdkExpr.Name(peek().line(), expectName());
                    if (acceptOp(":")) skipType();
                    AgentsSdkExpr value = acceptOp("=") ? expression() : null;
                    endStatement();
                    return new AgentsSdkStmt.Assign(t.line(), target, null, value);
                }
                case "async", "function" -> {
                    if (t.isName("function") || peek(1).isName("function")) return functionDeclaration();
                }
                case "if" -> {
                    return ifStatement();
                }
                case "while" -> {
                    pos++;
                    expectOp("(");
                    AgentsSdkExpr cond = expression();
                    expectOp(")");
                    return new AgentsSdkStmt.While(t.line(), cond, body());
                }
                case "return" -> {
                    pos++;
                    boolean bare = peek().isOp(";") || peek().isOp("}") || peek().lineBreakBefore()
                            || peek().kind() == Kind.END;
                    AgentsSdkExpr value = bare ? null : expression();
                    endStatement();
                    return new AgentsSdkStmt.Return(t.line(), value);
                }
                case "throw" -> {
                    pos++;
                    expression();
                    endStatement();
                    return new AgentsSdkStmt.Skip(t.line(), "throw");
                }
                case "try" -> {
                    return tryStatement();
                }
                case "for", "do", "switch", "class", "enum", "namespace", "declare" ->
                    throw unreadable("`" + t.text() + "` is not something the export writes here");
                default -> { }
            }
        }
        if (t.isOp("{")) {
            throw unreadable("a bare block is not something the export writes");
        }
        AgentsSdkExpr first = expression();
        if (acceptOp("=")) {
            AgentsSdkExpr value = expression();
            endStatement();
            return new AgentsSdkStmt.Assign(t.line(), first, null, value);
        }
        if (peek().kind() == Kind.OP && peek().text().matches("[-+*/%]=|\\+\\+|--|\\?\\?=|&&=|\\|\\|=")) {
            throw unreadable("`" + peek().text() + "` is not something the export writes");
        }
        endStatement();
        return first instanceof AgentsSdkExpr.Str ? new AgentsSdkStmt.Skip(t.line(), "directive")
                : new AgentsSdkStmt.Eval(t.line(), first);
    }

    private void endStatement() {
        if (acceptOp(";")) return;
        AgentsSdkToken t = peek();
        if (t.isOp("}") || t.kind() == Kind.END || t.lineBreakBefore()) return;
        throw unreadable("unexpected `" + describe(t) + "` after a complete statement");
    }

    private List<AgentsSdkStmt> body() {
        if (acceptOp("{")) {
            List<AgentsSdkStmt> out = statements(true);
            expectOp("}");
            return out;
        }
        AgentsSdkStmt single = statement();
        return single == null ? List.of() : List.of(single);
    }

    private AgentsSdkStmt functionDeclaration() {
        int line = peek().line();
        if (peek().isName("async")) pos++;
        pos++;
        String name = expectName();
        List<String> params = parameters();
        if (acceptOp(":")) skipType();
        List<AgentsSdkStmt.Param> ps = params.stream().map(p -> new AgentsSdkStmt.Param(p, null, null)).toList();
        return new AgentsSdkStmt.Def(line, name, ps, List.of(), body());
    }

    private AgentsSdkStmt ifStatement() {
        int line = peek().line();
        List<Arm> arms = new ArrayList<>();
        List<AgentsSdkStmt> orElse = List.of();
        int elseLine = 0;
        while (true) {
            int armLine = next().line();
            expectOp("(");
            AgentsSdkExpr cond = expression();
            expectOp(")");
            arms.add(new Arm(armLine, cond, body()));
            if (!peek().isName("else")) break;
            int at = next().line();
            if (!peek().isName("if")) {
                elseLine = at;
                orElse = body();
                break;
            }
        }
        return new AgentsSdkStmt.If(line, arms, orElse, elseLine);
    }

    private AgentsSdkStmt tryStatement() {
        int line = next().line();
        expectOp("{");
        List<AgentsSdkStmt> body = statements(true);
        expectOp("}");
        List<AgentsSdkStmt> handler = new ArrayList<>();
        int handlerLine = 0;
        while (peek().isName("catch") || peek().isName("finally")) {
            handlerLine = handlerLine == 0 ? peek().line() : handlerLine;
            pos++;
            if (acceptOp("(")) {
                while (!peek().isOp(")")) next();
                pos++;
            }
            expectOp("{");
            handler.addAll(statements(true));
            expectOp("}");
        }
        return new AgentsSdkStmt.Try(line, body, handler, handlerLine);
    }

    /** Skips a type annotation up to where the value or the next item begins. */
    private void skipType() {
        int nest = 0;
        int start = pos;
        while (peek().kind() != Kind.END) {
            AgentsSdkToken t = peek();
            if (nest == 0 && pos > start && t.lineBreakBefore() && !tokens.get(pos - 1).isOp("|")
                    && !tokens.get(pos - 1).isOp("&") && !t.isOp("|") && !t.isOp("&")) return;
            if (t.isOp("(") || t.isOp("[") || t.isOp("{") || t.isOp("<")) nest++;
            else if (t.isOp(")") || t.isOp("]") || t.isOp("}") || t.isOp(">")) {
                if (nest == 0) return;
                nest--;
            } else if (nest == 0 && (t.isOp("=") || t.isOp(";") || t.isOp(",") || t.isOp("=>"))) {
                return;
            }
            pos++;
        }
    }

    /** Reads {@code (a: T, b = 1, {x, y})} and returns the parameter names ({@code {…}} for a destructured one). */
    private List<String> parameters() {
        expectOp("(");
        List<String> names = new ArrayList<>();
        while (!peek().isOp(")")) {
            if (peek().isOp("{") || peek().isOp("[")) {
                pos = matching(pos);
                names.add("{…}");
            } else {
                acceptOp("...");
                names.add(expectName());
            }
            acceptOp("?");
            if (acceptOp(":")) skipType();
            if (acceptOp("=")) expression();
            if (!acceptOp(",")) break;
        }
        expectOp(")");
        return names;
    }

    private AgentsSdkExpr arrow(int line, List<String> params) {
        if (acceptOp(":")) skipType();
        expectOp("=>");
        if (acceptOp("{")) {
            List<AgentsSdkStmt> body = statements(true);
            expectOp("}");
            return new AgentsSdkExpr.Lambda(line, params, body);
        }
        AgentsSdkExpr value = expression();
        return new AgentsSdkExpr.Lambda(line, params, List.of(new AgentsSdkStmt.Return(line, value)));
    }

    // --- TypeScript spellings -----------------------------------------------------------------------------------

    @Override
    protected AgentsSdkExpr specialPrimary() {
        AgentsSdkToken t = peek();
        if (t.isName("new")) {
            pos++;
            AgentsSdkExpr callee = new AgentsSdkExpr.Name(peek().line(), expectName());
            while (acceptOp(".")) callee = new AgentsSdkExpr.Attr(callee.line(), callee, expectName());
            if (peek().isOp("<")) skipGenerics();
            if (!acceptOp("(")) return new AgentsSdkExpr.Call(t.line(), callee, List.of(), java.util.Map.of(), true);
            return callArguments(callee, true);
        }
        boolean async = t.isName("async") && (peek(1).isOp("(") || (peek(1).kind() == Kind.NAME && peek(2).isOp("=>")));
        int at = async ? pos + 1 : pos;
        AgentsSdkToken first = tokens.get(at);
        if (first.isName("function")) {
            pos = at + 1;
            if (peek().kind() == Kind.NAME) pos++;
            List<String> params = parameters();
            if (acceptOp(":")) skipType();
            expectOp("{");
            List<AgentsSdkStmt> body = statements(true);
            expectOp("}");
            return new AgentsSdkExpr.Lambda(t.line(), params, body);
        }
        if (first.kind() == Kind.NAME && tokens.get(at + 1).isOp("=>")) {
            pos = at + 1;
            return arrow(t.line(), List.of(first.text()));
        }
        if (first.isOp("(")) {
            int close = matching(at);
            if (close > 0 && (tokens.get(close).isOp("=>") || tokens.get(close).isOp(":") && isArrowAfterType(close))) {
                pos = at;
                return arrow(t.line(), parameters());
            }
        }
        return null;
    }

    /** {@code (a): T => …}: a return type between the parameters and the arrow. */
    private boolean isArrowAfterType(int colon) {
        for (int i = colon + 1; i < tokens.size() && i < colon + 12; i++) {
            if (tokens.get(i).isOp("=>")) return true;
            if (tokens.get(i).isOp(";") || tokens.get(i).isOp("{")) return false;
        }
        return false;
    }

    private void skipGenerics() {
        int nest = 0;
        do {
            if (peek().isOp("<")) nest++;
            if (peek().isOp(">")) nest--;
            pos++;
        } while (nest > 0 && peek().kind() != Kind.END);
    }

    @Override
    protected String binaryOp() {
        AgentsSdkToken t = peek();
        if (t.isName("in")) return "in";
        if (t.kind() != Kind.OP) return null;
        return switch (t.text()) {
            case "===", "==" -> "==";
            case "!==", "!=" -> "!=";
            case "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||", "??" -> t.text();
            default -> null;
        };
    }

    @Override
    protected String constant(String name) {
        return switch (name) {
            case "true", "false", "null" -> name;
            case "undefined" -> "null";
            default -> null;
        };
    }

    @Override
    protected boolean atNot() {
        return peek().isOp("!");
    }

    @Override
    protected AgentsSdkExpr hole(String source, int line) {
        TypeScriptReader r = new TypeScriptReader(TypeScriptLexer.expression(source, line), lines);
        AgentsSdkExpr e = r.expression();
        if (r.peek().kind() != Kind.END) throw new Unreadable(line, "unexpected text in the template hole `${" + source + "}`");
        return e;
    }

    @Override
    protected String spreadOp() {
        return "...";
    }

    @Override
    protected boolean atKeywordArgument() {
        return false;
    }

    @Override
    protected AgentsSdkExpr postfixHook(AgentsSdkExpr e) {
        AgentsSdkToken t = peek();
        if ((t.isName("as") || t.isName("satisfies")) && !t.lineBreakBefore()) {
            pos++;
            skipType();
            return e;
        }
        if (t.isOp("!") && !t.lineBreakBefore()) {
            pos++;
            return e;
        }
        return null;
    }

    @Override
    protected AgentsSdkExpr dictKey() {
        AgentsSdkToken t = peek();
        if (t.kind() == Kind.NAME) {
            pos++;
            return new AgentsSdkExpr.Name(t.line(), t.text());
        }
        if (t.kind() == Kind.NUMBER) {
            pos++;
            return AgentsSdkExpr.Str.plain(t.line(), t.text());
        }
        if (acceptOp("[")) {
            AgentsSdkExpr key = expression();
            expectOp("]");
            return key;
        }
        return primary();
    }

    @Override
    protected AgentsSdkExpr ternary(AgentsSdkExpr first) {
        if (!peek().isOp("?")) return null;
        int line = next().line();
        AgentsSdkExpr then = expression();
        expectOp(":");
        return ternaryOf(line, first, then, expression());
    }
}
