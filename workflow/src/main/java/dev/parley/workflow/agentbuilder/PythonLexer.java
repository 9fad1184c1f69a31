package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkToken.Kind;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Piece;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Unreadable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Tokenises Python the way Python does for what the export writes: NEWLINE only outside brackets, INDENT/DEDENT
 * from a stack of indentation widths (so 2- and 4-space blocks may mix, as in the export's approval branches),
 * string prefixes, triple quotes and f-strings with holes. A block header followed by no indented line simply gets
 * no INDENT, so the reader sees an empty body rather than a syntax error: the export writes those for unconnected
 * branches.
 */
final class PythonLexer {
    private static final List<String> OPS = List.of("**=", "//=", "...", "->", ":=", "==", "!=", "<=", ">=", "**",
            "//", "+=", "-=", "*=", "/=", "%=", "<<", ">>");

    private final String src;
    private final List<AgentsSdkToken> out = new ArrayList<>();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int pos;
    private int line = 1;
    private int depth;

    private PythonLexer(String src) {
        this.src = src;
        indents.push(0);
    }

    static List<AgentsSdkToken> tokens(String source) {
        return new PythonLexer(source.replace("\r\n", "\n").replace('\r', '\n')).run();
    }

    /** Lexes the source of one f-string hole, which is an expression on one logical line. */
    static List<AgentsSdkToken> expression(String source, int line) {
        PythonLexer lx = new PythonLexer(source);
        lx.line = line;
        lx.depth = 1;
        return lx.run();
    }

    private List<AgentsSdkToken> run() {
        boolean atLineStart = depth == 0;
        while (pos < src.length()) {
            if (atLineStart) {
                if (indentation()) continue;
                atLineStart = false;
            }
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                if (depth == 0) {
                    add(Kind.NEWLINE, "\n");
                    atLineStart = true;
                }
                line++;
            } else if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
                String word = src.substring(start, pos);
                if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'') && isPrefix(word)) {
                    string(word.toLowerCase(java.util.Locale.ROOT));
                } else {
                    add(Kind.NAME, word);
                }
            } else if (c == '"' || c == '\'') {
                string("");
            } else {
                operator(c);
            }
        }
        if (depth == 0) {
            if (!out.isEmpty() && out.getLast().kind() != Kind.NEWLINE) add(Kind.NEWLINE, "\n");
            while (indents.peek() > 0) {
                indents.pop();
                add(Kind.DEDENT, "");
            }
        }
        add(Kind.END, "");
        return out;
    }

    /** Measures a line's indentation; returns true when the line is blank or a comment (it then counts for nothing). */
    private boolean indentation() {
        int start = pos;
        int width = 0;
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t')) {
            width += src.charAt(pos) == '\t' ? 8 - width % 8 : 1;
            pos++;
        }
        if (pos >= src.length() || src.charAt(pos) == '\n' || src.charAt(pos) == '#') {
            while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            if (pos < src.length()) {
                pos++;
                line++;
            }
            return true;
        }
        if (width > indents.peek()) {
            indents.push(width);
            add(Kind.INDENT, src.substring(start, pos));
        } else {
            while (width < indents.peek()) {
                indents.pop();
                add(Kind.DEDENT, "");
            }
            if (width != indents.peek()) {
                throw new Unreadable(line, "this line's indentation matches no enclosing block");
            }
        }
        return false;
    }

    private static boolean isPrefix(String w) {
        return w.length() <= 2 && w.toLowerCase(java.util.Locale.ROOT).matches("[rbuf]|rb|br|fr|rf");
    }

    private void number() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                || src.charAt(pos) == '_'
                || ((src.charAt(pos) == '+' || src.charAt(pos) == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')))) {
            pos++;
        }
        add(Kind.NUMBER, src.substring(start, pos).replace("_", ""));
    }

    private void operator(char c) {
        for (String op : OPS) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                add(Kind.OP, op);
                return;
            }
        }
        if ("([{".indexOf(c) >= 0) depth++;
        if (")]}".indexOf(c) >= 0) depth = Math.max(0, depth - 1);
        if ("()[]{}:,.;@=+-*/%<>|&^~!".indexOf(c) < 0) throw new Unreadable(line, "unexpected character `" + c + "`");
        pos++;
        add(Kind.OP, String.valueOf(c));
    }

    private void string(String prefix) {
        int startLine = line;
        boolean raw = prefix.contains("r");
        boolean format = prefix.contains("f");
        char q = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
        pos += triple ? 3 : 1;
        List<Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw new Unreadable(startLine, "a string is never closed");
            char c = src.charAt(pos);
            if (triple ? src.startsWith(String.valueOf(q).repeat(3), pos) : c == q) {
                pos += triple ? 3 : 1;
                break;
            }
            if (c == '\n') {
                if (!triple) throw new Unreadable(startLine, "a string is never closed on its line");
                line++;
            }
            if (c == '\\' && pos + 1 < src.length()) {
                char n = src.charAt(pos + 1);
                pos += 2;
                if (raw) {
                    text.append('\\').append(n);
                    if (n == '\n') line++;
                    continue;
                }
                switch (n) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case 'r' -> text.append('\r');
                    case '0' -> text.append('\0');
                    case '\n' -> line++;
                    case 'u', 'x' -> {
                        int len = n == 'u' ? 4 : 2;
                        text.append((char) Integer.parseInt(src.substring(pos, pos + len), 16));
                        pos += len;
                    }
                    default -> text.append(n);
                }
                continue;
            }
            if (format && c == '{') {
                if (src.startsWith("{{", pos)) {
                    text.append('{');
                    pos += 2;
                    continue;
                }
                if (!text.isEmpty()) pieces.add(new Piece(text.toString(), false, line));
                text.setLength(0);
                pieces.add(new Piece(hole(), true, line));
                continue;
            }
            if (format && src.startsWith("}}", pos)) {
                text.append('}');
                pos += 2;
                continue;
            }
            text.append(c);
            pos++;
        }
        if (!text.isEmpty() || pieces.isEmpty()) pieces.add(new Piece(text.toString(), false, line));
        out.add(new AgentsSdkToken(Kind.STRING, prefix, startLine, pieces, false));
    }

    /** Reads an f-string hole's expression up to its closing brace, dropping a {@code !r} or {@code :spec}. */
    private String hole() {
        pos++;
        int start = pos;
        int nest = 0;
        int end = -1;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\'' || c == '"') {
                int close = src.indexOf(c, pos + 1);
                if (close < 0) break;
                pos = close + 1;
                continue;
            }
            if ("([{".indexOf(c) >= 0) nest++;
            if (")]".indexOf(c) >= 0) nest--;
            if (c == '}') {
                if (nest == 0) {
                    if (end < 0) end = pos;
                    pos++;
                    return src.substring(start, end);
                }
                nest--;
            }
            if (nest == 0 && end < 0 && (c == ':' || (c == '!' && pos + 1 < src.length() && src.charAt(pos + 1) != '='))) {
                end = pos;
            }
            if (c == '\n') line++;
            pos++;
        }
        throw new Unreadable(line, "an f-string `{` is never closed");
    }

    private void add(Kind kind, String text) {
        out.add(new AgentsSdkToken(kind, text, line, null, false));
    }
}
