package dev.parley.store;

/**
 * A store operation failed for a reason other than a missing record: the database could not be reached or
 * written, or a write conflicts with existing data (such as adding an item whose id is already taken).
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
