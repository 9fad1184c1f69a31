package dev.parley.web.config;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Parley's one-line log format ({@code 2026-11-26 10:00:00.000 INFO    logger: message}), with every control
 * character of the message and of exception texts escaped ({@code \n}, {@code \r}, {@code \u0000}…). Messages
 * carry what clients sent (paths, ids, provider replies); escaped, a client cannot forge a log line or hide
 * one with a carriage return, and a NUL cannot cut a line short. The stack trace keeps one frame per line.
 */
public final class LogFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
        var out = new StringBuilder(160);
        TIME.formatTo(record.getInstant(), out);
        String level = record.getLevel().getName();
        out.append(' ').append(level).append(" ".repeat(Math.max(1, 8 - level.length())));
        out.append(record.getLoggerName()).append(": ");
        escape(formatMessage(record), out);
        for (Throwable t = record.getThrown(), first = t; t != null; t = t.getCause()) {
            out.append(System.lineSeparator()).append(t == first ? "" : "Caused by: ");
            escape(t.toString(), out);
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append(System.lineSeparator()).append("\tat ").append(frame);
            }
            if (t.getCause() == t) break;
        }
        return out.append(System.lineSeparator()).toString();
    }

    /** Appends {@code text} with control characters (C0, DEL, C1, line and paragraph separators) escaped. */
    public static void escape(String text, StringBuilder out) {
        if (text == null) {
            out.append("null");
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append('\t');
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
