package dev.parley.store.sqlite;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An item reduced to its columns. Built on the caller's thread, so serialising the JSON (the costly part)
 * happens in parallel across callers and the single writer thread only binds values.
 */
record ItemRow(String id, String threadId, long createdAt, String type, String json) {
    /** The wire names of the item types, read from the protocol's own Jackson mapping so they cannot drift. */
    private static final Map<Class<?>, String> TYPES = typeNames();

    static ItemRow of(ThreadItem item) {
        String id = Objects.requireNonNull(item.id(), "item.id");
        String threadId = Objects.requireNonNull(item.threadId(), "item.threadId");
        String type = TYPES.getOrDefault(item.getClass(), item.getClass().getSimpleName());
        return new ItemRow(id, threadId, Micros.of(item.createdAt(), "item " + id), type, ChatKitJson.writeStorage(item));
    }

    /** Binds the parameters of {@code SqliteStore.INSERT_ITEM}. */
    void bind(PreparedStatement ps, String userId, long seq) throws SQLException {
        SqliteStore.bind(ps, id, threadId, userId, createdAt, seq, type, json, threadId, userId);
    }

    private static Map<Class<?>, String> typeNames() {
        var names = new HashMap<Class<?>, String>();
        for (JsonSubTypes.Type t : ThreadItem.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(t.value(), t.name());
        }
        return Map.copyOf(names);
    }
}
