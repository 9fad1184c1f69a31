package dev.parley.protocol;

import static dev.parley.protocol.JsonFrame.ascii;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a text-delta event straight to bytes. A streamed turn is mostly deltas (one per word or token), and even
 * a bare generator per delta cost a tenth of a turn's CPU. The bytes are exactly those of Jackson's data binding
 * with this protocol's settings (same field order, same escaping: {@link JsonFrame}); {@code ChatKitJsonTest}
 * compares the two.
 */
final class DeltaFrames {
    private static final byte[] HEAD = ascii("{\"type\":\"thread.item.updated\",\"item_id\":\"");
    private static final byte[] MIDDLE = ascii("\",\"update\":{\"type\":\"assistant_message.content_part.text_delta\","
            + "\"content_index\":");
    private static final byte[] DELTA = ascii(",\"delta\":\"");
    private static final byte[] TAIL = ascii("\"}}");

    private DeltaFrames() {}

    static void write(String itemId, int index, String delta, OutputStream out) throws IOException {
        int bound = HEAD.length + MIDDLE.length + DELTA.length + TAIL.length + 11 + 6 * (itemId.length() + delta.length());
        new JsonFrame(bound).raw(HEAD).string(itemId).raw(MIDDLE).number(index).raw(DELTA).string(delta).raw(TAIL)
                .writeTo(out);
    }
}
