package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The request envelope {@code {type, params, metadata?}}. The operation is chosen by {@code type} alone;
 * whether the answer is a JSON document or an event stream follows from it ({@link Streaming} or
 * {@link NonStreaming}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChatKitRequest.GetThread.class, name = ChatKitRequest.GET_THREAD),
    @JsonSubTypes.Type(value = ChatKitRequest.ListThreads.class, name = ChatKitRequest.LIST_THREADS),
    @JsonSubTypes.Type(value = ChatKitRequest.ListItems.class, name = ChatKitRequest.LIST_ITEMS),
    @JsonSubTypes.Type(value = ChatKitRequest.Feedback.class, name = ChatKitRequest.FEEDBACK),
    @JsonSubTypes.Type(value = ChatKitRequest.CreateAttachment.class, name = ChatKitRequest.CREATE_ATTACHMENT),
    @JsonSubTypes.Type(value = ChatKitRequest.DeleteAttachment.class, name = ChatKitRequest.DELETE_ATTACHMENT),
    @JsonSubTypes.Type(value = ChatKitRequest.UpdateThread.class, name = ChatKitRequest.UPDATE_THREAD),
    @JsonSubTypes.Type(value = ChatKitRequest.DeleteThread.class, name = ChatKitRequest.DELETE_THREAD),
    @JsonSubTypes.Type(value = ChatKitRequest.Transcribe.class, name = ChatKitRequest.TRANSCRIBE),
    @JsonSubTypes.Type(value = ChatKitRequest.SyncCustomAction.class, name = ChatKitRequest.SYNC_CUSTOM_ACTION),
    @JsonSubTypes.Type(value = ChatKitRequest.CreateThread.class, name = ChatKitRequest.CREATE_THREAD),
    @JsonSubTypes.Type(value = ChatKitRequest.AddUserMessage.class, name = ChatKitRequest.ADD_USER_MESSAGE),
    @JsonSubTypes.Type(value = ChatKitRequest.AddClientToolOutput.class, name = ChatKitRequest.ADD_CLIENT_TOOL_OUTPUT),
    @JsonSubTypes.Type(value = ChatKitRequest.AddStructuredInput.class, name = ChatKitRequest.ADD_STRUCTURED_INPUT),
    @JsonSubTypes.Type(value = ChatKitRequest.RetryAfterItem.class, name = ChatKitRequest.RETRY_AFTER_ITEM),
    @JsonSubTypes.Type(value = ChatKitRequest.CustomAction.class, name = ChatKitRequest.CUSTOM_ACTION),
})
public sealed interface ChatKitRequest {
    String GET_THREAD = "threads.get_by_id";
    String LIST_THREADS = "threads.list";
    String LIST_ITEMS = "items.list";
    String FEEDBACK = "items.feedback";
    String CREATE_ATTACHMENT = "attachments.create";
    String DELETE_ATTACHMENT = "attachments.delete";
    String UPDATE_THREAD = "threads.update";
    String DELETE_THREAD = "threads.delete";
    String TRANSCRIBE = "input.transcribe";
    String SYNC_CUSTOM_ACTION = "threads.sync_custom_action";
    String CREATE_THREAD = "threads.create";
    String ADD_USER_MESSAGE = "threads.add_user_message";
    String ADD_CLIENT_TOOL_OUTPUT = "threads.add_client_tool_output";
    String ADD_STRUCTURED_INPUT = "threads.add_structured_input";
    String RETRY_AFTER_ITEM = "threads.retry_after_item";
    String CUSTOM_ACTION = "threads.custom_action";

    /** Every valid {@code type}, in the order the protocol lists them. */
    List<String> TYPES = List.of(
            GET_THREAD, LIST_THREADS, LIST_ITEMS, FEEDBACK, CREATE_ATTACHMENT, DELETE_ATTACHMENT, UPDATE_THREAD,
            DELETE_THREAD, TRANSCRIBE, SYNC_CUSTOM_ACTION, CREATE_THREAD, ADD_USER_MESSAGE, ADD_CLIENT_TOOL_OUTPUT,
            ADD_STRUCTURED_INPUT, RETRY_AFTER_ITEM, CUSTOM_ACTION);

    /** Free-form integrator data; parsed and otherwise ignored. */
    JsonNode metadata();

    /** Requests answered with one JSON document. */
    sealed interface NonStreaming extends ChatKitRequest {}

    /** Requests answered with a {@code text/event-stream}. */
    sealed interface Streaming extends ChatKitRequest {}

    // ---- non-streaming -------------------------------------------------------------------------------

    record GetThread(ThreadRef params, JsonNode metadata) implements NonStreaming {
        public GetThread {
            Check.present(params, "params");
        }
    }

    record ListThreads(ListThreadsParams params, JsonNode metadata) implements NonStreaming {
        public ListThreads {
            params = params == null ? new ListThreadsParams(null, null, null) : params;
        }
    }

    record ListItems(ListItemsParams params, JsonNode metadata) implements NonStreaming {
        public ListItems {
            Check.present(params, "params");
        }
    }

    record Feedback(FeedbackParams params, JsonNode metadata) implements NonStreaming {
        public Feedback {
            Check.present(params, "params");
        }
    }

    record CreateAttachment(CreateAttachmentParams params, JsonNode metadata) implements NonStreaming {
        public CreateAttachment {
            Check.present(params, "params");
        }
    }

    record DeleteAttachment(AttachmentRef params, JsonNode metadata) implements NonStreaming {
        public DeleteAttachment {
            Check.present(params, "params");
        }
    }

    record UpdateThread(UpdateThreadParams params, JsonNode metadata) implements NonStreaming {
        public UpdateThread {
            Check.present(params, "params");
        }
    }

