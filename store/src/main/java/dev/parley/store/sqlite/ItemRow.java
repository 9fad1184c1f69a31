package dev.parley.store.sqlite;

import dev.parley.store.jdbc.Columns;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * An item reduced to its columns. Built on the caller's thread, so serialising the JSON (the costly part)
 * happens in parallel across callers and the single writer thread only binds values.
 */
record ItemRow(String id, String threadId, long createdAt, String type, String json) {
    static ItemRow of(ThreadItem item) {
        String id = Objects.requireNonNull(item.id(), "item.id");
        String threadId = Objects.requireNonNull(item.threadId(), "item.threadId");
        return new ItemRow(id, threadId, Columns.micros(item.createdAt(), "item " + id), Columns.itemType(item),
                ChatKitJson.writeStorage(item));
    }

    /** Binds the parameters of {@code SqliteStore.INSERT_ITEM}. */
    void bind(PreparedStatement ps, String userId, long seq) throws SQLException {
        SqliteStore.bind(ps, id, threadId, userId, createdAt, seq, type, json, threadId, userId);
    }
}
