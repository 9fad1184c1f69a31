package dev.parley.workflow.agentbuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads Agent Builder's CEL as text: tokens, string literals, reference paths, map literals. The importer must
 * handle expressions that are not CEL at all (a File search query {@code search query}, a Transform entry with no
 * value {@code {"result": }}), which a real CEL parser would only reject; a tokenizer keeps the text it does not
 * understand unchanged and lets Parley's own type check judge the result.
 */
final class AbCel {
    enum Kind { STRING, IDENT, NUMBER, PUNCT, SPACE }

    /** One token; {@code value} is the decoded text of a string literal, else null. */
    record Token(Kind kind, String text, String value) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }
    }

    /** A reference such as {@code input.output_parsed.name}: token indexes [start, end) and its segments. */
    record Path(int start, int end, List<String> segments) {}

    /** One entry of a map literal; {@code key} is the decoded key when it is a string literal. */
    record Entry(String keyText, String key, String value) {}

    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "in");
    private static final Set<String> TWO_CHAR = Set.of("==", "!=", "<=", ">=", "&&", "||");
    private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%");

    private AbCel() {}

    /** Splits CEL text into tokens; an unterminated string literal becomes one token up to the end. */
    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
                out.add(new Token(Kind.SPACE, src.substring(start, i), null));
            } else if (stringStart(src, i) >= 0) {
                int quoteAt = stringStart(src, i);
                boolean raw = src.substring(i, quoteAt).toLowerCase(java.util.Locale.ROOT).contains("r");
                int end = stringEnd(src, quoteAt);
                int bodyFrom = quoteAt + closing(src, quoteAt).length();
                i = end < 0 ? src.length() : end;
                String body = src.substring(Math.min(bodyFrom, i), end < 0 ? i : end - closing(src, quoteAt).length());
                out.add(new Token(Kind.STRING, src.substring(start, i), decode(body, raw)));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) i++;
                out.add(new Token(Kind.IDENT, src.substring(start, i), null));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))
                    && !previousIsValue(out))) {
                i++;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '.'
                        || ((src.charAt(i) == '-' || src.charAt(i) == '+')
                            && Character.toLowerCase(src.charAt(i - 1)) == 'e' && !src.startsWith("0x", start)))) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, src.substring(start, i), null));
            } else {
                String two = i + 1 < src.length() ? src.substring(i, i + 2) : "";
                i += TWO_CHAR.contains(two) ? 2 : 1;
                out.add(new Token(Kind.PUNCT, src.substring(start, i), null));
            }
        }
        return out;
    }

    private static boolean previousIsValue(List<Token> out) {
        for (int k = out.size() - 1; k >= 0; k--) {
            Token t = out.get(k);
            if (t.kind() == Kind.SPACE) continue;
            return t.kind() == Kind.IDENT || t.is(")") || t.is("]");
        }
        return false;
    }

    /** {@return the index of the opening quote if a string literal (with r/b prefixes) starts at i, else -1} */
    private static int stringStart(String src, int i) {
        int j = i;
        while (j < src.length() && j - i < 2 && "rRbB".indexOf(src.charAt(j)) >= 0) j++;
        // Only called at a token start, so an identifier ending in r or b (`var"`) has already been read whole.
        return j < src.length() && (src.charAt(j) == '"' || src.charAt(j) == '\'') ? j : -1;
    }

    /** {@return the index after the closing quote, or -1 when the literal is never closed} */
    private static int stringEnd(String src, int quoteAt) {
        String close = closing(src, quoteAt);
        int i = quoteAt + close.length();
        while (i < src.length()) {
            if (src.charAt(i) == '\\') {
                i += 2;
                continue;
            }
            if (src.startsWith(close, i)) return i + close.length();
            i++;
        }
        return -1;
    }

    private static String closing(String src, int quoteAt) {
        String q = String.valueOf(src.charAt(quoteAt));
        return src.startsWith(q.repeat(3), quoteAt) ? q.repeat(3) : q;
    }

    private static String decode(String body, boolean raw) {
        if (raw) return body;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'x', 'X', 'u', 'U' -> {
                    int len = e == 'u' ? 4 : e == 'U' ? 8 : 2;
                    String hex = i + len < body.length() ? body.substring(i + 1, i + 1 + len) : "";
                    if (!hex.isEmpty() && hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        sb.appendCodePoint(Integer.parseInt(hex, 16));
                        i += len;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
                default -> {
                    String oct = i + 2 < body.length() ? body.substring(i, i + 3) : "";
                    if (!oct.isEmpty() && oct.chars().allMatch(o -> o >= '0' && o <= '7')) {
                        sb.append((char) Integer.parseInt(oct, 8));
                        i += 2;
                    } else {
                        sb.append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String join(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        tokens.forEach(t -> sb.append(t.text()));
        return sb.toString();
    }

    /** {@return every reference path: an identifier not after a dot, with its {@code .field} selections} */
    static List<Path> paths(List<Token> tokens) {
        List<Path> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.kind() != Kind.IDENT || KEYWORDS.contains(t.text()) || afterDot(tokens, i)) {
                i++;
                continue;
            }
            List<String> segments = new ArrayList<>(List.of(t.text()));
            int end = i + 1;
            while (true) {
                int dot = skipSpace(tokens, end);
                if (dot >= tokens.size() || !tokens.get(dot).is(".")) break;
                int name = skipSpace(tokens, dot + 1);
                if (name >= tokens.size() || tokens.get(name).kind() != Kind.IDENT) break;
                segments.add(tokens.get(name).text());
                end = name + 1;
            }
            int next = skipSpace(tokens, end);
            boolean call = next < tokens.size() && tokens.get(next).is("(");
            if (call && segments.size() == 1) {
                i = end;
                continue;
            }
            if (call) {
                // The last segment is a method (`results.size()`), not a field; the path ends before it.
                segments.remove(segments.size() - 1);
                end = lastDotBefore(tokens, end);
            }
            out.add(new Path(i, end, List.copyOf(segments)));
            i = Math.max(end, i + 1);
        }
        return out;
    }

    private static int lastDotBefore(List<Token> tokens, int end) {
        for (int k = end - 1; k >= 0; k--) {
            if (tokens.get(k).is(".")) {
                int j = k;
                while (j > 0 && tokens.get(j - 1).kind() == Kind.SPACE) j--;
                return j;
            }
        }
        return end;
    }

    private static boolean afterDot(List<Token> tokens, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (tokens.get(k).kind() == Kind.SPACE) continue;
            return tokens.get(k).is(".");
        }
        return false;
    }

    private static int skipSpace(List<Token> tokens, int i) {
        while (i < tokens.size() && tokens.get(i).kind() == Kind.SPACE) i++;
        return i;
    }

    /** Replaces each reference path for which {@code replace} returns text; null keeps it. */
    static String rewritePaths(String src, Function<List<String>, String> replace) {
        List<Token> tokens = tokens(src);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Path p : paths(tokens)) {
            String with = replace.apply(p.segments());
            if (with == null) continue;
            sb.append(join(tokens.subList(at, p.start()))).append(with);
            at = p.end();
        }
        return sb.append(join(tokens.subList(at, tokens.size()))).toString();
    }

    /** {@return the segments when the whole expression is one reference path, else null} */
    static List<String> barePath(String src) {
        List<Token> tokens = tokens(src.trim());
        List<Path> paths = paths(tokens);
        if (paths.size() != 1) return null;
        Path p = paths.get(0);
        return p.start() == 0 && p.end() == tokens.size() ? p.segments() : null;
    }

    /**
     * Writes integer literals that are operands of arithmetic with a {@code number} path as doubles: Agent Builder
     * accepts {@code state.count + 1} on a number variable, which CEL (a double plus an int) refuses.
     */
    static String doubleOperands(String src, Predicate<List<String>> isDouble) {
        List<Token> tokens = tokens(src);
        List<Path> paths = paths(tokens);
        boolean changed = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() != Kind.NUMBER || !t.text().chars().allMatch(Character::isDigit)) continue;
            int before = prevNonSpace(tokens, i);
            int after = skipSpace(tokens, i + 1);
            boolean left = before >= 0 && ARITHMETIC.contains(tokens.get(before).text())
                    && tokens.get(before).kind() == Kind.PUNCT && pathEndingAt(paths, tokens, before, isDouble);
            boolean right = after < tokens.size() && tokens.get(after).kind() == Kind.PUNCT
                    && ARITHMETIC.contains(tokens.get(after).text()) && pathStartingAfter(paths, tokens, after, isDouble);
            if (left || right) {
                tokens.set(i, new Token(Kind.NUMBER, t.text() + ".0", null));
                changed = true;
            }
        }
        return changed ? join(tokens) : src;
    }

    private static int prevNonSpace(List<Token> tokens, int i) {
        int k = i - 1;
        while (k >= 0 && tokens.get(k).kind() == Kind.SPACE) k--;
        return k;
    }

    private static boolean pathEndingAt(List<Path> paths, List<Token> tokens, int op, Predicate<List<String>> test) {
        int last = prevNonSpace(tokens, op);
        return paths.stream().anyMatch(p -> p.end() - 1 == last && test.test(p.segments()));
    }

    private static boolean pathStartingAfter(List<Path> paths, List<Token> tokens, int op, Predicate<List<String>> test) {
        int first = skipSpace(tokens, op + 1);
        return paths.stream().anyMatch(p -> p.start() == first && test.test(p.segments()));
    }

    /** {@return the decoded text when the expression is exactly one string literal, else null} */
    static String stringLiteral(String src) {
        List<Token> tokens = tokens(src.trim());
        return tokens.size() == 1 && tokens.get(0).kind() == Kind.STRING ? tokens.get(0).value() : null;
    }

    /** Splits {@code src} at top-level occurrences of a punctuation token (outside brackets and strings). */
    static List<String> splitTopLevel(String src, String punct) {
        List<Token> tokens = tokens(src);
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (t.is(")") || t.is("]") || t.is("}")) depth--;
            else if (depth == 0 && t.is(punct)) {
                parts.add(join(tokens.subList(from, i)));
                from = i + 1;
            }
        }
        parts.add(join(tokens.subList(from, tokens.size())));
        return parts;
    }

    /** {@return the entries when the whole expression is a map literal {@code {k: v, …}}, else null} */
    static List<Entry> mapEntries(String src) {
        String s = src.trim();
        if (!s.startsWith("{") || !s.endsWith("}") || !closesAtEnd(s)) return null;
        List<Entry> out = new ArrayList<>();
        for (String part : splitTopLevel(s.substring(1, s.length() - 1), ",")) {
            if (part.isBlank()) continue;
            List<String> kv = splitTopLevel(part, ":");
            String keyText = kv.get(0).trim();
            String value = kv.size() < 2 ? "" : String.join(":", kv.subList(1, kv.size())).trim();
            out.add(new Entry(keyText, stringLiteral(keyText), value));
        }
        return out;
    }

    /** Whether the brace that opens {@code s} is the one that closes it (not {@code {a} + {b}}). */
    private static boolean closesAtEnd(String s) {
        List<Token> tokens = tokens(s);
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (t.is(")") || t.is("]") || t.is("}")) {
                depth--;
                if (depth == 0 && i != tokens.size() - 1) return false;
            }
        }
        return depth == 0;
    }

    /** {@return a CEL string literal holding {@code text}} */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** {@return literal text for a Parley template: its only markup is {@code {{}, written as an expression} */
    static String templateText(String text) {
        return text.replace("{{", "{{ \"{{\" }}");
    }

    /**
     * {@return a Parley template with the value of a CEL string expression: literals become text, the other
     * operands of a top-level {@code +} become {@code {{ … }}}}
     */
    static String toTemplate(String cel) {
        String literal = stringLiteral(cel);
        if (literal != null) return templateText(literal);
        List<String> parts = splitTopLevel(cel, "+");
        boolean anyLiteral = parts.stream().anyMatch(p -> stringLiteral(p) != null);
        if (!anyLiteral) return "{{ " + cel.trim() + " }}";
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            String lit = stringLiteral(p);
            sb.append(lit != null ? templateText(lit) : "{{ " + p.trim() + " }}");
        }
        return sb.toString();
    }
}
