package dev.parley.protocol;

import static dev.parley.protocol.JsonFrame.ascii;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes by hand the other events every streamed reply sends (a new thread, the user's message, stream options,
 * progress, the assistant message added and done, its content part added and done), which through data binding
 * cost a streamed turn several times what its twenty deltas did. As with {@link DeltaFrames} the bytes are exactly
 * data binding's ({@link JsonFrame}); {@code ChatKitJsonTest} compares the two. Anything unusual (annotations,
 * nulls) is left to data binding: {@link #write} then writes nothing and says so.
 */
final class AssistantFrames {
    private static final byte[] OPTIONS_ON =
            ascii("{\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":true}}");
    private static final byte[] OPTIONS_OFF =
            ascii("{\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":false}}");
    private static final byte[] PROGRESS = ascii("{\"type\":\"progress_update\",");
    private static final byte[] ICON = ascii("\"icon\":\"");
    private static final byte[] TEXT = ascii("\"text\":\"");
    private static final byte[] ITEM_ADDED = ascii("{\"type\":\"thread.item.added\",\"item\":");
    private static final byte[] ITEM_DONE = ascii("{\"type\":\"thread.item.done\",\"item\":");
    private static final byte[] MESSAGE = ascii("{\"type\":\"assistant_message\",\"id\":\"");
    private static final byte[] THREAD_ID = ascii("\",\"thread_id\":\"");
    private static final byte[] CREATED_AT = ascii("\",\"created_at\":\"");
    private static final byte[] CONTENT = ascii("\",\"content\":[");
    private static final byte[] THREAD_CREATED = ascii("{\"type\":\"thread.created\",\"thread\":{\"id\":\"");
    private static final byte[] TITLE = ascii("\",\"title\":\"");
    private static final byte[] ACTIVE_AND_EMPTY = ascii("\",\"status\":{\"type\":\"active\"},"
            + "\"items\":{\"data\":[],\"has_more\":false}}}");
    private static final byte[] USER_MESSAGE = ascii("{\"type\":\"user_message\",\"id\":\"");
    private static final byte[] INPUT_TEXT = ascii("{\"type\":\"input_text\",\"text\":\"");
    private static final byte[] USER_TAIL = ascii("],\"attachments\":[],\"inference_options\":{}}");
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] PART_HEAD = ascii("{\"type\":\"thread.item.updated\",\"item_id\":\"");
    private static final byte[] PART_ADDED = ascii("\",\"update\":{\"type\":\"assistant_message.content_part.added\","
            + "\"content_index\":");
    private static final byte[] PART_DONE = ascii("\",\"update\":{\"type\":\"assistant_message.content_part.done\","
            + "\"content_index\":");
    private static final byte[] PART_CONTENT = ascii(",\"content\":");
    private static final byte[] OUTPUT_TEXT = ascii("{\"type\":\"output_text\",\"text\":\"");
    private static final byte[] NO_ANNOTATIONS = ascii("\",\"annotations\":[]}");

    private AssistantFrames() {}

    /** {@return whether the event was written}; false (nothing written) means data binding must write it */
    static boolean write(ThreadStreamEvent event, OutputStream out) throws IOException {
        JsonFrame frame = switch (event) {
            case ThreadStreamEvent.StreamOptionsEvent(ThreadStreamEvent.StreamOptions o) when o != null ->
                    new JsonFrame(0).raw(o.allowCancel() ? OPTIONS_ON : OPTIONS_OFF);
            case ThreadStreamEvent.ProgressUpdate(String icon, String text) when plain(icon, true) && plain(text, false) -> {
                JsonFrame f = new JsonFrame(128).raw(PROGRESS);
                if (icon != null) f.raw(ICON).string(icon).quote().comma();
                yield f.raw(TEXT).string(text).quote().close();
            }
            case ThreadStreamEvent.ThreadCreated(ChatThread t) when plain(t) -> created(t);
            case ThreadStreamEvent.ItemDone(ThreadItem.UserMessage m) when plain(m) -> userMessage(ITEM_DONE, m);
            case ThreadStreamEvent.ItemAdded(ThreadItem.AssistantMessage m) when plain(m) -> message(ITEM_ADDED, m);
            case ThreadStreamEvent.ItemDone(ThreadItem.AssistantMessage m) when plain(m) -> message(ITEM_DONE, m);
            case ThreadStreamEvent.ItemUpdated(String id, ThreadItemUpdate.ContentPartAdded(int index, AssistantContent c))
                    when plain(id, false) && plain(c) -> part(PART_ADDED, id, index, c);
            case ThreadStreamEvent.ItemUpdated(String id, ThreadItemUpdate.ContentPartDone(int index, AssistantContent c))
                    when plain(id, false) && plain(c) -> part(PART_DONE, id, index, c);
            default -> null;
        };
        if (frame == null) return false;
        frame.writeTo(out);
        return true;
    }

    /**
     * {@return a message's stored JSON, or null when data binding must write it}: for these two kinds of item the
     * stored form is the client's (neither has server-only fields), so the same writer serves the store.
     */
    static String storage(Object value) {
        JsonFrame frame = switch (value) {
            case ThreadItem.AssistantMessage m when plain(m) -> message(NOTHING, m);
            case ThreadItem.UserMessage m when plain(m) -> userMessage(NOTHING, m);
            default -> null;
        };
        // Stored text is written by Jackson's character writer, which keeps characters beyond the BMP as they are
        // where the wire's byte writer escapes them: a frame with any is left to data binding.
        return frame == null || frame.escapedSurrogates() ? null : frame.text();
    }

    private static JsonFrame message(byte[] head, ThreadItem.AssistantMessage m) {
        JsonFrame f = new JsonFrame(512).raw(head).raw(MESSAGE).string(m.id()).raw(THREAD_ID).string(m.threadId())
                .raw(CREATED_AT).string(ChatKitJson.formatTime(m.createdAt())).raw(CONTENT);
        for (int i = 0; i < m.content().size(); i++) {
            if (i > 0) f.comma();
            f.raw(OUTPUT_TEXT).string(m.content().get(i).text()).raw(NO_ANNOTATIONS);
        }
        f.put(']').close();
        return head.length == 0 ? f : f.close();
    }

    /** A new thread as {@code threads.create} announces it: active, no items yet. */
    private static JsonFrame created(ChatThread t) {
        JsonFrame f = new JsonFrame(512).raw(THREAD_CREATED).string(t.id());
        if (t.title() != null) f.raw(TITLE).string(t.title());
        return f.raw(CREATED_AT).string(ChatKitJson.formatTime(t.createdAt())).raw(ACTIVE_AND_EMPTY);
    }

    /** A user message of text alone: no attachments, quote, tags or inference options. */
    private static JsonFrame userMessage(byte[] head, ThreadItem.UserMessage m) {
        JsonFrame f = new JsonFrame(512).raw(head).raw(USER_MESSAGE).string(m.id()).raw(THREAD_ID)
                .string(m.threadId()).raw(CREATED_AT).string(ChatKitJson.formatTime(m.createdAt())).raw(CONTENT);
        for (int i = 0; i < m.content().size(); i++) {
            if (i > 0) f.comma();
            f.raw(INPUT_TEXT).string(((UserMessageContent.InputText) m.content().get(i)).text()).quote().close();
        }
        f.raw(USER_TAIL);
        return head.length == 0 ? f : f.close();
    }

    private static JsonFrame part(byte[] kind, String itemId, int index, AssistantContent c) {
        return new JsonFrame(512).raw(PART_HEAD).string(itemId).raw(kind)
                .number(index).raw(PART_CONTENT).raw(OUTPUT_TEXT).string(c.text()).raw(NO_ANNOTATIONS).close().close();
    }

    private static boolean plain(ChatThread t) {
        return t != null && plain(t.id(), false) && plain(t.title(), true) && t.createdAt() != null
                && t.status() instanceof ThreadStatus.Active && t.allowedImageDomains() == null
                && t.items().data().isEmpty() && !t.items().hasMore() && t.items().after() == null;
    }

    private static boolean plain(ThreadItem.UserMessage m) {
        if (!plain(m.id(), false) || !plain(m.threadId(), false) || m.createdAt() == null) return false;
        if (!m.attachments().isEmpty() || m.quotedText() != null || !InferenceOptions.NONE.equals(m.inferenceOptions())) {
            return false;
        }
        for (UserMessageContent c : m.content()) {
            if (!(c instanceof UserMessageContent.InputText t) || !plain(t.text(), false)) return false;
        }
        return true;
    }

    private static boolean plain(ThreadItem.AssistantMessage m) {
        if (!plain(m.id(), false) || !plain(m.threadId(), false) || m.createdAt() == null) return false;
        for (AssistantContent c : m.content()) if (!plain(c)) return false;
        return true;
    }

    private static boolean plain(AssistantContent c) {
        return c != null && plain(c.text(), false) && c.annotations().isEmpty();
    }

    private static boolean plain(String s, boolean nullable) {
        return s != null || nullable;
    }
}
