package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Binary;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Str;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the export's expressions back into CEL. Agent Builder wrote its conditions, transforms and state
 * assignments in CEL and the export translated them to Python or TypeScript ({@code workflow.input_as_text} became
 * {@code workflow["input_as_text"]}, {@code input.output_parsed.x} became {@code agent_result["output_parsed"]["x"]}),
 * so reading them back gives the CEL a JSON import of the same workflow has, with {@code input} resolved to the
 * node it meant.
 */
final class AgentsSdkCel {
    /** What a variable of the run function stands for. */
    sealed interface Binding {}

    /** The workflow input ({@code workflow} after {@code model_dump()}, or the TypeScript parameter). */
    record WorkflowInput() implements Binding {}

    /** The {@code state} dict. */
    record State() implements Binding {}

    /** A node's result dict: {@code agent_result}, {@code transform_result}, {@code filesearch_result}. */
    record NodeResult(String nodeId, String nodeType) implements Binding {}

    /** The SDK's raw run result ({@code agent_result_temp}); Parley has no equivalent to read from. */
    record AgentTemp(String nodeId) implements Binding {}

    /** A guardrails node's result or output; {@code inputCel} is what it checked. */
    record GuardrailsResult(String nodeId, String inputCel) implements Binding {}

    /** A plain variable holding a value, such as {@code approval_message} or a context field. */
    record Value(AgentsSdkExpr expr) implements Binding {}

    /** Raised for an expression with no CEL equivalent; {@code what} is the part that has none. */
    static final class NotCel extends RuntimeException {
        final AgentsSdkExpr what;

        NotCel(AgentsSdkExpr what, String message) {
            super(message);
            this.what = what;
        }
    }

    private static final Map<String, String> FUNCTIONS = Map.of("len", "size", "str", "string", "String", "string",
            "int", "int", "float", "double", "Number", "double", "bool", "bool");

    private final Map<String, Binding> scope = new HashMap<>();
    private final List<String> cautions = new ArrayList<>();

    void bind(String variable, Binding binding) {
        scope.put(variable, binding);
    }

    Binding binding(String variable) {
        return scope.get(variable);
    }

    /** {@return and clears the cautions collected since the last call: translations that are close but not exact} */
    List<String> drainCautions() {
        List<String> out = List.copyOf(cautions);
        cautions.clear();
        return out;
    }

    /** {@return the CEL for {@code e}} @throws NotCel when some part has no CEL equivalent */
    String cel(AgentsSdkExpr e) {
        return print(e, 0);
    }

    /**
     * {@return a Parley template: literal text stays text (a literal {@code {{} is quoted so it is not read as a
     * reference) and each hole becomes {@code {{ cel }}}; any other expression is one whole reference}
     */
    String template(AgentsSdkExpr e) {
        if (e instanceof Str s) {
            var sb = new StringBuilder();
            for (AgentsSdkExpr.Segment seg : s.segments()) {
                switch (seg) {
                    case AgentsSdkExpr.Text t -> sb.append(t.text().replace("{{", "{{ \"{{\" }}"));
                    case AgentsSdkExpr.Hole h -> sb.append("{{ ").append(cel(h.expr())).append(" }}");
                }
            }
            return sb.toString();
        }
        if (e instanceof Name n && scope.get(n.id()) instanceof Value v) return template(v.expr());
        return "{{ " + cel(e) + " }}";
    }

    private String print(AgentsSdkExpr e, int outer) {
        return switch (e) {
            case Str s -> string(s, outer);
            case AgentsSdkExpr.Num n -> n.text();
            case AgentsSdkExpr.Const c -> c.value();
            case Name n -> name(n);
            case AgentsSdkExpr.Attr a when a.name().equals("length") -> "size(" + print(a.target(), 0) + ")";
            case AgentsSdkExpr.Attr a -> path(a);
            case AgentsSdkExpr.Index i -> path(i);
            case Binary b -> {
                if (b.op().equals("??")) throw new NotCel(b, "`??` has no CEL equivalent");
                int prec = AgentsSdkParser.PRECEDENCE.get(b.op());
                String text = print(b.left(), prec) + " " + b.op() + " " + print(b.right(), prec + 1);
                yield prec < outer ? "(" + text + ")" : text;
            }
            case AgentsSdkExpr.Unary u -> u.op() + print(u.operand(), 9);
            case AgentsSdkExpr.Ternary t -> {
                String text = print(t.cond(), 2) + " ? " + print(t.then(), 2) + " : " + print(t.otherwise(), 1);
                yield outer > 1 ? "(" + text + ")" : text;
            }
            case AgentsSdkExpr.ListLit l -> "[" + String.join(", ", l.items().stream().map(i -> print(i, 0)).toList()) + "]";
            case AgentsSdkExpr.DictLit d -> {
                List<String> parts = new ArrayList<>();
                for (AgentsSdkExpr.Entry en : d.entries()) {
                    if (en.key() == null) throw new NotCel(en.value(), "a spread has no CEL equivalent");
                    String key = AgentsSdkExpr.keyName(en.key());
                    parts.add((key != null ? quote(key) : print(en.key(), 0)) + ": " + print(en.value(), 0));
                }
                yield "{" + String.join(", ", parts) + "}";
            }
            case AgentsSdkExpr.Call c -> call(c);
            case AgentsSdkExpr.Await a -> throw new NotCel(a, "an awaited call has no CEL equivalent");
            case AgentsSdkExpr.Spread s -> throw new NotCel(s, "a spread has no CEL equivalent");
            case AgentsSdkExpr.Comprehension c -> throw new NotCel(c, "a comprehension has no CEL equivalent here");
            case AgentsSdkExpr.Lambda l -> throw new NotCel(l, "a function has no CEL equivalent");
        };
    }

