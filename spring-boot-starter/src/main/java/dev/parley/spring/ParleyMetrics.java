package dev.parley.spring;

import java.time.Duration;

/**
 * What the endpoint reports about each request. With Micrometer on the classpath the starter records them as the
 * timer {@code parley.requests} (tags {@code type}: the ChatKit request type, {@code outcome}: the HTTP status, or
 * {@code client_gone} for a stream the client left); otherwise nothing is recorded.
 */
@FunctionalInterface
public interface ParleyMetrics {
    /** Records nothing. */
    ParleyMetrics NONE = (type, outcome, took) -> {};

    /**
     * @param type    the request's {@code type}, or {@code invalid} when it could not be read
     * @param outcome the HTTP status as text, or {@code client_gone}
     * @param took    from the body read to the last byte written (for a stream, the whole turn)
     */
    void request(String type, String outcome, Duration took);
}
