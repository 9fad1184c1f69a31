package dev.parley.store;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Threads, their items, attachment metadata and feedback, each scoped to one user.
 *
 * <p>Every method but the housekeeping ones at the end takes the id of the user the request acts for, and never
 * sees or touches another user's records: a thread of user A is {@link NotFoundException not found} for user B, exactly as a missing one.
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
     * Saves the thread's metadata without waiting for it to be durable: it is, no later than this thread's next
     * write to the store returns or the returned handle's {@code await} does; a failure (another user's thread)
     * is logged, and thrown by {@code await}. For a title a turn is about to announce, which its next item
     * commits along with it. By default the same as {@link #saveThread}.
     */
    default PendingWrite saveThreadBehind(String userId, ThreadMetadata thread) {
        saveThread(userId, thread);
        return PendingWrite.DONE;
    }

    /**
     * Inserts or replaces an item, as {@link #saveItem}, without waiting for it to be durable: it is, no later than
     * this thread's next write to the store returns or the returned handle's {@code await} does. A failure is
     * logged, and thrown by {@code await}: whoever announces the item awaits it first. By default the same as
     * {@link #saveItem}.
     */
    default PendingWrite saveItemBehind(String userId, ThreadItem item) {
        saveItem(userId, item);
        return PendingWrite.DONE;
    }

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
     * Deletes the thread with its items, its feedback and the metadata of the attachments bound to it (those
     * whose {@code thread_id} names it), all in one transaction, and {@return the attachments deleted}. Their
     * bytes are the caller's to delete next: without the metadata nobody can reach them any more, so a crash
     * in between leaves only bytes that {@link #knownAttachmentIds the housekeeping sweep} removes.
     *
     * @throws NotFoundException if the user has no such thread; nothing is deleted then
     */
    List<Attachment> deleteThread(String userId, String threadId);

    /**
     * Deletes every thread of the user, as {@link #deleteThread} does, and every attachment of the user, bound
     * to a thread or not (an unbound one was created, perhaps uploaded, but never sent), in one transaction.
     * The caller deletes the returned attachments' bytes.
     *
     * @return how many threads were deleted, and the attachments deleted
     */
    Deleted deleteAllThreads(String userId);

    /** What {@link #deleteAllThreads} deleted: a count of threads, and the attachments whose bytes must go too. */
    record Deleted(int threads, List<Attachment> attachments) {
        public Deleted {
            attachments = List.copyOf(attachments);
        }
    }

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

    /**
     * Replaces the metadata of an attachment that exists, and never creates one: an upload that finishes
     * after its attachment was deleted must not bring the attachment back.
     *
     * @throws NotFoundException if the user has no such attachment (any more)
     */
    void updateAttachment(String userId, Attachment attachment);

    /** @throws NotFoundException if the user has no such attachment */
    Attachment loadAttachment(String userId, String attachmentId);

    /** @throws NotFoundException if the user has no such attachment */
    void deleteAttachment(String userId, String attachmentId);

    // ---- feedback ------------------------------------------------------------------------------------

    /** @throws NotFoundException if the user has no such thread */
    void addFeedback(String userId, Feedback feedback);

    /** @throws NotFoundException if the user has no such thread */
    List<Feedback> loadFeedback(String userId, String threadId);

    // ---- housekeeping: not scoped to a user ------------------------------------------------------------

    /**
     * {@return those of the ids that name an attachment of any user}. For the sweep that deletes attachment
     * bytes nobody can reach: an attachment's metadata is written before its bytes can arrive, so bytes whose
     * id this set leaves out belong to a deleted attachment. Never call it with ids from a request: it answers
     * for every user.
     */
    Set<String> knownAttachmentIds(Collection<String> attachmentIds);

    /**
     * {@return the ids of attachments bound to a thread that does not exist}, of any user: left by a message
     * whose thread was deleted while it was being sent, by a crash between binding an attachment and creating
     * its new thread, or by releases that kept attachments of deleted threads. A new thread's attachments are
     * bound a moment before the thread is written, so an id found here is only garbage if a later call, well
     * after, still finds it.
     */
    Set<String> strayAttachmentIds();

    /**
     * Deletes those of the attachments that are still bound to a thread that does not exist (checked again
     * here, so an id that has meanwhile found its thread is kept), of any user, and {@return the ids deleted}.
     */
    Set<String> deleteStrayAttachments(Collection<String> attachmentIds);

    @Override
    void close();
}
