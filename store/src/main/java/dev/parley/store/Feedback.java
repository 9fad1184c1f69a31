package dev.parley.store;

import java.time.Instant;
import java.util.List;

/** A thumbs up or down the user gave to items of a thread. */
public record Feedback(String threadId, List<String> itemIds, String kind, Instant createdAt) {
    public Feedback {
        itemIds = List.copyOf(itemIds);
    }
}
