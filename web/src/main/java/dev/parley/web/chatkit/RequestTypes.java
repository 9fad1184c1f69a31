package dev.parley.web.chatkit;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.parley.protocol.ChatKitRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * The wire name ({@code threads.create}…) of a parsed request, for metrics and logs: read once from the
 * {@code @JsonSubTypes} list that the protocol's JSON rules already use, so the two cannot disagree.
 */
final class RequestTypes {
    private static final Map<Class<?>, String> NAMES = names();

    private RequestTypes() {}

    static String of(ChatKitRequest request) {
        return NAMES.getOrDefault(request.getClass(), "unknown");
    }

    private static Map<Class<?>, String> names() {
        Map<Class<?>, String> names = new HashMap<>();
        for (JsonSubTypes.Type type : ChatKitRequest.class.getAnnotation(JsonSubTypes.class).value()) {
            names.put(type.value(), type.name());
        }
        return Map.copyOf(names);
    }
}
