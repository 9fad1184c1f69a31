package dev.parley.store;

/**
 * A thread, item or attachment that does not exist for this user. Deliberately the same whether the record
 * is missing or belongs to someone else, so that a caller learns nothing about other users' data.
 */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }

    public static NotFoundException thread(String id) {
        return new NotFoundException("Thread " + id + " not found");
    }

    public static NotFoundException item(String id) {
        return new NotFoundException("Item " + id + " not found");
    }

    public static NotFoundException attachment(String id) {
        return new NotFoundException("Attachment " + id + " not found");
    }
}
