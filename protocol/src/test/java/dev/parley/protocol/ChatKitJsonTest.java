package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatKitJsonTest {
    private static final Instant T = Instant.parse("2025-10-14T12:34:56.123456Z");

    private static String wire(Object o) {
        return new String(ChatKitJson.writeWire(o), StandardCharsets.UTF_8);
    }

    private static ChatKitRequest read(String json) {
        return ChatKitJson.readRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void itemsAreSnakeCaseWithTypeAndWithoutNulls() {
        ThreadItem item = new ThreadItem.UserMessage("msg_1", "thr_1", T,
                List.of(new UserMessageContent.InputText("hi")), List.of(), null, InferenceOptions.NONE);
        assertThat(wire(item)).isEqualTo("{\"type\":\"user_message\",\"id\":\"msg_1\",\"thread_id\":\"thr_1\","
                + "\"created_at\":\"2025-10-14T12:34:56.123456\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}],"
                + "\"attachments\":[],\"inference_options\":{}}");
    }

    @Test
    void eventsCarryTheirWireType() {
        var event = new ThreadStreamEvent.ItemUpdated("msg_2", new ThreadItemUpdate.TextDelta(0, "Hel"));
        assertThat(new String(ChatKitJson.writeEvent(event), StandardCharsets.UTF_8)).isEqualTo(
                "{\"type\":\"thread.item.updated\",\"item_id\":\"msg_2\",\"update\":"
                        + "{\"type\":\"assistant_message.content_part.text_delta\",\"content_index\":0,\"delta\":\"Hel\"}}");
        var options = new ThreadStreamEvent.StreamOptionsEvent(new ThreadStreamEvent.StreamOptions(true));
        assertThat(new String(ChatKitJson.writeEvent(options), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"stream_options\",\"stream_options\":{\"allow_cancel\":true}}");
    }

    @Test
    void textDeltasWrittenByHandMatchDataBindingByteForByte() throws Exception {
        for (String delta : List.of("Hel", "", " ", "quote \" back\\slash /", "tab\tnew\nline\r\b\f\u0000\u001f\u007f",
                "caf\u00e9 \u2028 \u2029 \uD83D\uDE00 \u4e2d", "<script>&amp;</script>", "lone \uD83D here", "\uDE00", "\uD83D\uD83D\uDE00", "\uD83D\uDE00\uDE00", "x\u07ff\u0800\uffff")) {
            for (var event : List.of(new ThreadStreamEvent.ItemUpdated("msg_\"x", new ThreadItemUpdate.TextDelta(7, delta)),
                    new ThreadStreamEvent.ItemUpdated("msg_2", new ThreadItemUpdate.TextDelta(0, delta)))) {
                var generic = new java.io.ByteArrayOutputStream();
                ChatKitJson.writeEventGeneric(event, generic);
                assertThat(ChatKitJson.writeEvent(event)).as(delta).isEqualTo(generic.toByteArray());
            }
        }
        // Nulls leave the fast path, which does not know how to omit fields.
        var noDelta = new ThreadStreamEvent.ItemUpdated("msg_2", new ThreadItemUpdate.TextDelta(0, null));
        assertThat(new String(ChatKitJson.writeEvent(noDelta), StandardCharsets.UTF_8)).doesNotContain("\"delta\"");
    }

    @Test
    void theReplysOtherEventsWrittenByHandMatchDataBindingByteForByte() throws Exception {
        List<String> texts = List.of("Hel", "", " ", "quote \" back\\slash /", "tab\tnew\nline\r\b\f\u0000\u001f\u007f",
                "caf\u00e9 \u2028 \u2029 \uD83D\uDE00 \u4e2d", "<script>&amp;</script>", "lone \uD83D here", "\uDE00", "\uD83D\uD83D\uDE00", "\uD83D\uDE00\uDE00",
                "x\u07ff\u0800\uffff", "Agent\u2026");
        var cited = new AssistantContent("see [1]", List.of(new Annotation(new Annotation.Source.Url("A", null, null, null, "https://a.example", null), 0)));
        List<ThreadStreamEvent> events = new java.util.ArrayList<>();
        events.add(new ThreadStreamEvent.StreamOptionsEvent(new ThreadStreamEvent.StreamOptions(true)));
        events.add(new ThreadStreamEvent.StreamOptionsEvent(new ThreadStreamEvent.StreamOptions(false)));
        events.add(new ThreadStreamEvent.StreamOptionsEvent(null));
        events.add(new ThreadStreamEvent.ProgressUpdate(null, null));
        for (String text : texts) {
            events.add(new ThreadStreamEvent.ProgressUpdate(null, text));
            events.add(new ThreadStreamEvent.ProgressUpdate(text, "Searching"));
            events.add(new ThreadStreamEvent.ItemUpdated("msg_\"x", new ThreadItemUpdate.ContentPartAdded(3, AssistantContent.of(text))));
            events.add(new ThreadStreamEvent.ItemUpdated("msg_2", new ThreadItemUpdate.ContentPartDone(0, AssistantContent.of(text))));
            events.add(new ThreadStreamEvent.ItemUpdated(text, new ThreadItemUpdate.ContentPartDone(12, cited)));
            for (var content : List.of(List.<AssistantContent>of(), List.of(AssistantContent.of(text)),
                    List.of(AssistantContent.of(text), AssistantContent.of("and more")), List.of(cited))) {
                var message = new ThreadItem.AssistantMessage("msg_" + text, "thr_1", T, content);
                events.add(new ThreadStreamEvent.ItemAdded(message));
                events.add(new ThreadStreamEvent.ItemDone(message));
            }
        }
        events.add(new ThreadStreamEvent.ItemDone(new ThreadItem.AssistantMessage("msg_1", "thr_1", null, List.of())));
        for (String text : texts) {
            var thread = ThreadMetadata.create("thr_" + text, T);
            events.add(new ThreadStreamEvent.ThreadCreated(thread.toThread(Page.empty())));
            events.add(new ThreadStreamEvent.ThreadCreated(thread.withTitle(text).withMetadata(Map.of("k", "v")).toThread(Page.empty())));
            events.add(new ThreadStreamEvent.ThreadCreated(thread.withTitle(text).toThread(new Page<>(List.of(), true, "x"))));
            events.add(new ThreadStreamEvent.ThreadCreated(thread.withStatus(new ThreadStatus.Closed(text)).toThread(Page.empty())));
            for (List<UserMessageContent> content : List.<List<UserMessageContent>>of(List.of(new UserMessageContent.InputText(text)),
                    List.of(new UserMessageContent.InputText(text), new UserMessageContent.InputText("more")))) {
                events.add(new ThreadStreamEvent.ItemDone(new ThreadItem.UserMessage("msg_" + text, "thr_1", T, content,
                        List.of(), null, InferenceOptions.NONE)));
                events.add(new ThreadStreamEvent.ItemDone(new ThreadItem.UserMessage("msg_1", "thr_1", T, content,
                        List.of(), text, null)));
                events.add(new ThreadStreamEvent.ItemDone(new ThreadItem.UserMessage("msg_1", "thr_1", T, content,
                        List.of(), null, new InferenceOptions(null, "gpt-x"))));
            }
        }
        for (var event : events) {
            ThreadItem item = switch (event) {
                case ThreadStreamEvent.ItemAdded(ThreadItem i) -> i;
                case ThreadStreamEvent.ItemDone(ThreadItem i) -> i;
                default -> null;
            };
            if (item != null && item.createdAt() != null) {
                // The stored form of the two message kinds comes from the same hand-written frames.
                assertThat(ChatKitJson.writeStorage(item)).as(item.toString()).isEqualTo(ChatKitJson.writeStorageGeneric(item));
            }
            var generic = new java.io.ByteArrayOutputStream();
            ChatKitJson.writeEventGeneric(event, generic);
            assertThat(new String(ChatKitJson.writeEvent(event), StandardCharsets.UTF_8)).as(event.toString())
                    .isEqualTo(generic.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void serverOnlyMetadataNeverReachesTheWireButIsStored() {
        Attachment a = new Attachment.File("atc_1", "a.txt", "text/plain", null, null, Map.of("secret", "x"));
        assertThat(wire(a)).doesNotContain("metadata").doesNotContain("secret").contains("\"type\":\"file\"");
        String stored = ChatKitJson.writeStorage(a);
        assertThat(stored).contains("\"secret\":\"x\"");
        assertThat(ChatKitJson.readStorage(stored, Attachment.class)).isEqualTo(a);

        var thread = ThreadMetadata.create("thr_1", T).withMetadata(Map.of("k", "v"));
        assertThat(wire(thread.toThread(Page.empty())))
                .doesNotContain("allowed_image_domains").doesNotContain("\"k\"")
                .contains("\"status\":{\"type\":\"active\"}").contains("\"items\":{\"data\":[],\"has_more\":false}");
    }

    @Test
    void pagesWriteEachRecordWithItsType() {
        ThreadItem item = new ThreadItem.EndOfTurn("eot_1", "thr_1", T);
        assertThat(wire(new Page<>(List.of(item), true, "eot_1"))).isEqualTo("{\"data\":[{\"type\":\"end_of_turn\","
                + "\"id\":\"eot_1\",\"thread_id\":\"thr_1\",\"created_at\":\"2025-10-14T12:34:56.123456\"}],"
                + "\"has_more\":true,\"after\":\"eot_1\"}");
        Attachment a = new Attachment.File("atc_1", "a.txt", "text/plain", null, null, Map.of("secret", "x"));
        assertThat(wire(new Page<>(List.of(a), false, null))).contains("\"type\":\"file\"").doesNotContain("secret")
                .endsWith("\"has_more\":false}");
    }

    @Test
    void theFastTimestampParserAgreesWithTheGeneralOne() {
        assertThat(ChatKitJson.parseWireFormat("2025-10-14T12:34:56.123456")).isEqualTo(T);
        assertThat(ChatKitJson.parseWireFormat("2025-02-30T12:34:56.123456")).isNull();
        assertThat(ChatKitJson.parseWireFormat("2025-10-14T12:34:56Z")).isNull();
        Instant now = ChatKitJson.now();
        assertThat(ChatKitJson.parseWireFormat(ChatKitJson.formatTime(now))).isEqualTo(now);
    }

    @Test
    void theFastTimestampWriterAgreesWithTheGeneralOne() {
        var random = new java.util.Random(7);
        List<Instant> times = new java.util.ArrayList<>(List.of(T, Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T00:00:00.000001Z")));
        for (int i = 0; i < 2_000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000)));
        }
        for (Instant t : times) assertThat(ChatKitJson.formatTime(t)).as(t.toString()).isEqualTo(ChatKitJson.formatTimeGeneric(t));
        // Outside four-digit years the general formatter takes over (and writes a sign).
        Instant far = Instant.parse("+12000-01-01T00:00:00Z");
        assertThat(ChatKitJson.formatTime(far)).isEqualTo(ChatKitJson.formatTimeGeneric(far)).startsWith("+12000");
    }

    @Test
    void storedRecordsReadFromBytesAsFromText() {
        var thread = ThreadMetadata.create("thr_1", T).withTitle("Caf\u00e9 \uD83D\uDE00").withMetadata(Map.of("k", "v"));
        String stored = ChatKitJson.writeStorage(thread);
        assertThat(ChatKitJson.readStorage(stored.getBytes(StandardCharsets.UTF_8), ThreadMetadata.class))
                .isEqualTo(ChatKitJson.readStorage(stored, ThreadMetadata.class)).isEqualTo(thread);
    }

    @Test
    void storedItemsRoundTrip() {
        ThreadItem item = new ThreadItem.AssistantMessage("msg_1", "thr_1", T, List.of(AssistantContent.of("Hello")));
        assertThat(ChatKitJson.readStorage(ChatKitJson.writeStorage(item), ThreadItem.class)).isEqualTo(item);
    }

    @Test
    void readsRequestsAndIgnoresUnknownFields() {
        var r = read("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"Hi\"}],\"attachments\":[],\"inference_options\":{\"tool_choice\":{\"id\":\"t\"}},"
                + "\"future_field\":1}},\"metadata\":{}}");
        assertThat(r).isInstanceOfSatisfying(ChatKitRequest.CreateThread.class, c -> {
            assertThat(c.params().input().content()).containsExactly(new UserMessageContent.InputText("Hi"));
            assertThat(c.params().input().inferenceOptions().toolChoice().id()).isEqualTo("t");
        });
        assertThat(read("{\"type\":\"threads.list\",\"params\":{}}"))
                .isEqualTo(new ChatKitRequest.ListThreads(new ChatKitRequest.ListThreadsParams(null, Order.DESC, null), null));
    }

    @Test
    void acceptsTimestampsWithOrWithoutOffset() {
        String json = "{\"type\":\"end_of_turn\",\"id\":\"e\",\"thread_id\":\"t\",\"created_at\":\"2025-10-14T14:34:56.123456+02:00\"}";
        assertThat(ChatKitJson.readStorage(json, ThreadItem.class).createdAt()).isEqualTo(T);
        json = "{\"type\":\"end_of_turn\",\"id\":\"e\",\"thread_id\":\"t\",\"created_at\":\"2025-10-14T12:34:56.123456\"}";
        assertThat(ChatKitJson.readStorage(json, ThreadItem.class).createdAt()).isEqualTo(T);
    }

    @Test
    void explainsWhatIsWrongWithARequest() {
        assertThatThrownBy(() -> read("{\"type\":\"threads.explode\",\"params\":{}}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown_type");
                    assertThat(e.getMessage()).contains("threads.explode").contains("threads.create")
                            .contains("items.list");
                });
        assertThatThrownBy(() -> read("{\"params\":{}}")).hasMessageContaining("no \"type\"");
        assertThatThrownBy(() -> read("{\"type\":")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_json"));
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"type\":\"threads.get_by_id\",\"params\":{}}"))
                .hasMessage("params.thread_id is required");
        assertThatThrownBy(() -> read("{\"type\":\"threads.get_by_id\"}")).hasMessage("params is required");
        assertThatThrownBy(() -> read("{\"type\":\"threads.list\",\"params\":{\"limit\":\"many\"}}"))
                .hasMessageContaining("params.limit").hasMessageContaining("integer");
        assertThatThrownBy(() -> read("{\"type\":\"threads.list\",\"params\":{\"order\":\"sideways\"}}"))
                .hasMessageContaining("params.order").hasMessageContaining("asc, desc");
        assertThatThrownBy(() -> read("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"t\",\"item_ids\":[\"a\"],"
                + "\"kind\":\"meh\"}}")).hasMessageContaining("positive, negative");
        assertThatThrownBy(() -> read("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":"
                + "[{\"type\":\"input_text\"}]}}}")).hasMessageContaining("input_text.text is required");
    }
}
