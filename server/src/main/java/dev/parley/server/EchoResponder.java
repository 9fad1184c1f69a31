package dev.parley.server;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A placeholder brain for smoke tests: replies "You said: ..." streamed word by word, and titles a new
 * thread after its first message. Not an assistant; the workflow engine replaces it.
 */
public final class EchoResponder implements Responder {
    private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");

    @Override
    public String titleFor(String said) {
        String text = said.strip();
        if (text.isEmpty()) return null;
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    @Override
    public void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) {
        String said = input == null ? "" : input.text().strip();
        String reply = said.isEmpty() ? "Nothing to echo." : "You said: " + said;
        if (turn.thread().title() == null && !said.isEmpty()) turn.updateThread(t -> t.withTitle(titleFor(said)));
        String id = turn.newId(IdKind.MESSAGE);
        String threadId = turn.thread().id();
        var created = turn.now();
        events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.AssistantMessage(id, threadId, created, List.of())));
        events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.ContentPartAdded(0, AssistantContent.of(""))));
        Matcher m = WORD.matcher(reply);
        while (m.find()) {
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, m.group())));
        }
        var full = AssistantContent.of(reply);
        events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.ContentPartDone(0, full)));
        events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.AssistantMessage(id, threadId, created, List.of(full))));
    }
}
