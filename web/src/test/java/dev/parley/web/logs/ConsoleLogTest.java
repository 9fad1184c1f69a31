package dev.parley.web.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleLogTest {
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private ConsoleLog log;

    @BeforeEach
    void captureStandardError() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        log = new ConsoleLog();
        log.setFormatter(new SimpleFormatter());
    }

    @AfterEach
    void restore() {
        log.close();
        System.setErr(realErr);
    }

    private String written() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWarningLeavesAtOnceWithTheRoutineLinesBeforeIt() {
        // (Whether "routine one" is out before the warning depends on the flusher's timing, so it is not asserted.)
        log.publish(new LogRecord(Level.INFO, "routine one"));
        log.publish(new LogRecord(Level.WARNING, "something failed"));
        assertThat(written()).contains("routine one").contains("something failed");
        assertThat(written().indexOf("routine one")).isLessThan(written().indexOf("something failed"));
    }

    @Test
    void routineLinesLeaveWithinTheFlushInterval() throws InterruptedException {
        log.publish(new LogRecord(Level.INFO, "routine two"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!written().contains("routine two") && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(written()).contains("routine two");
    }

    @Test
    void closingFlushesAndLeavesStandardErrorOpenForLaterLines() {
        log.publish(new LogRecord(Level.INFO, "before close"));
        log.close();
        assertThat(written()).contains("before close");
        log.publish(new LogRecord(Level.INFO, "after close"));
        assertThat(written()).contains("after close");
        System.err.print("still open");
        assertThat(written()).contains("still open");
    }
}
