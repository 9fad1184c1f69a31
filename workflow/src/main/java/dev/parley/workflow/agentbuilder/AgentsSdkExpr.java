package dev.parley.workflow.agentbuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An expression of an Agents SDK export, Python or TypeScript, in one neutral shape: both exports say the same
 * things ({@code Agent(...)} / {@code new Agent({...})}, {@code state["x"]} / {@code state.x}) in different
 * spellings, and the importer should match each thing once. Operators are stored in their CEL spelling
 * ({@code &&}, {@code ||}, {@code !}, {@code ==}), so Python's {@code and} and TypeScript's {@code ===} read alike.
 */
sealed interface AgentsSdkExpr {
    /** {@return the 1-based source line the expression starts on} */
    int line();

    record Name(int line, String id) implements AgentsSdkExpr {}

    /** A string literal, f-string or template literal: text segments and holes. */
    record Str(int line, List<Segment> segments) implements AgentsSdkExpr {
        public Str {
            segments = List.copyOf(segments);
        }

        static Str plain(int line, String text) {
            return new Str(line, List.of(new Text(text)));
        }

        /** {@return the text when there are no holes, else null} */
        String text() {
            var sb = new StringBuilder();
            for (Segment s : segments) {
                if (!(s instanceof Text t)) return null;
                sb.append(t.text());
            }
            return sb.toString();
        }
    }

    sealed interface Segment {}

    record Text(String text) implements Segment {}

    record Hole(AgentsSdkExpr expr) implements Segment {}

    /** A number as written. */
    record Num(int line, String text) implements AgentsSdkExpr {}

    /** {@code true}, {@code false} or {@code null} (Python's {@code True}/{@code False}/{@code None}, TypeScript's {@code undefined}). */
    record Const(int line, String value) implements AgentsSdkExpr {}

    record ListLit(int line, List<AgentsSdkExpr> items) implements AgentsSdkExpr {
        public ListLit {
            items = List.copyOf(items);
        }
    }

    /** A dict or object literal; a key is a {@link Str} (Python, quoted keys) or a {@link Name} (TypeScript). */
    record DictLit(int line, List<Entry> entries) implements AgentsSdkExpr {
        public DictLit {
            entries = List.copyOf(entries);
        }

        /** {@return the entries whose key is a plain name or string, by that name} */
        Map<String, AgentsSdkExpr> byKey() {
            Map<String, AgentsSdkExpr> map = new LinkedHashMap<>();
            for (Entry e : entries) {
                String k = keyName(e.key());
                if (k != null) map.put(k, e.value());
            }
            return map;
        }
    }

    /** One entry; {@code key} is null for a spread ({@code **x}, {@code ...x}). */
    record Entry(AgentsSdkExpr key, AgentsSdkExpr value) {}

    /**
     * A call; Python keyword arguments are in {@code kwargs}; {@code isNew} marks TypeScript's {@code new X(...)}.
     */
    record Call(int line, AgentsSdkExpr callee, List<AgentsSdkExpr> args, Map<String, AgentsSdkExpr> kwargs,
                boolean isNew) implements AgentsSdkExpr {
        public Call {
            args = List.copyOf(args);
            kwargs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        }

        /** {@return the dotted name of the callee ({@code Runner.run}), or null when it is not a plain path} */
        String calleeName() {
            return dotted(callee);
        }
    }

    record Attr(int line, AgentsSdkExpr target, String name) implements AgentsSdkExpr {}

    record Index(int line, AgentsSdkExpr target, AgentsSdkExpr index) implements AgentsSdkExpr {}

    /** A binary operator in CEL spelling: {@code + - * / % == != < <= > >= && || in}. */
    record Binary(int line, String op, AgentsSdkExpr left, AgentsSdkExpr right) implements AgentsSdkExpr {}

    /** {@code !} or {@code -}. */
    record Unary(int line, String op, AgentsSdkExpr operand) implements AgentsSdkExpr {}

    /** {@code a if cond else b} / {@code cond ? a : b}. */
    record Ternary(int line, AgentsSdkExpr cond, AgentsSdkExpr then, AgentsSdkExpr otherwise) implements AgentsSdkExpr {}

    record Await(int line, AgentsSdkExpr value) implements AgentsSdkExpr {}

    /** {@code *x} in a Python list, {@code ...x} in TypeScript. */
    record Spread(int line, AgentsSdkExpr value) implements AgentsSdkExpr {}

    /** {@code [element for var in source]}; the file search export builds its results this way. */
    record Comprehension(int line, AgentsSdkExpr element, String var, AgentsSdkExpr source) implements AgentsSdkExpr {}

    /** A TypeScript arrow function; its body is statements ({@code => expr} becomes one return). */
    record Lambda(int line, List<String> params, List<AgentsSdkStmt> body) implements AgentsSdkExpr {
        public Lambda {
            params = List.copyOf(params);
            body = List.copyOf(body);
        }
    }

    /** {@return {@code a.b.c} for a path of names and attributes, else null} */
    static String dotted(AgentsSdkExpr e) {
        return switch (e) {
            case Name n -> n.id();
            case Attr a -> {
                String t = dotted(a.target());
                yield t == null ? null : t + "." + a.name();
            }
            default -> null;
        };
    }

    /** {@return the name of a dict/object key or a string index, else null} */
    static String keyName(AgentsSdkExpr key) {
        return switch (key) {
            case Name n -> n.id();
            case Str s -> s.text();
            case null, default -> null;
        };
    }

    /** {@return a short rendering in a neutral, Python-like spelling, for report messages} */
    static String show(AgentsSdkExpr e) {
        return switch (e) {
            case null -> "";
            case Name n -> n.id();
            case Str s -> '"' + s.segments().stream().map(seg -> switch (seg) {
                case Text t -> t.text().replace("\n", "\\n");
                case Hole h -> "{" + show(h.expr()) + "}";
            }).collect(Collectors.joining()) + '"';
            case Num n -> n.text();
            case Const c -> c.value();
            case ListLit l -> "[" + l.items().stream().map(AgentsSdkExpr::show).collect(Collectors.joining(", ")) + "]";
            case DictLit d -> "{" + d.entries().stream()
                    .map(en -> en.key() == null ? "..." + show(en.value()) : show(en.key()) + ": " + show(en.value()))
                    .collect(Collectors.joining(", ")) + "}";
            case Call c -> (c.isNew() ? "new " : "") + show(c.callee()) + "(" + java.util.stream.Stream.concat(
                    c.args().stream().map(AgentsSdkExpr::show),
                    c.kwargs().entrySet().stream().map(k -> k.getKey() + "=" + show(k.getValue())))
                    .collect(Collectors.joining(", ")) + ")";
            case Attr a -> show(a.target()) + "." + a.name();
            case Index i -> show(i.target()) + "[" + show(i.index()) + "]";
            case Binary b -> show(b.left()) + " " + b.op() + " " + show(b.right());
            case Unary u -> u.op() + show(u.operand());
            case Ternary t -> show(t.cond()) + " ? " + show(t.then()) + " : " + show(t.otherwise());
            case Await a -> "await " + show(a.value());
            case Spread s -> "..." + show(s.value());
            case Comprehension c -> "[" + show(c.element()) + " for " + c.var() + " in " + show(c.source()) + "]";
            case Lambda l -> "(" + String.join(", ", l.params()) + ") => {…}";
        };
    }
}
