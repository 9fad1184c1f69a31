package dev.parley.store;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes new ids. The default is the kind's prefix, an underscore and 16 random hex digits: 64 bits, so ids
 * stay unique across a large store (the reference's 8 digits collide after tens of thousands of threads).
 */
@FunctionalInterface
public interface IdGenerator {
    String newId(IdKind kind);

    /** {@return the default generator} */
    static IdGenerator random() {
        return kind -> kind.prefix() + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
