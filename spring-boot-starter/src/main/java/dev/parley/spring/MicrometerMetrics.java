package dev.parley.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** {@link ParleyMetrics} as a Micrometer timer; loaded only when Micrometer is on the classpath. */
final class MicrometerMetrics implements ParleyMetrics {
    static final String TIMER = "parley.requests";
    private final MeterRegistry registry;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void request(String type, String outcome, Duration took) {
        // Tag values are bounded: 16 request types plus "invalid", and a handful of statuses.
        Timer.builder(TIMER)
                .description("ChatKit requests handled by Parley; streamed ones last the whole turn")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
    }
}