    private String string(Str s, int outer) {
        String plain = s.text();
        if (plain != null) return quote(plain);
        List<String> parts = new ArrayList<>();
        for (AgentsSdkExpr.Segment seg : s.segments()) {
            switch (seg) {
                case AgentsSdkExpr.Text t -> parts.add(quote(t.text()));
                case AgentsSdkExpr.Hole h -> parts.add(print(h.expr(), 7));
            }
        }
        String text = String.join(" + ", parts);
        return outer > 6 ? "(" + text + ")" : text;
    }

    private String call(AgentsSdkExpr.Call c) {
        String fn = c.calleeName();
        if (fn != null && FUNCTIONS.containsKey(fn) && c.args().size() == 1 && c.kwargs().isEmpty()) {
            return FUNCTIONS.get(fn) + "(" + print(c.args().getFirst(), 0) + ")";
        }
        throw new NotCel(c, "the call `" + AgentsSdkExpr.show(c) + "` has no CEL equivalent");
    }

    private String name(Name n) {
        Binding b = scope.get(n.id());
        return switch (b) {
            case null -> throw new NotCel(n, "`" + n.id() + "` is not a value the workflow knows");
            case Value v -> print(v.expr(), 9);
            case NodeResult r -> switch (r.nodeType()) {
                case "agent" -> throw new NotCel(n, "the whole result of `" + r.nodeId() + "` is not one value");
                default -> r.nodeId() + ".output_parsed";
            };
            case WorkflowInput w -> throw new NotCel(n, "the whole workflow input is not one value in Parley");
            case State s -> throw new NotCel(n, "the whole state is not one value in Parley");
            case AgentTemp t -> throw new NotCel(n, "the SDK's raw run result has no Parley equivalent");
            case GuardrailsResult g -> throw new NotCel(n, "a guardrails result has no Parley equivalent");
        };
    }

    /** {@code x["a"]["b"]} or {@code x.a.b}: a variable followed by keys, resolved through what the variable is. */
    private String path(AgentsSdkExpr e) {
        List<String> keys = new ArrayList<>();
        AgentsSdkExpr at = e;
        while (true) {
            if (at instanceof AgentsSdkExpr.Attr a) {
                keys.addFirst("." + a.name());
                at = a.target();
            } else if (at instanceof AgentsSdkExpr.Index i) {
                String key = i.index() instanceof Str s ? s.text() : null;
                if (key != null) keys.addFirst("." + key);
                else if (i.index() instanceof AgentsSdkExpr.Num n) keys.addFirst("[" + n.text() + "]");
                else keys.addFirst("[" + print(i.index(), 0) + "]");
                at = i.target();
            } else {
                break;
            }
        }
        String tail = String.join("", keys);
        if (!(at instanceof Name base)) return print(at, 9) + tail;
        Binding b = scope.get(base.id());
        return switch (b) {
            case null -> throw new NotCel(e, "`" + base.id() + "` is not a value the workflow knows");
            case WorkflowInput w -> {
                if (!tail.equals(".input_as_text")) {
                    throw new NotCel(e, "Parley's workflow input has only `input_as_text`, not `" + tail.substring(1) + "`");
                }
                yield "workflow" + tail;
            }
            case State s -> "state" + tail;
            case Value v -> print(v.expr(), 9) + tail;
            case NodeResult r -> switch (r.nodeType()) {
                case "agent" -> r.nodeId() + tail;
                case "file_search" -> {
                    if (tail.startsWith(".results") && !tail.equals(".results")) {
                        cautions.add("Parley's file search results are {text, source, score}, not Agent Builder's "
                                + "{id, filename, score}: check `" + r.nodeId() + ".output_parsed" + tail + "`");
                    }
                    yield r.nodeId() + ".output_parsed" + tail;
                }
                default -> r.nodeId() + ".output_parsed" + tail;
            };
            case AgentTemp t -> throw new NotCel(e, "the SDK's raw run result (`" + AgentsSdkExpr.show(e)
                    + "`) has no Parley equivalent; read `" + t.nodeId() + ".output_text` or `.output_parsed`");
            case GuardrailsResult g -> {
                if (!tail.equals(".safe_text") || g.inputCel() == null) {
                    throw new NotCel(e, "Parley's guardrails node has no `" + tail.substring(1) + "` output");
                }
                cautions.add("Parley's guardrails node passes its input on unchanged and has no `safe_text` (text "
                        + "with personal data masked); the text `" + g.nodeId() + "` checked, `" + g.inputCel()
                        + "`, is used instead");
                yield g.inputCel();
            }
        };
    }

    /** The JSON importer's quoting, so both imports write the same literal for the same text. */
    static String quote(String s) {
        return AbCel.quote(s);
    }
}
