package dev.parley.store;

import dev.parley.protocol.ThreadItem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of the conversations: threads of every user, read only. Unlike {@link Store}, nothing here
 * is scoped to a user, so only the admin API (behind the admin token) may call it, never a route an end user reaches.
 */
public interface ConversationStore {
    /** The largest page {@link #threads} returns. */
    int MAX_LIMIT = 200;

    /**
     * One thread as the list shows it.
     *
     * @param lastItemAt       when its newest item was created, or null for a thread without items
     * @param negativeFeedback how many {@code negative} feedback calls its items received
     */
    record ThreadSummary(String threadId, String userId, String title, Instant createdAt, Instant lastItemAt,
            int negativeFeedback) {}

    /** A page of threads, newest first; {@code after} is the cursor for the next page, or null on the last. */
    record ThreadPage(List<ThreadSummary> data, boolean hasMore, String after) {
        public ThreadPage {
            data = List.copyOf(data);
        }
    }

    /**
     * One thread with everything the console shows: its items oldest first, its feedback oldest first, and for
     * each assistant message the run that produced it, where one is known.
     *
     * @param runIds assistant message id to run id
     */
    record Conversation(ThreadSummary thread, List<ThreadItem> items, List<Feedback> feedback, Map<String, String> runIds) {
        public Conversation {
            items = List.copyOf(items);
            feedback = List.copyOf(feedback);
            runIds = Map.copyOf(runIds);
        }
    }

    /**
     * {@return threads of every user, newest first (by creation, then insertion order)}
     *
     * @param limit        1 to {@link #MAX_LIMIT}; other values are capped to that range
     * @param after        the last thread id of the previous page, or null for the first page
     * @param negativeOnly keep only threads with at least one negative feedback
     * @throws NotFoundException if {@code after} names no thread
     */
    ThreadPage threads(int limit, String after, boolean negativeOnly);

    /**
     * {@return the thread with its first {@code maxItems} items}, or empty if no user has it. An assistant message
     * is linked to the run of the same thread whose trace started last at or before the message was created.
     */
    Optional<Conversation> conversation(String threadId, int maxItems);
}
