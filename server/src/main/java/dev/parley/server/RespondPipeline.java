package dev.parley.server;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import dev.parley.store.PendingWrite;
import dev.parley.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * One streamed turn: stream options first, then the producer's events, each stored before it is forwarded.
 *
 * <ul>
 *   <li>{@code thread.item.added} is remembered, not stored; updates are applied to that copy;
 *       {@code thread.item.done} and {@code thread.item.replaced} store the item, {@code thread.item.removed}
 *       deletes it. Hidden items are stored but never forwarded.
 *   <li>{@code thread.item.done} stores its item behind (queued, not waited for) and is held, with whatever
 *       follows it, until the next event that is not an item being done, or the end of the turn: then the turn
 *       waits for the store once and forwards what it held. The producer's own next write (a run's state, on
 *       SQLite in the same commit) has usually made the item durable by then, so a turn waits for one commit
 *       fewer, and the client is still told only what is stored. Reads through {@link Turn} wait for it too.
 *       The workflow engine begins every step that waits (a model, tool or search call) with a progress event,
 *       so nothing is held across one; a responder of one's own that works long after an item is done should
 *       send a progress event first.
 *   <li>After each event, and once more at the end, a thread changed through {@link Turn} is saved and
 *       announced with {@code thread.updated}.
 *   <li>A failure, in the turn or in the prelude that stores its input, becomes one {@code error} event; this
 *       is the only place where that happens. Assistant text the user already saw is kept.
 *   <li>If the client disconnects (the sink says so; nothing is thrown), events are no longer stored or sent,
 *       the assistant text it saw is kept and a hidden note tells the next turn that the user cancelled, so
 *       the model does not carry on with the abandoned answer.
 * </ul>
 */
final class RespondPipeline {
    private static final System.Logger LOG = System.getLogger(RespondPipeline.class.getName());
    static final String CANCELLED_NOTE = "The user cancelled the stream. Stop responding to the prior request.";

    /** The assistant's side of the turn. */
    @FunctionalInterface
    interface Producer {
        void produce(Turn turn, EventSink events) throws Exception;
    }

    /** What comes before the turn: storing its input and showing it ({@code thread.created}, the user message). */
    @FunctionalInterface
    interface Prelude {
        void run(EventSink client);
    }

    private final Store store;
    private final Responder responder;
    private final Turn turn;
    private final PendingItems pending = new PendingItems();
    private ThreadMetadata saved;
    /** The last write this turn made behind; awaiting it awaits every earlier one (they commit in order). */
    private PendingWrite behind = PendingWrite.DONE;
    /** Events waiting for {@link #behind} to be durable: an item done and whatever came after it. */
    private final List<ThreadStreamEvent> held = new ArrayList<>();
    private EventSink client;
    /** What the producer emits into: stored, then forwarded while the client listens. */
    private final EventSink events = new EventSink() {
        @Override
        public void emit(ThreadStreamEvent event) {
            accept(event);
        }

        @Override
        public boolean isOpen() {
            return client.isOpen();
        }

        @Override
        public boolean probe() {
            return client.probe();
        }
    };

    RespondPipeline(Store store, Responder responder, Turn turn) {
        this.store = store;
        this.responder = responder;
        this.turn = turn;
        this.saved = turn.thread();
        turn.beforeRead(() -> behind.await());
    }

    void run(EventSink client, Producer producer) {
        run(client, c -> {}, producer);
    }

    void run(EventSink client, Prelude prelude, Producer producer) {
        this.client = client;
        boolean started = false;
        try {
            prelude.run(client);
            // Gone before the turn began: nothing of it was shown, so there is nothing to keep or to cancel.
            if (!client.isOpen()) return;
            started = true;
            client.emit(new ThreadStreamEvent.StreamOptionsEvent(responder.streamOptions(turn)));
            producer.produce(turn, events);
            if (client.isOpen()) {
                syncThread(true);
                release();
            } else {
                cancelled();
            }
        } catch (Throwable failure) {
            if (started && !client.isOpen()) {
                LOG.log(System.Logger.Level.DEBUG, "Turn of thread " + turn.thread().id() + " failed after its client left", failure);
                cancelled();
            } else {
                failed(failure);
            }
        } finally {
            settle();
        }
    }

    /**
     * Whatever the turn wrote behind is durable before its stream ends (a title announced last, say), so the
     * stream never ends ahead of what it announced; what is still held is sent if the client is there.
     */
    private void settle() {
        try {
            behind.await();
            if (client != null && client.isOpen()) release();
        } catch (RuntimeException e) {
            held.clear();
            LOG.log(System.Logger.Level.WARNING, "Could not store the end of a turn of thread " + saved.id(), e);
        }
    }

