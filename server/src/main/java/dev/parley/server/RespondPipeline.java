package dev.parley.server;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import java.util.List;

/**
 * One streamed turn: stream options first, then the producer's events, each stored before it is forwarded.
 *
 * <ul>
 *   <li>{@code thread.item.added} is remembered, not stored; updates are applied to that copy;
 *       {@code thread.item.done} and {@code thread.item.replaced} store the item, {@code thread.item.removed}
 *       deletes it. Hidden items are stored but never forwarded.
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
    /** Whether {@link #saved} went behind with no waited write of this turn after it yet. */
    private boolean savedBehind;
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
            if (client.isOpen()) syncThread(true);
            else cancelled();
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
     * A thread saved behind is committed by the turn's next waited write; when the turn ended before one (a title
     * changed last), write it once more and wait, so the stream never ends ahead of what it announced.
     */
    private void settle() {
        if (!savedBehind) return;
        try {
            store.saveThread(user(), saved);
            savedBehind = false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not save thread " + saved.id() + " at the end of its turn", e);
        }
    }

    private void accept(ThreadStreamEvent event) {
        // After a disconnect nothing more is kept: what the user saw is what a cancelled turn leaves behind.
        if (!client.isOpen()) return;
        switch (event) {
            case ThreadStreamEvent.ItemAdded e -> pending.added(ownItem(e.item()));
            case ThreadStreamEvent.ItemUpdated e -> pending.updated(e.itemId(), e.update());
            case ThreadStreamEvent.ItemDone e -> {
                // Upsert rather than insert: a workflow left open by one run is finished by the next.
                store.saveItem(user(), ownItem(e.item()));
                savedBehind = false;
                pending.finished(e.item().id());
            }
            case ThreadStreamEvent.ItemRemoved e -> {
                store.deleteItems(user(), turn.thread().id(), List.of(e.itemId()));
                savedBehind = false;
                pending.finished(e.itemId());
            }
            case ThreadStreamEvent.ItemReplaced e -> {
                store.saveItem(user(), ownItem(e.item()));
                savedBehind = false;
            }
            default -> {}
        }
        if (!carriesHiddenItem(event)) client.emit(event);
        syncThread(true);
    }

    private void syncThread(boolean announce) {
        ThreadMetadata now = turn.thread();
        if (now.equals(saved)) return;
        // Not waited for: the turn's next write (its reply, at the latest) commits after it, so a title the client
        // sees now is stored by the time the turn's items are; a commit per title doubled the turn's waits.
        store.saveThreadBehind(user(), now);
        savedBehind = true;
        saved = now;
        if (announce) client.emit(new ThreadStreamEvent.ThreadUpdated(now.toThread(Page.empty())));
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
            for (ThreadItem.AssistantMessage partial : pending.assistantMessagesWithText()) {
                store.saveItem(user(), partial);
            }
            syncThread(true);
            client.emit(event);
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
