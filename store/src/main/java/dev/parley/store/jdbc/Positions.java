package dev.parley.store.jdbc;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Where a new row's list position ({@code seq}, and a feedback row's id) comes from: a counter in the
 * application (SQLite, whose single writer numbers rows without a round trip) or the column's default (a
 * PostgreSQL sequence, so servers sharing the database never hand out the same number). The shared
 * statements name the column only in the first case.
 */
public final class Positions {
    /** Stands for the next position among a statement's arguments. */
    static final Object NEXT = new Object();

    private final LongSupplier counter;

    private Positions(LongSupplier counter) {
        this.counter = counter;
    }

    /** Positions drawn by the counter, which must only be called where the statement runs. */
    public static Positions counted(LongSupplier counter) {
        return new Positions(Objects.requireNonNull(counter, "counter"));
    }

    /** Positions drawn by the database, from the column's default. */
    public static Positions fromColumnDefault() {
        return new Positions(null);
    }

    /** {@return "column, " where the application supplies the value, else nothing} */
    String column(String name) {
        return counter == null ? "" : name + ", ";
    }

    /** {@return the placeholder that goes with {@link #column}} */
    String placeholder() {
        return counter == null ? "" : "?, ";
    }

    /** {@return the arguments with {@link #NEXT} replaced by the next position, or left out} */
    Object[] args(Object... values) {
        int at = 0;
        while (values[at] != NEXT) at++;
        if (counter != null) {
            values[at] = counter.getAsLong();
            return values;
        }
        Object[] without = new Object[values.length - 1];
        System.arraycopy(values, 0, without, 0, at);
        System.arraycopy(values, at + 1, without, at, without.length - at);
        return without;
    }
}
