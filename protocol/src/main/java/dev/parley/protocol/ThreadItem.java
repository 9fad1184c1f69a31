package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Everything a thread can hold. Two kinds, {@link HiddenContext} and {@link SdkHiddenContext}, are for the
 * model only: they are stored but never sent to a client ({@link #isHidden()}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ThreadItem.UserMessage.class, name = "user_message"),
    @JsonSubTypes.Type(value = ThreadItem.AssistantMessage.class, name = "assistant_message"),
    @JsonSubTypes.Type(value = ThreadItem.ClientToolCall.class, name = "client_tool_call"),
    @JsonSubTypes.Type(value = ThreadItem.Widget.class, name = "widget"),
    @JsonSubTypes.Type(value = ThreadItem.GeneratedImage.class, name = "generated_image"),
    @JsonSubTypes.Type(value = ThreadItem.StructuredInput.class, name = "structured_input"),
    @JsonSubTypes.Type(value = ThreadItem.WorkflowItem.class, name = "workflow"),
    @JsonSubTypes.Type(value = ThreadItem.TaskItem.class, name = "task"),
    @JsonSubTypes.Type(value = ThreadItem.EndOfTurn.class, name = "end_of_turn"),
    @JsonSubTypes.Type(value = ThreadItem.HiddenContext.class, name = "hidden_context_item"),
    @JsonSubTypes.Type(value = ThreadItem.SdkHiddenContext.class, name = "sdk_hidden_context"),
})
public sealed interface ThreadItem {
    String id();

    String threadId();

    Instant createdAt();

    /** {@return true for items that are stored for the model but never sent to a client} */
    @com.fasterxml.jackson.annotation.JsonIgnore
    default boolean isHidden() {
        return this instanceof HiddenContext || this instanceof SdkHiddenContext;
    }

    /** What the user sent. */
    record UserMessage(
            String id,
            String threadId,
            Instant createdAt,
            List<UserMessageContent> content,
            List<Attachment> attachments,
            String quotedText,
            InferenceOptions inferenceOptions)
            implements ThreadItem {
        public UserMessage {
            content = content == null ? List.of() : List.copyOf(content);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            inferenceOptions = inferenceOptions == null ? InferenceOptions.NONE : inferenceOptions;
        }

        /** {@return the text parts (and tag texts) joined, as the model would read them} */
        public String text() {
            return text(content);
        }

        /** {@return the text of message parts, as {@link #text()} joins them} */
        public static String text(List<UserMessageContent> content) {
            var sb = new StringBuilder();
            for (var part : content) {
                switch (part) {
                    case UserMessageContent.InputText t -> sb.append(t.text());
                    case UserMessageContent.InputTag t -> sb.append('@').append(t.text());
                }
            }
            return sb.toString();
        }
    }

    /** What the assistant replied. */
    record AssistantMessage(String id, String threadId, Instant createdAt, List<AssistantContent> content)
            implements ThreadItem {
        public AssistantMessage {
            content = content == null ? List.of() : List.copyOf(content);
        }

        /** {@return all text parts joined} */
        public String text() {
            var sb = new StringBuilder();
            for (var part : content) sb.append(part.text());
            return sb.toString();
        }
    }

    /** A call the front end must answer (its result comes back as {@code threads.add_client_tool_output}). */
    record ClientToolCall(
            String id,
            String threadId,
            Instant createdAt,
            String status,
            String callId,
            String name,
            JsonNode arguments,
            JsonNode output)
            implements ThreadItem {
        public static final String PENDING = "pending";
        public static final String COMPLETED = "completed";

        public ClientToolCall {
            status = status == null ? PENDING : status;
            arguments = arguments == null ? ChatKitJson.emptyObject() : arguments;
        }

        public ClientToolCall completed(JsonNode result) {
            return new ClientToolCall(id, threadId, createdAt, COMPLETED, callId, name, arguments, result);
        }
    }

    /** A rich UI tree (Card, ListView, ...), kept as JSON. */
    record Widget(String id, String threadId, Instant createdAt, JsonNode widget, String copyText)
            implements ThreadItem {}

    record GeneratedImage(String id, String threadId, Instant createdAt, Image image) implements ThreadItem {
        public record Image(String id, String url) {}
    }

    /** Questions put to the user, answered with {@code threads.add_structured_input}. */
    record StructuredInput(String id, String threadId, Instant createdAt, String status, List<Question> inputs)
            implements ThreadItem {
        public static final String PENDING = "pending";

        public StructuredInput {
            status = status == null ? PENDING : status;
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
        }

        public StructuredInput withAnswers(String newStatus, List<Question> answered) {
            return new StructuredInput(id, threadId, createdAt, newStatus, answered);
        }
    }

    record WorkflowItem(String id, String threadId, Instant createdAt, Workflow workflow) implements ThreadItem {}

    record TaskItem(String id, String threadId, Instant createdAt, Task task) implements ThreadItem {}

    record EndOfTurn(String id, String threadId, Instant createdAt) implements ThreadItem {}

    /** Context for the model, never shown: any JSON. */
    record HiddenContext(String id, String threadId, Instant createdAt, JsonNode content) implements ThreadItem {}

    /** Context the server itself adds, such as "the user cancelled"; never shown. */
    record SdkHiddenContext(String id, String threadId, Instant createdAt, String content) implements ThreadItem {}
}
