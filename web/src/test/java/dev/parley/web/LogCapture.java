package dev.parley.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what every logger of this JVM logs at WARNING or above (System.Logger goes to java.util.logging here),
 * so a test can assert that a client's mistake left no error in the operator's log.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.WARNING);
        root.addHandler(this);
    }

    /** {@return the SEVERE records, each as "logger: message (exception)"} */
    List<String> severe() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogCapture::line).toList();
    }

    /** {@return every record at WARNING or above, as in {@link #severe()}} */
    List<String> warnings() {
        return records.stream().map(LogCapture::line).toList();
    }

    void clear() {
        records.clear();
    }

    private static String line(LogRecord r) {
        return r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")");
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
