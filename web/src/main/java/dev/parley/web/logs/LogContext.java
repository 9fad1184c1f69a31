package dev.parley.web.logs;

/**
 * What the current thread is working for, stamped on each JSON log line ({@link JsonLogFormat}): the HTTP
 * request, and the workflow run and chat thread while a run is going on. Set and restored by
 * {@code web.observe} around each request and run, on the thread that does the work.
 */
public final class LogContext {
    private static final ThreadLocal<LogContext> CURRENT = new ThreadLocal<>();

    private final String requestId;
    private final String runId;
    private final String threadId;

    private LogContext(String requestId, String runId, String threadId) {
        this.requestId = requestId;
        this.runId = runId;
        this.threadId = threadId;
    }

    /** {@return this thread's context, or null outside any request} */
    public static LogContext current() {
        return CURRENT.get();
    }

    /** Marks this thread as serving request {@code requestId}. {@return the context to restore afterwards} */
    public static LogContext enterRequest(String requestId) {
        LogContext before = CURRENT.get();
        CURRENT.set(new LogContext(requestId, null, null));
        return before;
    }

    /** Marks this thread as running {@code runId} of chat thread {@code threadId}, within its request. */
    public static LogContext enterRun(String runId, String threadId) {
        LogContext before = CURRENT.get();
        CURRENT.set(new LogContext(before == null ? null : before.requestId, runId, threadId));
        return before;
    }

    /** Puts back what {@code enter…} returned. */
    public static void restore(LogContext before) {
        if (before == null) CURRENT.remove();
        else CURRENT.set(before);
    }

    public String requestId() {
        return requestId;
    }

    public String runId() {
        return runId;
    }

    public String threadId() {
        return threadId;
    }
}
