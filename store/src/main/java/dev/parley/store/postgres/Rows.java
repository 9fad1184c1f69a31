package dev.parley.store.postgres;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.store.jdbc.Columns;
import java.util.Objects;

/**
 * Records reduced to the columns the PostgreSQL schema keeps. The column formats are the SQLite store's
 * ({@link Columns}), so a database could be copied from one to the other row by row.
 */
final class Rows {
    private Rows() {}

    /** An item's columns, serialised on the caller's thread before a connection is taken from the pool. */
    record Item(String id, String threadId, long createdAt, String type, String json) {
        static Item of(ThreadItem item) {
            String id = Objects.requireNonNull(item.id(), "item.id");
            String threadId = Objects.requireNonNull(item.threadId(), "item.threadId");
            return new Item(id, threadId, Columns.micros(item.createdAt(), "item " + id), Columns.itemType(item),
                    ChatKitJson.writeStorage(item));
        }
    }
}
