package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/** One {@code data:} payload of a streamed response. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ThreadStreamEvent.ThreadCreated.class, name = "thread.created"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ThreadUpdated.class, name = "thread.updated"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ItemAdded.class, name = "thread.item.added"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ItemUpdated.class, name = "thread.item.updated"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ItemDone.class, name = "thread.item.done"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ItemRemoved.class, name = "thread.item.removed"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ItemReplaced.class, name = "thread.item.replaced"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.StreamOptionsEvent.class, name = "stream_options"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ProgressUpdate.class, name = "progress_update"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.ClientEffect.class, name = "client_effect"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.Error.class, name = "error"),
    @JsonSubTypes.Type(value = ThreadStreamEvent.Notice.class, name = "notice"),
})
public sealed interface ThreadStreamEvent {

    record ThreadCreated(ChatThread thread) implements ThreadStreamEvent {}

    record ThreadUpdated(ChatThread thread) implements ThreadStreamEvent {}

    /** An item starts streaming; it is not stored until its {@link ItemDone}. */
    record ItemAdded(ThreadItem item) implements ThreadStreamEvent {}

    record ItemUpdated(String itemId, ThreadItemUpdate update) implements ThreadStreamEvent {}

    /** An item is final; the server stores it. */
    record ItemDone(ThreadItem item) implements ThreadStreamEvent {}

    record ItemRemoved(String itemId) implements ThreadStreamEvent {}

    record ItemReplaced(ThreadItem item) implements ThreadStreamEvent {}

    record StreamOptionsEvent(StreamOptions streamOptions) implements ThreadStreamEvent {}

    record ProgressUpdate(String icon, String text) implements ThreadStreamEvent {}

    /** Fire-and-forget instruction for the front end ({@code onEffect}). */
    record ClientEffect(String name, JsonNode data) implements ThreadStreamEvent {
        public ClientEffect {
            data = data == null ? ChatKitJson.emptyObject() : data;
        }
    }

    /**
     * A failure inside the stream. {@code stream.error} is the generic code; {@code custom} carries a message
     * meant for the user.
     */
    record Error(String code, String message, boolean allowRetry) implements ThreadStreamEvent {
        public static final String STREAM_ERROR = "stream.error";
        public static final String CUSTOM = "custom";
    }

    /** A banner for the user; {@code level} is info, warning or danger; {@code message} is Markdown. */
    record Notice(String level, String message, String title) implements ThreadStreamEvent {}

    record StreamOptions(boolean allowCancel) {}
}
