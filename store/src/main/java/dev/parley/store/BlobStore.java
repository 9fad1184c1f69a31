package dev.parley.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Attachment bytes, by attachment id. Ownership is checked against {@link Store} metadata before any call;
 * this interface only moves bytes, so an object store can implement it later.
 */
public interface BlobStore {
    /**
     * Stores the bytes, replacing any earlier ones.
     *
     * @return the number of bytes stored
     * @throws TooLargeException if more than {@code maxBytes} arrive; nothing is kept then
     */
    long write(String id, InputStream bytes, long maxBytes) throws IOException;

    /** {@return the bytes, or empty if none were uploaded} */
    Optional<InputStream> open(String id) throws IOException;

    /** Deletes the bytes; a missing blob is not an error. */
    void delete(String id) throws IOException;

    /**
     * {@return the ids of every blob stored}, uploads still in progress left out, in no particular order. For the
     * sweep that deletes bytes whose attachment is gone.
     */
    List<String> ids() throws IOException;

    /** The upload exceeded its limit. */
    final class TooLargeException extends IOException {
        public TooLargeException(String message) {
            super(message);
        }
    }
}
