package dev.parley.model.openai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the providers log through System.Logger (which, with no other backend, is java.util.logging). */
final class CapturedLog extends Handler implements AutoCloseable {
    // Held strongly: java.util.logging forgets loggers nobody references, and their handlers with them.
    private final Logger logger = Logger.getLogger("dev.parley.model.openai");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    CapturedLog() {
        logger.addHandler(this);
    }

    /** {@return the messages logged at WARNING or above} */
    List<String> warningsAndErrors() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList();
    }

    List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
