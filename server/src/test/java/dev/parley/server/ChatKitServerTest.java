package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import dev.parley.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dispatcher behaviour that depends on how the server is assembled (no attachment store, a transcriber,
 * custom ids), checked against a real SQLite file. Everything else is exercised over HTTP in the web module.
 */
class ChatKitServerTest {
    @TempDir Path dir;
    private Store store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ThreadStreamEvent> drain(Result result) {
        List<ThreadStreamEvent> events = new ArrayList<>();
        ((Result.Stream) result).body().writeTo(events::add);
        return events;
    }

    @Test
    void attachmentsAnswer501WhenNoAttachmentStoreIsConfigured() {
        store = SqliteStore.open(dir.resolve("p.db"));
        var server = ChatKitServer.builder().store(store).responder(new EchoResponder()).build();
        var ctx = RequestContext.of("u1");
        assertThatThrownBy(() -> server.process(json(
                "{\"type\":\"attachments.create\",\"params\":{\"name\":\"a.txt\",\"size\":3,\"mime_type\":\"text/plain\"}}"), ctx))
                .isInstanceOfSatisfying(ChatKitException.class, e -> {
                    assertThat(e.status()).isEqualTo(501);
                    assertThat(e.getMessage()).contains("Attachments are not enabled");
                });
        assertThatThrownBy(() -> server.process(json(
                "{\"type\":\"attachments.delete\",\"params\":{\"attachment_id\":\"atc_1\"}}"), ctx))
                .isInstanceOfSatisfying(ChatKitException.class, e -> assertThat(e.status()).isEqualTo(501));
    }

    @Test
    void transcribeHandsRawBytesAndBothMimeTypesToTheHook() {
        store = SqliteStore.open(dir.resolve("p.db"));
        var seen = new AtomicReference<List<Object>>();
        var server = ChatKitServer.builder().store(store).responder(new EchoResponder())
                .transcriber((audio, mime, media, ctx) -> {
                    seen.set(List.of(new String(audio, StandardCharsets.UTF_8), mime, media, ctx.userId()));
                    return "ok";
                })
                .build();
        String b64 = java.util.Base64.getEncoder().encodeToString(json("hello audio"));
        Result r = server.process(json("{\"type\":\"input.transcribe\",\"params\":{\"audio_base64\":\"" + b64
                + "\",\"mime_type\":\"audio/webm;codecs=opus\"}}"), RequestContext.of("u1"));
        assertThat(new String(dev.parley.protocol.ChatKitJson.writeWire(((Result.Json) r).body()), StandardCharsets.UTF_8))
                .isEqualTo("{\"text\":\"ok\"}");
        assertThat(seen.get()).containsExactly("hello audio", "audio/webm;codecs=opus", "audio/webm", "u1");
    }

    @Test
    void transcribeWithoutAHookIs501() {
        store = SqliteStore.open(dir.resolve("p.db"));
        var server = ChatKitServer.builder().store(store).responder(new EchoResponder()).build();
        assertThatThrownBy(() -> server.process(json(
                "{\"type\":\"input.transcribe\",\"params\":{\"audio_base64\":\"aGk=\",\"mime_type\":\"audio/ogg\"}}"),
                RequestContext.of("u1")))
                .isInstanceOfSatisfying(ChatKitException.class, e -> assertThat(e.status()).isEqualTo(501));
    }

    @Test
    void customIdGeneratorsNameThreadsAndEveryItem() {
        var n = new AtomicInteger();
        store = SqliteStore.open(dir.resolve("p.db"), kind -> kind == IdKind.THREAD
                ? "thr_custom_" + n.incrementAndGet()
                : kind.prefix() + "_custom_" + n.incrementAndGet());
        var server = ChatKitServer.builder().store(store).responder(new EchoResponder()).build();
        List<ThreadStreamEvent> events = drain(server.process(json(
                "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}],"
                        + "\"attachments\":[],\"inference_options\":{}}}}"), RequestContext.of("u1")));
        assertThat(((ThreadStreamEvent.ThreadCreated) events.getFirst()).thread().id()).isEqualTo("thr_custom_1");
        List<String> itemIds = events.stream()
                .filter(e -> e instanceof ThreadStreamEvent.ItemDone)
                .map(e -> ((ThreadStreamEvent.ItemDone) e).item().id())
                .toList();
        assertThat(itemIds).hasSize(2).allMatch(id -> id.startsWith("msg_custom_"));
        ThreadItem stored = store.loadItem("u1", "thr_custom_1", itemIds.getFirst());
        assertThat(stored).isInstanceOf(ThreadItem.UserMessage.class);
    }

    @Test
    void aNewThreadsHistoryIsWhatTheStoreHoldsBeforeAndAfterTheTurnStoresAnItem() {
        store = SqliteStore.open(dir.resolve("p.db"));
        var seen = new ArrayList<List<String>>();
        Responder responder = (turn, input, events) -> {
            // Known without a read, and the same as a read.
            seen.add(turn.history(10).stream().map(ThreadItem::id).toList());
            seen.add(turn.loadItems(null, 10, dev.parley.protocol.Order.ASC).data().stream().map(ThreadItem::id).toList());
            var reply = new ThreadItem.AssistantMessage("msg_reply_" + seen.size(), turn.thread().id(),
                    dev.parley.protocol.ChatKitJson.now(), List.of(dev.parley.protocol.AssistantContent.of("hello")));
            events.emit(new ThreadStreamEvent.ItemDone(reply));
            // Once the turn stored something more, the history is read, and holds it.
            seen.add(turn.history(10).stream().map(ThreadItem::id).toList());
            seen.add(turn.history(1).stream().map(ThreadItem::id).toList());
            seen.add(turn.history(0).stream().map(ThreadItem::id).toList());
        };
        var server = ChatKitServer.builder().store(store).responder(responder).build();
        List<ThreadStreamEvent> events = drain(server.process(json(
                "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}],"
                        + "\"attachments\":[],\"inference_options\":{}}}}"), RequestContext.of("u1")));
        String message = events.stream().filter(e -> e instanceof ThreadStreamEvent.ItemDone)
                .map(e -> ((ThreadStreamEvent.ItemDone) e).item()).filter(i -> i instanceof ThreadItem.UserMessage)
                .findFirst().orElseThrow().id();
        assertThat(seen.get(0)).containsExactly(message).isEqualTo(seen.get(1));
        assertThat(seen.get(2)).containsExactly(message, "msg_reply_2");
        assertThat(seen.get(3)).containsExactly("msg_reply_2");
        assertThat(seen.get(4)).isEmpty();
    }
}
