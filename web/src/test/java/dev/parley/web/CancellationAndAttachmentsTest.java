package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import dev.parley.store.NotFoundException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Reference scenarios 1-2 (a client that disconnects mid-stream) and 25-29, 31 (attachments), over HTTP.
 */
class CancellationAndAttachmentsTest extends ScriptedServerTest {
    /** Keeps the stream open with progress events until the client has gone (emit then throws). */
    /** Keeps the turn going, as a long-running responder does, until the sink says the client has left. */
    static void untilCancelled(dev.parley.server.EventSink events) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "still thinking"));
            if (!events.isOpen()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("The server never noticed the client leaving");
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("Condition not met in time");
            Thread.sleep(20);
        }
    }

    private String cancelAfter(String marker) throws InterruptedException {
        String thread;
        try (TestServer.EventStream stream = user.open("{\"type\":\"threads.create\",\"params\":{\"input\":"
                + message("tell me a long story") + "}}")) {
            JsonNode first = stream.next();
            thread = first.path("thread").path("id").asText();
            JsonNode e;
            while ((e = stream.next()) != null && !e.toString().contains(marker)) {
                // Read until the marker the script emits just before it waits.
            }
        }
        return thread;
    }

    @Test
    void s01_cancelKeepsThePartialReplyAndAHiddenNote() throws Exception {
        var assistantId = new AtomicReference<String>();
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.MESSAGE);
            assistantId.set(id);
            events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.AssistantMessage(id, turn.thread().id(), turn.now(), List.of())));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, "Hello, ")));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, "World!")));
            untilCancelled(events);
        };
        String thread = cancelAfter("World!");
        eventually(() -> server.store().loadItems(user.userId(), thread, null, 10, Order.ASC).data().size() == 3);
        List<ThreadItem> items = server.store().loadItems(user.userId(), thread, null, 10, Order.ASC).data();
        assertThat(items.get(1)).isInstanceOfSatisfying(ThreadItem.AssistantMessage.class, m -> {
            assertThat(m.id()).isEqualTo(assistantId.get());
            assertThat(m.text()).isEqualTo("Hello, World!");
        });
        assertThat(items.get(2)).isInstanceOfSatisfying(ThreadItem.SdkHiddenContext.class, h -> {
            assertThat(h.id()).startsWith("shcx_");
            assertThat(h.content()).contains("cancelled");
        });
        // The note is for the model only.
        var listed = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\"}}").body();
        assertThat(listed.path("data").size()).isEqualTo(2);
    }

    @Test
    void s02_cancelBeforeAnyTextKeepsOnlyTheHiddenNote() throws Exception {
        var assistantId = new AtomicReference<String>();
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.MESSAGE);
            assistantId.set(id);
            events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.AssistantMessage(id, turn.thread().id(), turn.now(), List.of())));
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "waiting"));
            untilCancelled(events);
        };
        String thread = cancelAfter("waiting");
        eventually(() -> server.store().loadItems(user.userId(), thread, null, 10, Order.ASC).data().size() == 2);
        List<ThreadItem> items = server.store().loadItems(user.userId(), thread, null, 10, Order.ASC).data();
        assertThat(items.get(0)).isInstanceOf(ThreadItem.UserMessage.class);
        assertThat(items.get(1)).isInstanceOf(ThreadItem.SdkHiddenContext.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> server.store().loadItem(user.userId(), thread, assistantId.get()))
                .isInstanceOf(NotFoundException.class);
    }

    // ---- attachments ---------------------------------------------------------------------------------

    private JsonNode createAttachment(String name, String mime, int size) {
        var r = user.post("{\"type\":\"attachments.create\",\"params\":{\"name\":\"" + name + "\",\"size\":" + size
                + ",\"mime_type\":\"" + mime + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    private JsonNode upload(JsonNode created, byte[] bytes) {
        JsonNode d = created.path("upload_descriptor");
        var r = server.send(HttpRequest.newBuilder(java.net.URI.create(d.path("url").asText()))
                .method(d.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    @Test
    void s25_fileAttachmentHasAnUploadDescriptorAndNoMetadataOnTheWire() {
        JsonNode a = createAttachment("notes.txt", "text/plain", 5);
        assertThat(a.path("type").asText()).isEqualTo("file");
        assertThat(a.path("id").asText()).startsWith("atc_");
        assertThat(a.path("name").asText()).isEqualTo("notes.txt");
        assertThat(a.path("mime_type").asText()).isEqualTo("text/plain");
        assertThat(a.path("upload_descriptor").path("method").asText()).isEqualTo("PUT");
        assertThat(a.path("upload_descriptor").path("url").asText()).startsWith(server.uri("/").toString());
        assertThat(a.has("metadata")).isFalse();
        Attachment stored = server.store().loadAttachment(user.userId(), a.path("id").asText());
        assertThat(stored.metadata()).isNotEmpty();
    }

    @Test
    void s26_imageAttachmentHasAPreviewUrl() {
        JsonNode a = createAttachment("cat.png", "image/png", 4);
        assertThat(a.path("type").asText()).isEqualTo("image");
        assertThat(a.path("preview_url").asText()).isNotBlank();
        assertThat(a.path("upload_descriptor").isObject()).isTrue();
    }

    @Test
    void s27_s28_s29_sentAttachmentsAreBoundToTheThreadAndShownWithoutMetadata() {
        JsonNode first = createAttachment("a.txt", "text/plain", 3);
        upload(first, "abc".getBytes());
        var events = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"see file\"}],\"attachments\":[\"" + first.path("id").asText() + "\"],\"inference_options\":{}}}}");
        String thread = events.get(0).path("thread").path("id").asText();
        JsonNode sent = events.get(1).path("item").path("attachments").get(0);
        assertThat(sent.path("thread_id").asText()).isEqualTo(thread);
        assertThat(sent.has("upload_descriptor")).isFalse();
        assertThat(sent.has("metadata")).isFalse();
        assertThat(server.store().loadAttachment(user.userId(), first.path("id").asText()).threadId()).isEqualTo(thread);

        JsonNode second = createAttachment("b.txt", "text/plain", 3);
        upload(second, "def".getBytes());
        user.stream("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":{\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"and this\"}],\"attachments\":[\"" + second.path("id").asText()
                + "\"],\"inference_options\":{}}}}");
        assertThat(server.store().loadAttachment(user.userId(), second.path("id").asText()).threadId()).isEqualTo(thread);

        var listed = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}").body();
        assertThat(listed.path("data").get(0).path("attachments").get(0).path("name").asText()).isEqualTo("a.txt");
        assertThat(listed.toString()).doesNotContain("metadata");
    }

    @Test
    void sendingAnAttachmentBeforeItsBytesArriveIsRefused() {
        JsonNode a = createAttachment("late.txt", "text/plain", 3);
        var r = user.post("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"x\"}],\"attachments\":[\"" + a.path("id").asText() + "\"],\"inference_options\":{}}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorMessage()).contains("upload");
    }

    @Test
    void s31_deleteRemovesBytesAndMetadata() {
        JsonNode a = createAttachment("cat.png", "image/png", 4);
        upload(a, new byte[] {1, 2, 3, 4});
        String preview = server.store().loadAttachment(user.userId(), a.path("id").asText()) instanceof Attachment.Image img
                ? img.previewUrl() : null;
        assertThat(user.get(preview).status()).isEqualTo(200);
        var r = user.post("{\"type\":\"attachments.delete\",\"params\":{\"attachment_id\":\"" + a.path("id").asText() + "\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toString()).isEqualTo("{}");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> server.store().loadAttachment(user.userId(), a.path("id").asText()))
                .isInstanceOf(NotFoundException.class);
        assertThat(user.get(preview).status()).isEqualTo(404);
    }
}
