package dev.parley.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes by hand the other events every streamed reply sends (stream options, progress, the assistant message
 * added and done, its content part added and done), which through data binding cost a streamed turn several
 * times what its twenty deltas did. As with {@link DeltaFrames} the bytes are exactly data binding's;
 * {@code ChatKitJsonTest} compares the two. Anything unusual (annotations, nulls, a lone surrogate) is left to data
 * binding: {@link #write} then writes nothing and says so.
 */
final class AssistantFrames {
    private static final byte[] OPTIONS_ON = ascii("{\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":true}}");
    private static final byte[] OPTIONS_OFF = ascii("{\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":false}}");
    private static final byte[] PROGRESS = ascii("{\"type\":\"progress_update\",");
    private static final byte[] ICON = ascii("\"icon\":\"");
    private static final byte[] TEXT = ascii("\"text\":\"");
    private static final byte[] ITEM_ADDED = ascii("{\"type\":\"thread.item.added\",\"item\":");
    private static final byte[] ITEM_DONE = ascii("{\"type\":\"thread.item.done\",\"item\":");
    private static final byte[] MESSAGE = ascii("{\"type\":\"assistant_message\",\"id\":\"");
    private static final byte[] THREAD_ID = ascii("\",\"thread_id\":\"");
    private static final byte[] CREATED_AT = ascii("\",\"created_at\":\"");
    private static final byte[] CONTENT = ascii("\",\"content\":[");
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
        Frame frame = switch (event) {
            case ThreadStreamEvent.StreamOptionsEvent(ThreadStreamEvent.StreamOptions o) when o != null ->
                    new Frame(0).raw(o.allowCancel() ? OPTIONS_ON : OPTIONS_OFF);
            case ThreadStreamEvent.ProgressUpdate(String icon, String text) when plain(icon, true) && plain(text, false) -> {
                Frame f = new Frame(64 + 6 * (text.length() + (icon == null ? 0 : icon.length()))).raw(PROGRESS);
                if (icon != null) f.raw(ICON).string(icon).quote().comma();
                yield f.raw(TEXT).string(text).quote().close();
            }
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

    private static Frame message(byte[] head, ThreadItem.AssistantMessage m) {
        int chars = m.id().length() + m.threadId().length();
        for (AssistantContent c : m.content()) chars += c.text().length() + 48;
        Frame f = new Frame(160 + 6 * chars).raw(head).raw(MESSAGE).string(m.id()).raw(THREAD_ID).string(m.threadId())
                .raw(CREATED_AT).string(ChatKitJson.formatTime(m.createdAt())).raw(CONTENT);
        for (int i = 0; i < m.content().size(); i++) {
            if (i > 0) f.comma();
            f.raw(OUTPUT_TEXT).string(m.content().get(i).text()).raw(NO_ANNOTATIONS);
        }
        return f.raw(new byte[] {']', '}', '}'});
    }

    private static Frame part(byte[] kind, String itemId, int index, AssistantContent c) {
        return new Frame(200 + 6 * (itemId.length() + c.text().length())).raw(PART_HEAD).string(itemId).raw(kind)
                .number(index).raw(PART_CONTENT).raw(OUTPUT_TEXT).string(c.text()).raw(NO_ANNOTATIONS).close().close();
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
        return s == null ? nullable : !DeltaFrames.hasLoneSurrogate(s);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A frame's bytes as they are put together; sized by the caller's bound, grown if that was short. */
    private static final class Frame {
        private byte[] buf;
        private int at;

        Frame(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        Frame raw(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buf, at, bytes.length);
            at += bytes.length;
            return this;
        }

        Frame string(String s) {
            room(6 * s.length());
            at = DeltaFrames.string(s, buf, at);
            return this;
        }

        Frame number(int n) {
            return raw(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        }

        Frame quote() {
            return put('"');
        }

        Frame comma() {
            return put(',');
        }

        Frame close() {
            return put('}');
        }

        private Frame put(char c) {
            room(1);
            buf[at++] = (byte) c;
            return this;
        }

        private void room(int more) {
            if (at + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + more));
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(buf, 0, at);
        }
    }
}
