package dev.parley.workflow.agentbuilder;

import java.util.List;

/**
 * A token of Python or TypeScript source. Strings keep their pieces, so an f-string's or template literal's holes
 * can be read as expressions later; {@code lineBreakBefore} lets the TypeScript reader end statements without
 * semicolons.
 */
record AgentsSdkToken(Kind kind, String text, int line, List<Piece> pieces, boolean lineBreakBefore) {
    enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, INDENT, DEDENT, END }

    /** Literal text of a string, or the source of a hole ({@code {x}} in an f-string, {@code ${x}} in a template). */
    record Piece(String text, boolean hole, int line) {}

    AgentsSdkToken {
        pieces = pieces == null ? List.of() : List.copyOf(pieces);
    }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOp(String t) {
        return is(Kind.OP, t);
    }

    boolean isName(String t) {
        return is(Kind.NAME, t);
    }

    /** Thrown when source cannot be tokenised or read; the reader turns it into a report entry with the line. */
    static final class Unreadable extends RuntimeException {
        final int line;

        Unreadable(int line, String message) {
            super(message);
            this.line = line;
        }
    }
}
