package dev.parley.web.access;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute per key (a user, a client address), as token buckets: a key may spend {@code perMinute}
 * requests at once, and earns them back evenly over a minute. In memory, per server: behind a load balancer each
 * server enforces the limit on the share of traffic it sees.
 */
public final class RateLimiter {
    /** Buckets untouched this long are full again and can be forgotten. */
    private static final long IDLE_NANOS = Duration.ofMinutes(2).toNanos();
    private static final int SWEEP_EVERY = 10_000;

    private final int perMinute;
    private final double nanosPerToken;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private int sinceSweep;

    /** @param perMinute requests allowed per minute per key; 0 turns the limit off */
    public RateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    public RateLimiter(int perMinute, LongSupplier clock) {
        this.perMinute = perMinute;
        this.nanosPerToken = perMinute == 0 ? 0 : Duration.ofMinutes(1).toNanos() / (double) perMinute;
        this.clock = clock;
    }

    /** {@return 0 when {@code key} may make a request now (and counts it), else the seconds until it may} */
    public long acquire(String key) {
        if (perMinute == 0) return 0;
        long now = clock.getAsLong();
        if (++sinceSweep >= SWEEP_EVERY) sweep(now);
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
        synchronized (b) {
            b.tokens = tokens(b, now);
            b.updated = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return secondsUntilOne(b.tokens);
        }
    }

    /** {@return 0 when {@code key} could make a request now, else the seconds until it could}; counts nothing */
    public long waitFor(String key) {
        if (perMinute == 0) return 0;
        Bucket b = buckets.get(key);
        if (b == null) return 0;
        long now = clock.getAsLong();
        synchronized (b) {
            double tokens = tokens(b, now);
            return tokens >= 1 ? 0 : secondsUntilOne(tokens);
        }
    }

    /** {@return the bucket's tokens at {@code now}}: what it had, plus what it earned since, at most full */
    private double tokens(Bucket b, long now) {
        return Math.min(perMinute, b.tokens + (now - b.updated) / nanosPerToken);
    }

    private long secondsUntilOne(double tokens) {
        return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken / 1e9));
    }

    public int perMinute() {
        return perMinute;
    }

    private void sweep(long now) {
        sinceSweep = 0;
        buckets.values().removeIf(b -> now - b.updated > IDLE_NANOS);
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
