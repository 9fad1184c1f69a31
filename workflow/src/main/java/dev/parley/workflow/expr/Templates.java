package dev.parley.workflow.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two non-CEL syntaxes that carry CEL paths: {@code {{ path }}} templates in prompts, and Agent Builder's
 * {@code __VAR__node.path__ENDVAR__} references in End values.
 */
public final class Templates {
    private static final Pattern VAR = Pattern.compile("__VAR__(.+?)__ENDVAR__");
    private static final Pattern WHOLE_VAR = Pattern.compile("\\s*__VAR__(.+?)__ENDVAR__\\s*");

    private Templates() {}

    /** A piece of a template: literal text, or a CEL expression to render. Exactly one field is non-null. */
    public record Part(String text, String expression, int offset) {
        public boolean isExpression() {
            return expression != null;
        }
    }

    /** Thrown for a {@code {{} without its closing {@code }}}. */
    public static final class TemplateException extends IllegalArgumentException {
        public final int offset;

        TemplateException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    /** Splits {@code "Hi {{ state.name }}!"} into text and expression parts. */
    public static List<Part> parse(String template) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Part(template.substring(at), null, at));
                break;
            }
            if (open > at) parts.add(new Part(template.substring(at, open), null, at));
            int close = template.indexOf("}}", open + 2);
            if (close < 0) throw new TemplateException("`{{` at position " + open + " is never closed with `}}`", open);
            String expr = template.substring(open + 2, close).trim();
            if (expr.isEmpty()) throw new TemplateException("empty `{{ }}` at position " + open, open);
            parts.add(new Part(null, expr, open));
            at = close + 2;
        }
        return parts;
    }

    /**
     * Converts an End value to CEL: a lone {@code __VAR__a.b__ENDVAR__} becomes {@code a.b}; anything else is taken
     * as CEL already. Returns null for text that mixes references with other text, which has no single meaning.
     */
    public static String endValueToCel(String value) {
        Matcher whole = WHOLE_VAR.matcher(value);
        if (whole.matches()) return whole.group(1).trim();
        if (VAR.matcher(value).find()) return null;
        return value;
    }

    /** {@return whether the text contains an Agent Builder reference} */
    public static boolean hasVarReference(String value) {
        return VAR.matcher(value).find();
    }
}
