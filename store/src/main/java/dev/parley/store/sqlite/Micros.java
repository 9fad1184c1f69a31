package dev.parley.store.sqlite;

import java.time.Instant;

/**
 * Timestamps as microseconds since the epoch: the precision ChatKit carries, and an integer column sorts
 * in time order on every database without date-type or text-format quirks.
 */
final class Micros {
    private Micros() {}

    /** @throws IllegalArgumentException if the time is missing, naming the record */
    static long of(Instant t, String what) {
        if (t == null) throw new IllegalArgumentException(what + " has no created_at");
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
