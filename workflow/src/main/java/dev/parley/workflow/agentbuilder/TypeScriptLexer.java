package dev.parley.workflow.agentbuilder;

import dev.parley.workflow.agentbuilder.AgentsSdkToken.Kind;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Piece;
import dev.parley.workflow.agentbuilder.AgentsSdkToken.Unreadable;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenises the TypeScript the export writes: names, numbers, quoted strings, template literals with
 * {@code ${…}} holes, comments and operators. No NEWLINE tokens: each token instead records whether a line break
 * came before it, which is all the reader needs to end statements the export leaves without a semicolon. Regular
 * expression literals are not read (the export writes none).
 */
final class TypeScriptLexer {
    private static final List<String> OPS = List.of("===", "!==", "...", "**=", "&&=", "||=", "??=", "=>", "==",
            "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "**");

    private final String src;
    private final List<AgentsSdkToken> out = new ArrayList<>();
    private int pos;
    private int line;
    private boolean lineBreak;

    private TypeScriptLexer(String src, int line) {
        this.src = src;
        this.line = line;
    }

    static List<AgentsSdkToken> tokens(String source) {
        return new TypeScriptLexer(source.replace("\r\n", "\n").replace('\r', '\n'), 1).run();
    }

    /** Lexes the source of one template-literal hole. */
    static List<AgentsSdkToken> expression(String source, int line) {
        return new TypeScriptLexer(source, line).run();
    }

    private List<AgentsSdkToken> run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
                lineBreak = true;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) throw new Unreadable(line, "a comment is never closed");
                line += (int) src.substring(pos, end).chars().filter(ch -> ch == '\n').count();
                pos = end + 2;
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                        || src.charAt(pos) == '_')) pos++;
                add(Kind.NUMBER, src.substring(start, pos).replace("_", ""), null);
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                        || src.charAt(pos) == '$')) pos++;
                add(Kind.NAME, src.substring(start, pos), null);
            } else if (c == '"' || c == '\'') {
                quoted(c);
            } else if (c == '`') {
                template();
            } else {
                operator(c);
            }
        }
        add(Kind.END, "", null);
        return out;
    }

    private void operator(char c) {
        for (String op : OPS) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                add(Kind.OP, op, null);
                return;
            }
        }
        if ("()[]{}:,.;=+-*/%<>!?|&^~@".indexOf(c) < 0) throw new Unreadable(line, "unexpected character `" + c + "`");
        pos++;
        add(Kind.OP, String.valueOf(c), null);
    }

    private void quoted(char q) {
        int startLine = line;
        StringBuilder text = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') throw new Unreadable(startLine, "a string is never closed on its line");
            char c = src.charAt(pos);
            if (c == q) {
                pos++;
                break;
            }
            if (c == '\\') {
                escape(text);
                continue;
            }
            text.append(c);
            pos++;
        }
        add(Kind.STRING, "", List.of(new Piece(text.toString(), false, startLine)), startLine);
    }

    private void escape(StringBuilder text) {
        char n = src.charAt(pos + 1);
        pos += 2;
        switch (n) {
            case 'n' -> text.append('\n');
            case 't' -> text.append('\t');
            case 'r' -> text.append('\r');
            case '0' -> text.append('\0');
            case '\n' -> line++;
            case 'u' -> {
                if (src.charAt(pos) == '{') {
                    int close = src.indexOf('}', pos);
                    text.appendCodePoint(Integer.parseInt(src.substring(pos + 1, close), 16));
                    pos = close + 1;
                } else {
                    text.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    pos += 4;
                }
            }
            case 'x' -> {
                text.append((char) Integer.parseInt(src.substring(pos, pos + 2), 16));
                pos += 2;
            }
            default -> text.append(n);
        }
    }

    private void template() {
        int startLine = line;
        pos++;
        List<Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw new Unreadable(startLine, "a template literal is never closed");
            char c = src.charAt(pos);
            if (c == '`') {
                pos++;
                break;
            }
            if (c == '\\') {
                escape(text);
                continue;
            }
            if (c == '$' && src.startsWith("${", pos)) {
                if (!text.isEmpty()) pieces.add(new Piece(text.toString(), false, line));
                text.setLength(0);
                int holeLine = line;
                pieces.add(new Piece(hole(), true, holeLine));
                continue;
            }
            if (c == '\n') line++;
            text.append(c);
            pos++;
        }
        if (!text.isEmpty() || pieces.isEmpty()) pieces.add(new Piece(text.toString(), false, line));
        add(Kind.STRING, "`", pieces, startLine);
    }

    private String hole() {
        pos += 2;
        int start = pos;
        int nest = 0;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                int close = src.indexOf(c, pos + 1);
                if (close < 0) break;
                pos = close + 1;
                continue;
            }
            if (c == '{') nest++;
            if (c == '}') {
                if (nest == 0) {
                    pos++;
                    return src.substring(start, pos - 1);
                }
                nest--;
            }
            if (c == '\n') line++;
            pos++;
        }
        throw new Unreadable(line, "a template literal's `${` is never closed");
    }

    private void add(Kind kind, String text, List<Piece> pieces) {
        add(kind, text, pieces, line);
    }

    private void add(Kind kind, String text, List<Piece> pieces, int at) {
        out.add(new AgentsSdkToken(kind, text, at, pieces, lineBreak || out.isEmpty()));
        lineBreak = false;
    }
}
