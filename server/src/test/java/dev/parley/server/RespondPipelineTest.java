package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import dev.parley.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on its own, against a real SQLite file and a sink the test controls: what is stored, what is
 * forwarded, and what a failure or a disconnect leaves behind.
 */
class RespondPipelineTest {
    private static final String USER = "u1";

    @TempDir Path dir;
    private Store store;
    private ThreadMetadata thread;
    private final Client client = new Client();

    /** A client that records what reaches it and can leave after a number of events. */
    private static final class Client implements EventSink {
        final List<ThreadStreamEvent> received = new ArrayList<>();
        int leaveAfter = Integer.MAX_VALUE;
        boolean open = true;

        java.util.function.Consumer<ThreadStreamEvent> onEmit = e -> {};

        @Override
        public void emit(ThreadStreamEvent event) {
            if (!open) return;
            onEmit.accept(event);
            received.add(event);
            if (received.size() >= leaveAfter) open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        List<String> types() {
            return received.stream().map(e -> e.getClass().getSimpleName()).toList();
        }
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("p.db"));
        thread = ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now());
        store.saveThread(USER, thread);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RespondPipeline pipeline(Responder responder) {
        return new RespondPipeline(store, responder, new Turn(RequestContext.of(USER), store, thread));
    }

    private ThreadItem.AssistantMessage message(String text) {
        return new ThreadItem.AssistantMessage(store.ids().newId(IdKind.MESSAGE), thread.id(), ChatKitJson.now(),
                List.of(AssistantContent.of(text)));
    }

    private List<ThreadItem> stored() {
        return store.loadItems(USER, thread.id(), null, 100, Order.ASC).data();
    }

    private static String textOf(ThreadItem item) {
        return ((ThreadItem.AssistantMessage) item).text();
    }

