package dev.parley.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON trees as text, for providers and validation. {@code JsonNode.toString()} keeps its writer's buffers in a
 * thread-local, and every turn runs on a new virtual thread: each call allocated a fresh set and an open stream
 * held it. This mapper lends buffers from one pool shared by all threads.
 */
public final class JsonText {
    private static final ObjectMapper MAPPER = JsonMapper.builder(
            JsonFactory.builder().recyclerPool(JsonRecyclerPools.newBoundedPool(32)).build()).build();

    private JsonText() {}

    /** {@return the tree as compact JSON, as {@code toString()} writes it} */
    public static String of(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a JSON tree", e);
        }
    }
}
