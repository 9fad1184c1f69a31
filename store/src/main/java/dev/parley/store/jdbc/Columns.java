package dev.parley.store.jdbc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column formats both SQL stores share, so a database can be copied from SQLite to PostgreSQL row by row:
 * times as microseconds since the epoch (the precision ChatKit carries; an integer column sorts in time order on
 * every database without date-type quirks), an item's wire type name, and id lists as JSON arrays.
 */
public final class Columns {
    /** Read from the protocol's own Jackson mapping, so the type column cannot drift from the wire names. */
    private static final Map<Class<?>, String> ITEM_TYPES = itemTypes();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    private Columns() {}

    /**
     * {@return the time as microseconds since the epoch}
     *
     * @throws IllegalArgumentException if the time is missing, naming the record
     */
    public static long micros(Instant t, String what) {
        if (t == null) throw new IllegalArgumentException(what + " has no created_at");
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** {@return the item's wire type, such as {@code assistant_message}} */
    public static String itemType(ThreadItem item) {
        return ITEM_TYPES.getOrDefault(item.getClass(), item.getClass().getSimpleName());
    }

    public static String idList(List<String> ids) {
        try {
            return ChatKitJson.mapper().writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise " + ids, e);
        }
    }

    public static List<String> idList(String json) {
        try {
            return ChatKitJson.mapper().readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored item ids are not a JSON array of strings: " + json, e);
        }
    }

    private static Map<Class<?>, String> itemTypes() {
        var names = new HashMap<Class<?>, String>();
        for (JsonSubTypes.Type t : ThreadItem.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(t.value(), t.name());
        }
        return Map.copyOf(names);
    }
}