    @Test
    void streamOptionsComeFirstAndDoneItemsAreStoredBeforeTheyAreForwarded() {
        var reply = message("Hello");
        // Whenever the client is told an item is done, a separate read already finds it.
        List<String> storedWhenAnnounced = new ArrayList<>();
        client.onEmit = e -> {
            if (e instanceof ThreadStreamEvent.ItemDone) stored().forEach(i -> storedWhenAnnounced.add(i.id()));
        };
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "thinking"));
            assertThat(stored()).isEmpty();
            events.emit(new ThreadStreamEvent.ItemDone(reply));
        });
        assertThat(client.types()).containsExactly("StreamOptionsEvent", "ProgressUpdate", "ItemDone");
        assertThat(storedWhenAnnounced).containsExactly(reply.id());
        assertThat(stored()).extracting(ThreadItem::id).containsExactly(reply.id());
    }

    @Test
    void aDoneItemIsHeldUntilTheNextEventWhichFindsItStoredAndFollowsIt() {
        var first = message("First answer");
        var second = message("Second answer");
        List<String> storedWhenAnnounced = new ArrayList<>();
        client.onEmit = e -> {
            if (e instanceof ThreadStreamEvent.ItemDone) stored().forEach(i -> storedWhenAnnounced.add(i.id()));
        };
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            events.emit(new ThreadStreamEvent.ItemDone(first));
            // Held, not lost: the turn's own reads see the item at once, whatever the writer has committed.
            assertThat(client.types()).containsExactly("StreamOptionsEvent");
            assertThat(turn.loadItems(null, 10, Order.ASC).data()).extracting(ThreadItem::id).containsExactly(first.id());
            // The next event (the engine begins each step that waits with one) sends what was held first.
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "looking it up"));
            assertThat(client.types()).containsExactly("StreamOptionsEvent", "ItemDone", "ProgressUpdate");
            events.emit(new ThreadStreamEvent.ItemDone(second));
        });
        assertThat(client.types()).containsExactly("StreamOptionsEvent", "ItemDone", "ProgressUpdate", "ItemDone");
        assertThat(client.received).filteredOn(e -> e instanceof ThreadStreamEvent.ItemDone)
                .extracting(e -> ((ThreadStreamEvent.ItemDone) e).item().id()).containsExactly(first.id(), second.id());
        assertThat(storedWhenAnnounced).containsExactly(first.id(), first.id(), second.id());
    }

    @Test
    void anItemThatCouldNotBeStoredIsNeverAnnouncedAndTheTurnEndsWithAnError() {
        var reply = message("Too late");
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            store.deleteThread(USER, thread.id());
            events.emit(new ThreadStreamEvent.ItemDone(reply));
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "never shown"));
        });
        assertThat(client.types()).containsExactly("StreamOptionsEvent", "Error");
    }

    @Test
    void hiddenItemsAreStoredButNeverForwarded() {
        var hidden = new ThreadItem.SdkHiddenContext(store.ids().newId(IdKind.SDK_HIDDEN_CONTEXT), thread.id(),
                ChatKitJson.now(), "for the model only");
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> events.emit(new ThreadStreamEvent.ItemDone(hidden)));
        assertThat(client.types()).containsExactly("StreamOptionsEvent");
        assertThat(stored()).extracting(ThreadItem::id).containsExactly(hidden.id());
    }

    @Test
    void aThreadChangedDuringTheTurnIsSavedAndAnnounced() {
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> turn.updateThread(t -> t.withTitle("Pricing")));
        assertThat(store.loadThread(USER, thread.id()).title()).isEqualTo("Pricing");
        assertThat(client.types()).containsExactly("StreamOptionsEvent", "ThreadUpdated");
    }

    @Test
    void aFailureBecomesOneGenericErrorEventAndKeepsTheTextAlreadyShown() {
        var reply = message("");
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            events.emit(new ThreadStreamEvent.ItemAdded(reply));
            events.emit(new ThreadStreamEvent.ItemUpdated(reply.id(), new ThreadItemUpdate.TextDelta(0, "Half a ")));
            throw new IllegalStateException("the model fell over");
        });
        var last = client.received.getLast();
        assertThat(last).isEqualTo(new ThreadStreamEvent.Error(ThreadStreamEvent.Error.STREAM_ERROR, null, true));
        assertThat(client.types().stream().filter(t -> t.equals("Error"))).hasSize(1);
        assertThat(stored()).singleElement().satisfies(i -> assertThat(textOf(i)).isEqualTo("Half a "));
    }

    @Test
    void aStreamErrorSaysWhatTheUserReads() {
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            throw StreamError.custom("The workflow has no reply for that.", false);
        });
        assertThat(client.received.getLast())
                .isEqualTo(new ThreadStreamEvent.Error(ThreadStreamEvent.Error.CUSTOM, "The workflow has no reply for that.", false));
    }

    @Test
    void aFailingPreludeIsReportedTheSameWayAndTheTurnNeverRuns() {
        boolean[] ran = {false};
        pipeline((turn, input, events) -> {}).run(client, c -> {
            throw new IllegalStateException("the store refused the user message");
        }, (turn, events) -> ran[0] = true);
        assertThat(ran[0]).isFalse();
        assertThat(client.types()).containsExactly("Error");
    }

    @Test
    void aDisconnectKeepsWhatTheUserSawAndLeavesANoteForTheNextTurn() {
        var reply = message("");
        // Stream options, the added item and two deltas reach the client; then it leaves.
        client.leaveAfter = 4;
        int[] emittedAfterLeaving = {0};
        pipeline((turn, input, events) -> {}).run(client, (turn, events) -> {
            events.emit(new ThreadStreamEvent.ItemAdded(reply));
            events.emit(new ThreadStreamEvent.ItemUpdated(reply.id(), new ThreadItemUpdate.TextDelta(0, "Seen ")));
            events.emit(new ThreadStreamEvent.ItemUpdated(reply.id(), new ThreadItemUpdate.TextDelta(0, "too.")));
            assertThat(events.isOpen()).as("the producer can tell the client left").isFalse();
            // A producer that carries on anyway: nothing of this is stored or sent.
            events.emit(new ThreadStreamEvent.ItemUpdated(reply.id(), new ThreadItemUpdate.TextDelta(0, " Unseen.")));
            events.emit(new ThreadStreamEvent.ItemDone(message("A whole other reply")));
            emittedAfterLeaving[0] = 2;
        });
        assertThat(emittedAfterLeaving[0]).isEqualTo(2);
        assertThat(client.received).hasSize(4);
        List<ThreadItem> items = stored();
        assertThat(items).hasSize(2);
        assertThat(textOf(items.get(0))).isEqualTo("Seen too.");
        assertThat(items.get(1)).isInstanceOfSatisfying(ThreadItem.SdkHiddenContext.class,
                note -> assertThat(note.content()).isEqualTo(RespondPipeline.CANCELLED_NOTE));
    }

    @Test
    void aClientGoneBeforeTheTurnStartsRunsNothingAndLeavesNoNote() {
        boolean[] ran = {false};
        client.open = false;
        pipeline((turn, input, events) -> {}).run(client, c -> {}, (turn, events) -> ran[0] = true);
        assertThat(ran[0]).isFalse();
        assertThat(stored()).isEmpty();
    }
}
