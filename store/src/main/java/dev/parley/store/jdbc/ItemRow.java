package dev.parley.store.jdbc;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import java.util.Objects;

/**
 * An item reduced to its columns. Built on the caller's thread, before a connection is taken or the write
 * is queued, so serialising the JSON (the costly part) runs in parallel across callers.
 */
public record ItemRow(String id, String threadId, long createdAt, String type, String json) {
    public static ItemRow of(ThreadItem item) {
        String id = Objects.requireNonNull(item.id(), "item.id");
        String threadId = Objects.requireNonNull(item.threadId(), "item.threadId");
        return new ItemRow(id, threadId, Columns.micros(item.createdAt(), "item " + id), Columns.itemType(item),
                ChatKitJson.writeStorage(item));
    }
}
