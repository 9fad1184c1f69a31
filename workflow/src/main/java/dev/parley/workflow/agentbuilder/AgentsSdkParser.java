package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Await;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Binary;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Comprehension;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Const;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Entry;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.ListLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Spread;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Str;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Ternary;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Unary;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Kind;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Unreadable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expression half of both readers: a precedence-climbing parser over tokens, with the few places where Python
 * and TypeScript spell things differently left to the subclass (operators, constants, arrow functions, keyword
 * arguments). Operators come out in CEL spelling so later stages need not know the language.
 */
abstract class AgentsSdkParser {
    /** Binding strength of binary operators, in CEL spelling; higher binds tighter. */
    static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
            Map.entry("??", 2), Map.entry("||", 2), Map.entry("&&", 3),
            Map.entry("==", 5), Map.entry("!=", 5), Map.entry("<", 5), Map.entry("<=", 5), Map.entry(">", 5),
            Map.entry(">=", 5), Map.entry("in", 5),
            Map.entry("+", 6), Map.entry("-", 6), Map.entry("*", 7), Map.entry("/", 7), Map.entry("%", 7));

    protected final List<AgentsSdkToken> tokens;
    protected int pos;

    protected AgentsSdkParser(List<AgentsSdkToken> tokens) {
        this.tokens = tokens;
    }

    // --- language hooks -----------------------------------------------------------------------------------------

    /**
     * {@return the CEL spelling of the binary operator starting at the current token, or null}; consumes nothing.
     * Multi-token operators ({@code not in}, {@code is not}) report how many tokens they take via {@link #opWidth}.
     */
    protected abstract String binaryOp();

    /** {@return how many tokens the operator found by {@link #binaryOp} spans} */
    protected int opWidth() {
        return 1;
    }

    /** {@return a constant ({@code true}/{@code false}/{@code null}) for a name token, or null} */
    protected abstract String constant(String name);

    /** {@return whether the current token is a prefix {@code not}/{@code !}} */
    protected abstract boolean atNot();

    /** Language-specific atoms (TypeScript's {@code new} and arrow functions); null when the token is not one. */
    protected AgentsSdkExpr specialPrimary() {
        return null;
    }

    /** Reads the source of a string hole as an expression. */
    protected abstract AgentsSdkExpr hole(String source, int line);

    /** {@return the operator that spreads a list into a list or call: {@code *} or {@code ...}} */
    protected abstract String spreadOp();

    /** Python's {@code name=value} keyword arguments; TypeScript has none. */
    protected abstract boolean atKeywordArgument();

    /** After a complete primary: TypeScript's {@code as T}, {@code x!}; Python has none. */
    protected AgentsSdkExpr postfixHook(AgentsSdkExpr e) {
        return null;
    }

    /** Python's {@code a if c else b}; TypeScript's {@code c ? a : b}. */
    protected abstract AgentsSdkExpr ternary(AgentsSdkExpr first);

    // --- cursor -------------------------------------------------------------------------------------------------

    protected AgentsSdkToken peek() {
        return tokens.get(Math.min(pos, tokens.size() - 1));
    }

    protected AgentsSdkToken peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    protected AgentsSdkToken next() {
        AgentsSdkToken t = peek();
        if (pos < tokens.size()) pos++;
        return t;
    }

    protected boolean acceptOp(String op) {
        if (peek().isOp(op)) {
            pos++;
            return true;
        }
        return false;
    }

    protected AgentsSdkToken expectOp(String op) {
        if (!peek().isOp(op)) throw unreadable("expected `" + op + "` but found `" + describe(peek()) + "`");
        return next();
    }

    protected String expectName() {
        if (peek().kind() != Kind.NAME) throw unreadable("expected a name but found `" + describe(peek()) + "`");
        return next().text();
    }

    protected Unreadable unreadable(String message) {
        return new Unreadable(peek().line(), message);
    }

    protected static String describe(AgentsSdkToken t) {
        return switch (t.kind()) {
            case END -> "the end of the code";
            case NEWLINE -> "the end of the line";
            case INDENT -> "an indented block";
            case DEDENT -> "the end of a block";
            case STRING -> "a string";
            default -> t.text();
        };
    }

    // --- expressions --------------------------------------------------------------------------------------------

    AgentsSdkExpr expression() {
        AgentsSdkExpr e = binary(1);
        AgentsSdkExpr t = ternary(e);
        return t == null ? e : t;
    }

    /** An expression without the ternary, for where the ternary's own parts are read. */
    protected AgentsSdkExpr orExpression() {
        return binary(1);
    }

    private AgentsSdkExpr binary(int minPrecedence) {
        AgentsSdkExpr left = unary();
        while (true) {
            String op = binaryOp();
            if (op == null) return left;
            int prec = PRECEDENCE.get(op.equals("not in") ? "in" : op);
            if (prec < minPrecedence) return left;
            int line = peek().line();
            pos += opWidth();
            AgentsSdkExpr right = binary(prec + 1);
            left = op.equals("not in") ? new Unary(line, "!", new Binary(line, "in", left, right))
                    : new Binary(line, op, left, right);
        }
    }

    private AgentsSdkExpr unary() {
        AgentsSdkToken t = peek();
        if (atNot()) {
            pos++;
            // Python's `not` binds looser than comparisons; TypeScript's `!` binds tighter. The export only writes
            // `not x` and `!x` of a single operand, where both readings agree.
            return new Unary(t.line(), "!", t.isName("not") ? binary(4) : unary());
        }
        if (t.isOp("-") || t.isOp("+")) {
            pos++;
            AgentsSdkExpr operand = unary();
            return t.isOp("+") ? operand : new Unary(t.line(), "-", operand);
        }
        if (t.isName("await")) {
            pos++;
            return new Await(t.line(), unary());
        }
        return postfix(primary());
    }

    private AgentsSdkExpr postfix(AgentsSdkExpr e) {
        while (true) {
            AgentsSdkToken t = peek();
            if (t.isOp(".") || t.isOp("?.")) {
                pos++;
                e = new AgentsSdkExpr.Attr(t.line(), e, expectName());
            } else if (t.isOp("(") && !t.lineBreakBefore()) {
                pos++;
                e = callArguments(e, false);
            } else if (t.isOp("[") && !t.lineBreakBefore()) {
                pos++;
                AgentsSdkExpr index = expression();
                if (peek().isOp(",")) {
                    // Python's dict[str, int]: a tuple index.
                    List<AgentsSdkExpr> items = new ArrayList<>(List.of(index));
                    while (acceptOp(",") && !peek().isOp("]")) items.add(expression());
                    index = new ListLit(t.line(), items);
                }
                expectOp("]");
                e = new AgentsSdkExpr.Index(t.line(), e, index);
            } else {
                AgentsSdkExpr hooked = postfixHook(e);
                if (hooked == null) return e;
                e = hooked;
            }
        }
    }

    /** Reads arguments after the opening parenthesis, through the closing one. */
    protected Call callArguments(AgentsSdkExpr callee, boolean isNew) {
        List<AgentsSdkExpr> args = new ArrayList<>();
        Map<String, AgentsSdkExpr> kwargs = new LinkedHashMap<>();
        while (!peek().isOp(")")) {
            if (atKeywordArgument()) {
                String name = next().text();
                pos++;
                kwargs.put(name, expression());
            } else if (peek().isOp("**")) {
                pos++;
                args.add(new Spread(peek().line(), expression()));
            } else {
                AgentsSdkExpr arg = element();
                args.add(peek().isName("for") ? comprehension(arg.line(), arg) : arg);
            }
            if (!acceptOp(",")) break;
        }
        expectOp(")");
        return new Call(callee.line(), callee, args, kwargs, isNew);
    }

    /** A list element or argument, which may be a spread ({@code *x} or {@code ...x}). */
    protected AgentsSdkExpr element() {
        AgentsSdkToken t = peek();
        if (t.isOp(spreadOp())) {
            pos++;
            return new Spread(t.line(), expression());
        }
        return expression();
    }

    protected AgentsSdkExpr primary() {
        AgentsSdkExpr special = specialPrimary();
        if (special != null) return special;
        AgentsSdkToken t = next();
        return switch (t.kind()) {
            case NAME -> {
                String c = constant(t.text());
                yield c != null ? new Const(t.line(), c) : new Name(t.line(), t.text());
            }
            case NUMBER -> new AgentsSdkExpr.Num(t.line(), t.text());
            case STRING -> {
                List<AgentsSdkExpr.Segment> segs = new ArrayList<>(segments(t));
                // Adjacent literals join, as in Python's "a" "b".
                while (peek().kind() == Kind.STRING) segs.addAll(segments(next()));
                yield new Str(t.line(), mergeText(segs));
            }
            case OP -> switch (t.text()) {
                case "(" -> parenthesised(t);
                case "[" -> list(t);
                case "{" -> dict(t);
                default -> {
                    pos--;
                    throw unreadable("unexpected `" + t.text() + "`");
                }
            };
            default -> {
                pos--;
                throw unreadable("expected a value but found " + describe(t));
            }
        };
    }

    private List<AgentsSdkExpr.Segment> segments(AgentsSdkToken t) {
        List<AgentsSdkExpr.Segment> segs = new ArrayList<>();
        for (AgentsSdkToken.Piece p : t.pieces()) {
            segs.add(p.hole() ? new AgentsSdkExpr.Hole(hole(p.text(), p.line())) : new AgentsSdkExpr.Text(p.text()));
        }
        return segs;
    }

    private static List<AgentsSdkExpr.Segment> mergeText(List<AgentsSdkExpr.Segment> segs) {
        List<AgentsSdkExpr.Segment> out = new ArrayList<>();
        for (AgentsSdkExpr.Segment s : segs) {
            if (s instanceof AgentsSdkExpr.Text t && !out.isEmpty() && out.getLast() instanceof AgentsSdkExpr.Text prev) {
                out.set(out.size() - 1, new AgentsSdkExpr.Text(prev.text() + t.text()));
            } else if (!(s instanceof AgentsSdkExpr.Text t2 && t2.text().isEmpty() && segs.size() > 1)) {
                out.add(s);
            }
        }
        if (out.isEmpty()) out.add(new AgentsSdkExpr.Text(""));
        return out;
    }

    private AgentsSdkExpr parenthesised(AgentsSdkToken open) {
        if (acceptOp(")")) return new ListLit(open.line(), List.of());
        AgentsSdkExpr first = element();
        if (acceptOp(")")) return first;
        List<AgentsSdkExpr> items = new ArrayList<>(List.of(first));
        while (acceptOp(",")) {
            if (peek().isOp(")")) break;
            items.add(element());
        }
        expectOp(")");
        return new ListLit(open.line(), items);
    }

    private AgentsSdkExpr list(AgentsSdkToken open) {
        List<AgentsSdkExpr> items = new ArrayList<>();
        while (!peek().isOp("]")) {
            AgentsSdkExpr item = element();
            if (peek().isName("for")) {
                AgentsSdkExpr c = comprehension(open.line(), item);
                expectOp("]");
                return c;
            }
            items.add(item);
            if (!acceptOp(",")) break;
        }
        expectOp("]");
        return new ListLit(open.line(), items);
    }

    private AgentsSdkExpr comprehension(int line, AgentsSdkExpr element) {
        pos++;
        String var = expectName();
        if (!peek().isName("in")) throw unreadable("expected `in` in a comprehension");
        pos++;
        AgentsSdkExpr source = orExpression();
        if (peek().isName("if")) {
            throw unreadable("a comprehension with a filter is not something the export writes");
        }
        return new Comprehension(line, element, var, source);
    }

    private AgentsSdkExpr dict(AgentsSdkToken open) {
        List<Entry> entries = new ArrayList<>();
        while (!peek().isOp("}")) {
            AgentsSdkToken t = peek();
            if (t.isOp("**") || t.isOp("...")) {
                pos++;
                entries.add(new Entry(null, expression()));
            } else {
                AgentsSdkExpr key = dictKey();
                if (acceptOp(":")) {
                    entries.add(new Entry(key, expression()));
                } else if (key instanceof Name n) {
                    // TypeScript's shorthand {a} means {a: a}.
                    entries.add(new Entry(key, new Name(n.line(), n.id())));
                } else {
                    throw unreadable("expected `:` after a key");
                }
            }
            if (peek().isName("for")) throw unreadable("a dict comprehension is not something the export writes");
            if (!acceptOp(",")) break;
        }
        expectOp("}");
        return new DictLit(open.line(), entries);
    }

    /** A dict key: any expression in Python; a name, string or number in a TypeScript object literal. */
    protected AgentsSdkExpr dictKey() {
        return expression();
    }

    /** Helper for subclasses: the token index just past the bracket that closes the one at {@code from}. */
    protected int matching(int from) {
        int nest = 0;
        for (int i = from; i < tokens.size(); i++) {
            AgentsSdkToken t = tokens.get(i);
            if (t.kind() == Kind.OP && "([{".contains(t.text()) && t.text().length() == 1) nest++;
            if (t.kind() == Kind.OP && ")]}".contains(t.text()) && t.text().length() == 1) {
                nest--;
                if (nest == 0) return i + 1;
            }
            if (t.kind() == Kind.END) break;
        }
        return -1;
    }

    /** Builds the ternary node; shared by both spellings. */
    protected static Ternary ternaryOf(int line, AgentsSdkExpr cond, AgentsSdkExpr then, AgentsSdkExpr otherwise) {
        return new Ternary(line, cond, then, otherwise);
    }
}
