package dev.parley.web.observe;

import io.opentelemetry.api.trace.Span;

/**
 * What the HTTP observer learns about the request the current thread serves, from the handler that serves it: the
 * ChatKit request type, once {@code /chatkit} has parsed the body. Lets metrics, spans and the access log say
 * {@code threads.create} without parsing the body a second time.
 *
 * <p>Kept in a thread-local rather than Helidon's request context: the handler runs on the virtual thread that ran
 * the observer's filter, and a thread-local costs a fraction of a context look-up on every request.
 */
public final class RequestInfo {
    private static final ThreadLocal<RequestInfo> CURRENT = new ThreadLocal<>();

    final long startNanos;
    String type;
    Span span;

    private RequestInfo(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Starts recording for the request this thread serves. {@return the record, to {@link #leave} later} */
    static RequestInfo enter(long startNanos) {
        var info = new RequestInfo(startNanos);
        CURRENT.set(info);
        return info;
    }

    static void leave() {
        CURRENT.remove();
    }

    /** Records the ChatKit request type of the request this thread serves; nothing happens when no observer watches. */
    public static void type(String type) {
        RequestInfo info = CURRENT.get();
        if (info == null) return;
        info.type = type;
        if (info.span != null) info.span.updateName("POST /chatkit " + type);
    }

    /** {@return when the observer first saw this thread's request (System.nanoTime), or now when none watches} */
    public static long started() {
        RequestInfo info = CURRENT.get();
        return info == null ? System.nanoTime() : info.startNanos;
    }
}
