package dev.parley.store;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import java.util.List;

/**
 * Threads, their items, attachment metadata and feedback, each scoped to one user.
 *
 * <p>Every method takes the id of the user the request acts for, and never sees or touches another user's
 * records: a thread of user A is {@link NotFoundException not found} for user B, exactly as a missing one.
 * Lists page by creation time (ties broken by insertion order): {@code after} is the id of the last record
 * of the previous page, and the returned page's {@code after} is the cursor for the next one, or null.
 *
 * <p>A write returns once it is durable in the database, so an event sent to a client after a write never
 * names something a crash could lose. Implementations are safe for concurrent use.
 */
public interface Store extends AutoCloseable {
    /** The page size used when a caller gives none. */
    int DEFAULT_LIMIT = 20;

    /** {@return the id generator for new records} */
    IdGenerator ids();

    // ---- threads -------------------------------------------------------------------------------------

    /** @throws NotFoundException if the user has no such thread */
    ThreadMetadata loadThread(String userId, String threadId);

    /**
     * Inserts or replaces the thread's metadata.
     *
     * @throws NotFoundException if the id is another user's thread
     */
    void saveThread(String userId, ThreadMetadata thread);

    /**
     * Saves a thread and appends its first item as one write: when it returns both are durable, and if it
     * fails neither was written. A new conversation then waits for one commit rather than two.
     *
     * <p>This default does the two writes one after the other (a failure of the item leaves the thread);
     * implementations that can do better override it.
     *
     * @throws NotFoundException if the id is another user's thread
     * @throws StoreException if the thread already has an item with the item's id
     */
    default void createThread(String userId, ThreadMetadata thread, ThreadItem firstItem) {
        saveThread(userId, thread);
        addItem(userId, firstItem);
    }

    Page<ThreadMetadata> loadThreads(String userId, int limit, String after, Order order);

    /** {@return how many threads the user has} */
    int countThreads(String userId);

    /**
     * Deletes the thread and all its items.
     *
     * @throws NotFoundException if the user has no such thread
     */
    void deleteThread(String userId, String threadId);

    // ---- items ---------------------------------------------------------------------------------------

    /** @throws NotFoundException if the user has no such thread */
    Page<ThreadItem> loadItems(String userId, String threadId, String after, int limit, Order order);

    /**
     * Appends an item to the thread.
     *
     * @throws NotFoundException if the user has no such thread
     */
    void addItem(String userId, ThreadItem item);

    /**
     * Inserts the item, or replaces the item with the same id in place (keeping its position).
     *
     * @throws NotFoundException if the user has no such thread
     */
    void saveItem(String userId, ThreadItem item);

    /** @throws NotFoundException if the user has no such thread or item */
    ThreadItem loadItem(String userId, String threadId, String itemId);

    /**
     * Deletes the items; ids that do not exist are ignored.
     *
     * @throws NotFoundException if the user has no such thread
     */
    void deleteItems(String userId, String threadId, List<String> itemIds);

    // ---- attachments ---------------------------------------------------------------------------------

    /**
     * Inserts or replaces attachment metadata.
     *
     * @throws NotFoundException if the id is another user's attachment
     */
    void saveAttachment(String userId, Attachment attachment);

    /** @throws NotFoundException if the user has no such attachment */
    Attachment loadAttachment(String userId, String attachmentId);

    /** @throws NotFoundException if the user has no such attachment */
    void deleteAttachment(String userId, String attachmentId);

    // ---- feedback ------------------------------------------------------------------------------------

    /** @throws NotFoundException if the user has no such thread */
    void addFeedback(String userId, Feedback feedback);

    /** @throws NotFoundException if the user has no such thread */
    List<Feedback> loadFeedback(String userId, String threadId);

    @Override
    void close();
}
