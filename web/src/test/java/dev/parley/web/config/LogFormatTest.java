package dev.parley.web.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** What a client sends reaches the log as one line, with its control characters visible, not acted on. */
class LogFormatTest {
    private static String format(String message, Object... params) {
        var record = new LogRecord(Level.WARNING, message);
        record.setLoggerName("dev.parley.test");
        record.setParameters(params);
        return new LogFormat().format(record);
    }

    @Test
    void controlCharactersFromClientsAreEscapedSoTheyCannotForgeOrCutALine() {
        String line = format("No route for {0}", "/chatkit\n2026-11-26 10:00:00.000 INFO    dev.parley: admin logged in\r\u0000\u001b[2J\u2028x");

        assertThat(line.lines()).hasSize(1);
        assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\r").doesNotContain("\u0000")
                .doesNotContain("\u001b").doesNotContain("\u2028");
        assertThat(line).contains("No route for /chatkit\\n2026-11-26 10:00:00.000 INFO    dev.parley: admin logged in\\r\\u0000\\u001b[2J\\u2028x");
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING dev\\.parley\\.test: No route.*\\R");
    }

    @Test
    void stackTracesKeepAFramePerLineButTheirMessagesAreEscaped() {
        var record = new LogRecord(Level.SEVERE, "Request failed");
        record.setLoggerName("dev.parley.test");
        var cause = new IllegalStateException("bad\nid");
        record.setThrown(new RuntimeException("outer\r\nforged", cause));

        String text = new LogFormat().format(record);

        assertThat(text).contains("java.lang.RuntimeException: outer\\r\\nforged")
                .contains("Caused by: java.lang.IllegalStateException: bad\\nid")
                .contains("\tat dev.parley.web.config.LogFormatTest.stackTracesKeepAFramePerLine");
        assertThat(text.lines().filter(l -> !l.startsWith("\tat "))).hasSize(3);
    }
}