    record DeleteThread(ThreadRef params, JsonNode metadata) implements NonStreaming {
        public DeleteThread {
            Check.present(params, "params");
        }
    }

    record Transcribe(TranscribeParams params, JsonNode metadata) implements NonStreaming {
        public Transcribe {
            Check.present(params, "params");
        }
    }

    record SyncCustomAction(ActionParams params, JsonNode metadata) implements NonStreaming {
        public SyncCustomAction {
            Check.present(params, "params");
        }
    }

    // ---- streaming -----------------------------------------------------------------------------------

    record CreateThread(CreateThreadParams params, JsonNode metadata) implements Streaming {
        public CreateThread {
            Check.present(params, "params");
        }
    }

    record AddUserMessage(AddUserMessageParams params, JsonNode metadata) implements Streaming {
        public AddUserMessage {
            Check.present(params, "params");
        }
    }

    record AddClientToolOutput(ClientToolOutputParams params, JsonNode metadata) implements Streaming {
        public AddClientToolOutput {
            Check.present(params, "params");
        }
    }

    record AddStructuredInput(StructuredInputParams params, JsonNode metadata) implements Streaming {
        public AddStructuredInput {
            Check.present(params, "params");
        }
    }

    record RetryAfterItem(ItemRef params, JsonNode metadata) implements Streaming {
        public RetryAfterItem {
            Check.present(params, "params");
        }
    }

    record CustomAction(ActionParams params, JsonNode metadata) implements Streaming {
        public CustomAction {
            Check.present(params, "params");
        }
    }

    // ---- params --------------------------------------------------------------------------------------

    record ThreadRef(String threadId) {
        public ThreadRef {
            Check.present(threadId, "params.thread_id");
        }
    }

    record ItemRef(String threadId, String itemId) {
        public ItemRef {
            Check.present(threadId, "params.thread_id");
            Check.present(itemId, "params.item_id");
        }
    }

    record AttachmentRef(String attachmentId) {
        public AttachmentRef {
            Check.present(attachmentId, "params.attachment_id");
        }
    }

    /** @param limit page size; null or 0 means the default of 20 */
    record ListThreadsParams(Integer limit, Order order, String after) {
        public ListThreadsParams {
            order = order == null ? Order.DESC : order;
        }
    }

    record ListItemsParams(String threadId, Integer limit, Order order, String after) {
        public ListItemsParams {
            Check.present(threadId, "params.thread_id");
            order = order == null ? Order.DESC : order;
        }
    }

    enum FeedbackKind {
        @com.fasterxml.jackson.annotation.JsonProperty("positive") POSITIVE,
        @com.fasterxml.jackson.annotation.JsonProperty("negative") NEGATIVE
    }

    record FeedbackParams(String threadId, List<String> itemIds, FeedbackKind kind) {
        public FeedbackParams {
            Check.present(threadId, "params.thread_id");
            Check.present(itemIds, "params.item_ids");
            Check.present(kind, "params.kind");
            itemIds = List.copyOf(itemIds);
        }
    }

    record CreateAttachmentParams(String name, Long size, String mimeType) {
        public CreateAttachmentParams {
            Check.present(name, "params.name");
            Check.present(size, "params.size");
            Check.present(mimeType, "params.mime_type");
        }
    }

    record UpdateThreadParams(String threadId, String title) {
        public UpdateThreadParams {
            Check.present(threadId, "params.thread_id");
            Check.present(title, "params.title");
        }
    }

    record TranscribeParams(String audioBase64, String mimeType) {
        public TranscribeParams {
            Check.present(audioBase64, "params.audio_base64");
            Check.present(mimeType, "params.mime_type");
        }
    }

    record ActionParams(String threadId, String itemId, Action action) {
        public ActionParams {
            Check.present(threadId, "params.thread_id");
            Check.present(action, "params.action");
        }
    }

    /** What the composer sends: content parts, attachment ids, optional quote and inference options. */
    record UserMessageInput(
            List<UserMessageContent> content,
            List<String> attachments,
            String quotedText,
            InferenceOptions inferenceOptions) {
        public UserMessageInput {
            Check.present(content, "params.input.content");
            content = List.copyOf(content);
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            inferenceOptions = inferenceOptions == null ? InferenceOptions.NONE : inferenceOptions;
        }

        /** {@return a plain text message, as a backend or an eval posts it} */
        public static UserMessageInput text(String text) {
            return new UserMessageInput(List.of(new UserMessageContent.InputText(text)), List.of(), null, null);
        }
    }

    record CreateThreadParams(UserMessageInput input) {
        public CreateThreadParams {
            Check.present(input, "params.input");
        }
    }

    record AddUserMessageParams(String threadId, UserMessageInput input) {
        public AddUserMessageParams {
            Check.present(threadId, "params.thread_id");
            Check.present(input, "params.input");
        }
    }

    record ClientToolOutputParams(String threadId, JsonNode result) {
        public ClientToolOutputParams {
            Check.present(threadId, "params.thread_id");
        }
    }

    record StructuredInputParams(String threadId, String itemId, StructuredInputSubmission input) {
        public StructuredInputParams {
            Check.present(threadId, "params.thread_id");
            Check.present(itemId, "params.item_id");
            Check.present(input, "params.input");
        }
    }

    /** @param status {@code answered} (default) or {@code skipped} */
    record StructuredInputSubmission(String status, Map<String, Question.Answer> answers) {
        public StructuredInputSubmission {
            status = status == null ? "answered" : status;
            var copy = new java.util.LinkedHashMap<String, Question.Answer>();
            if (answers != null) answers.forEach((k, v) -> copy.put(k, v == null ? Question.Answer.SKIPPED : v));
            answers = java.util.Collections.unmodifiableMap(copy);
        }
    }
}