    /** Forwards what was held, once what it announces is durable. */
    private void release() {
        if (held.isEmpty()) return;
        behind.await();
        for (ThreadStreamEvent e : held) client.emit(e);
        held.clear();
    }

    private void send(ThreadStreamEvent event) {
        if (event instanceof ThreadStreamEvent.ItemDone) {
            held.add(event);
            return;
        }
        release();
        client.emit(event);
    }

    private void accept(ThreadStreamEvent event) {
        // After a disconnect nothing more is kept: what the user saw is what a cancelled turn leaves behind.
        if (!client.isOpen()) return;
        switch (event) {
            case ThreadStreamEvent.ItemAdded e -> pending.added(ownItem(e.item()));
            case ThreadStreamEvent.ItemUpdated e -> pending.updated(e.itemId(), e.update());
            case ThreadStreamEvent.ItemDone e -> {
                // Upsert rather than insert: a workflow left open by one run is finished by the next.
                behind = store.saveItemBehind(user(), ownItem(e.item()));
                pending.finished(e.item().id());
                turn.itemsChanged();
            }
            case ThreadStreamEvent.ItemRemoved e -> {
                store.deleteItems(user(), turn.thread().id(), List.of(e.itemId()));
                pending.finished(e.itemId());
                turn.itemsChanged();
            }
            case ThreadStreamEvent.ItemReplaced e -> {
                store.saveItem(user(), ownItem(e.item()));
                turn.itemsChanged();
            }
            default -> {}
        }
        if (!carriesHiddenItem(event)) send(event);
        syncThread(true);
    }

    private void syncThread(boolean announce) {
        ThreadMetadata now = turn.thread();
        if (now.equals(saved)) return;
        // Not waited for: the turn's next write (its reply, at the latest) commits after it, so a title the client
        // sees now is stored by the time the turn's items are; a commit per title doubled the turn's waits.
        behind = store.saveThreadBehind(user(), now);
        saved = now;
        if (announce) send(new ThreadStreamEvent.ThreadUpdated(now.toThread(Page.empty())));
    }

    private void cancelled() {
        try {
            for (ThreadItem.AssistantMessage partial : pending.assistantMessagesWithText()) {
                store.saveItem(user(), partial);
            }
            store.addItem(user(), new ThreadItem.SdkHiddenContext(
                    turn.newId(IdKind.SDK_HIDDEN_CONTEXT), turn.thread().id(), ChatKitJson.now(), CANCELLED_NOTE));
            syncThread(false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not save a cancelled turn of thread " + turn.thread().id(), e);
        }
    }

    private void failed(Throwable failure) {
        ThreadStreamEvent.Error event;
        if (failure instanceof StreamError se) {
            event = se.toEvent();
            // A StreamError is a failure already explained (the model provider logs what went wrong and how to fix
            // it): its cause's stack trace would only repeat that, some 40 lines per visitor message.
            LOG.log(System.Logger.Level.INFO, "Turn of thread " + turn.thread().id() + " ended with " + failure
                    + (se.getCause() == null ? "" : " (" + se.getCause().getMessage() + ")"));
        } else {
            event = new ThreadStreamEvent.Error(ThreadStreamEvent.Error.STREAM_ERROR, null, true);
            LOG.log(System.Logger.Level.ERROR, "Turn of thread " + turn.thread().id() + " failed", failure);
        }
        try {
            // What was held is sent before the error if it is stored; if storing it is what failed, it is dropped.
            try {
                release();
            } catch (RuntimeException e) {
                held.clear();
            }
            for (ThreadItem.AssistantMessage partial : pending.assistantMessagesWithText()) {
                store.saveItem(user(), partial);
            }
            syncThread(true);
            send(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not finish a failed turn of thread " + turn.thread().id(), e);
            try {
                client.emit(event);
            } catch (RuntimeException ignored) {
                // The client is gone or the stream is broken; the failure is logged above.
            }
        }
    }

    private ThreadItem ownItem(ThreadItem item) {
        if (!turn.thread().id().equals(item.threadId())) {
            throw new IllegalStateException("Item " + item.id() + " names thread " + item.threadId()
                    + " but the turn is on thread " + turn.thread().id());
        }
        return item;
    }

    private String user() {
        return turn.context().userId();
    }

    private static boolean carriesHiddenItem(ThreadStreamEvent event) {
        return switch (event) {
            case ThreadStreamEvent.ItemAdded e -> e.item().isHidden();
            case ThreadStreamEvent.ItemDone e -> e.item().isHidden();
            case ThreadStreamEvent.ItemReplaced e -> e.item().isHidden();
            default -> false;
        };
    }
}
