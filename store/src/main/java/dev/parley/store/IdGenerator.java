package dev.parley.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes new ids: the kind's prefix, an underscore, then 12 hex digits of the creation time in milliseconds
 * and 16 random hex digits.
 *
 * <p>Why the time comes first: every table keys its rows by id, and a B-tree takes keys that arrive in order at
 * its right edge, so one commit of a hundred turns changes a handful of pages. Random ids land on a different
 * leaf page each, and at a few thousand turns a second that was most of SQLite's WAL traffic and checkpoint
 * work (measured in BENCHMARKS.md, issue 18). The 64 random bits keep ids unique, and unguessable enough that
 * knowing one id says nothing about another; who may read what is decided by the owner check, not the id.
 */
@FunctionalInterface
public interface IdGenerator {
    String newId(IdKind kind);

    /** {@return the default generator: time-ordered, then random} */
    static IdGenerator timeOrdered() {
        return kind -> timeOrdered(kind.prefix());
    }

    /** {@return a new time-ordered id with the prefix (no underscore added)} */
    static String timeOrdered(String prefix) {
        char[] out = new char[prefix.length() + 1 + 28];
        prefix.getChars(0, prefix.length(), out, 0);
        int at = prefix.length();
        out[at++] = '_';
        at = hex(System.currentTimeMillis(), 12, out, at);
        hex(ThreadLocalRandom.current().nextLong(), 16, out, at);
        return new String(out);
    }


    private static int hex(long value, int digits, char[] out, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
        return at + digits;
    }
}
