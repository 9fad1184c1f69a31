package dev.parley.workflow.engine;

import dev.parley.model.Source;
import dev.parley.protocol.Annotation;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import java.util.List;

/** The one assistant message a run writes into the thread, streamed as it is produced. */
final class Reply {
    private final Turn turn;
    private final EventSink events;
    private final StringBuilder text = new StringBuilder();
    private ThreadItem.AssistantMessage item;

    Reply(Turn turn, EventSink events) {
        this.turn = turn;
        this.events = events;
    }

    boolean started() {
        return item != null;
    }

    String text() {
        return text.toString();
    }

    /** Streams {@code piece} to the user and {@return whether the user is still there to read more} */
    boolean delta(String piece) {
        if (piece.isEmpty()) return events.isOpen();
        if (item == null) {
            item = new ThreadItem.AssistantMessage(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), List.of());
            events.emit(new ThreadStreamEvent.ItemAdded(item));
            events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.ContentPartAdded(0, AssistantContent.of(""))));
        }
        text.append(piece);
        events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.TextDelta(0, piece)));
        return events.isOpen();
    }

    /** Ends the message, citing {@code sources} (the passages a retrieval answer was built from). */
    void finish(List<Source> sources) {
        if (item == null) return;
        List<Annotation> annotations = sources.stream()
                .map(s -> new Annotation(s.location().startsWith("https://") || s.location().startsWith("http://")
                        ? new Annotation.Source.Url(s.title(), null, null, null, s.location(), null)
                        : new Annotation.Source.File(s.title(), null, null, null, s.location()), null))
                .toList();
        var content = new AssistantContent(text.toString(), annotations);
        events.emit(new ThreadStreamEvent.ItemUpdated(item.id(), new ThreadItemUpdate.ContentPartDone(0, content)));
        events.emit(new ThreadStreamEvent.ItemDone(
                new ThreadItem.AssistantMessage(item.id(), item.threadId(), item.createdAt(), List.of(content))));
    }
}
