package dev.parley.web.logs;

import java.io.BufferedOutputStream;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The console log handler: lines go to standard error like {@code ConsoleHandler}'s, but through a buffer. The
 * JDK's handler flushes every record, so each access-log line cost a system call and a twentieth of a streamed
 * turn's CPU (BENCHMARKS.md, issue 18). Here a warning or error flushes at once, with every line before it, while
 * routine lines leave within {@link #FLUSH_MILLIS} or when 16 KiB have gathered; a server killed outright can lose
 * at most that last moment of routine lines, never a failure it had logged.
 */
public final class ConsoleLog extends StreamHandler {
    static final long FLUSH_MILLIS = 100;

    /** The handlers made so far (normally one), for {@link #flushAll} at shutdown. */
    private static final java.util.Set<ConsoleLog> MADE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile boolean dirty;
    private volatile boolean closed;

    public ConsoleLog() {
        // System.err as it is now (tests may have replaced it), with a buffer in front of its per-write flush.
        setOutputStream(new BufferedOutputStream(System.err, 16 * 1024));
        setLevel(Level.ALL);
        Thread.ofPlatform().name("parley-log-flush").daemon(true).start(this::flushLoop);
        MADE.add(this);
    }

    /**
     * Sends every buffered line. The server's shutdown hook calls this last: the JDK's own hook resets logging at
     * the same time, in no set order, and must not leave the server's last lines in a buffer.
     */
    public static void flushAll() {
        for (ConsoleLog log : MADE) log.flush();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        // After close (the JVM is shutting down) nothing would flush later, so every line leaves at once.
        if (closed || record.getLevel().intValue() >= Level.WARNING.intValue()) {
            flush();
        } else {
            dirty = true;
        }
    }

    @Override
    public synchronized void flush() {
        dirty = false;
        super.flush();
    }

    /** Flushes but leaves standard error open, as {@code ConsoleHandler} does: it is not this handler's to close. */
    @Override
    public synchronized void close() {
        closed = true;
        flush();
    }

    private void flushLoop() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (dirty) flush();
        }
    }
}
