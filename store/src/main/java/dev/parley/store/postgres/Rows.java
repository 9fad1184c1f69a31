package dev.parley.store.postgres;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records reduced to the columns the PostgreSQL schema keeps, and back. The column formats are the SQLite
 * store's, so a database could be copied from one to the other row by row.
 */
final class Rows {
    private static final Map<Class<?>, String> ITEM_TYPES = itemTypes();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private Rows() {}

    /** An item's columns, serialised on the caller's thread before a connection is taken from the pool. */
    record Item(String id, String threadId, long createdAt, String type, String json) {
        static Item of(ThreadItem item) {
            String id = Objects.requireNonNull(item.id(), "item.id");
            String threadId = Objects.requireNonNull(item.threadId(), "item.threadId");
            String type = ITEM_TYPES.getOrDefault(item.getClass(), item.getClass().getSimpleName());
            return new Item(id, threadId, micros(item.createdAt(), "item " + id), type, ChatKitJson.writeStorage(item));
        }
    }

    /**
     * {@return the time as microseconds since the epoch}, the precision ChatKit carries
     *
     * @throws IllegalArgumentException if the time is missing, naming the record
     */
    static long micros(Instant t, String what) {
        if (t == null) throw new IllegalArgumentException(what + " has no created_at");
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static String toJson(List<String> ids) {
        try {
            return ChatKitJson.mapper().writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise " + ids, e);
        }
    }

    static List<String> stringList(String json) {
        try {
            return ChatKitJson.mapper().readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored item ids are not a JSON array of strings: " + json, e);
        }
    }

    // The wire names come from the protocol's own Jackson mapping, so the type column cannot drift from it.
    private static Map<Class<?>, String> itemTypes() {
        var names = new HashMap<Class<?>, String>();
        for (JsonSubTypes.Type t : ThreadItem.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(t.value(), t.name());
        }
        return Map.copyOf(names);
    }
}
