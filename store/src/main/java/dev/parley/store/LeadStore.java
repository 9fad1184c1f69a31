package dev.parley.store;

import java.time.Instant;
import java.util.List;

/**
 * Contact details visitors left in the chat, for the team to follow up: the lead list of the admin API. Like
 * {@link ConversationStore} it spans every user, so only the admin API may read it.
 */
public interface LeadStore {
    /** The largest list {@link #recent} returns. */
    int MAX_LIMIT = 500;

    /** How a lead can be reached. */
    enum Kind { EMAIL, PHONE }

    /**
     * One contact detail a visitor wrote.
     *
     * @param contact the e-mail address or phone number as written
     * @param message the whole message it was written in, which usually says what the visitor wants
     */
    record Lead(String userId, String threadId, Kind kind, String contact, String message, Instant createdAt) {}

    /**
     * Records {@code lead}; a contact detail the same user already left is kept once, with its first message.
     *
     * @return whether it was new
     */
    boolean add(Lead lead);

    /** {@return the newest leads of every user, newest first, at most {@code limit} (capped to 1–{@link #MAX_LIMIT})} */
    List<Lead> recent(int limit);
}
