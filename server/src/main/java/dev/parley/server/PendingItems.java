package dev.parley.server;

import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items that have started streaming but are not done, kept up to date so that a cancelled turn can save
 * what the user already saw. Only assistant text and workflow tasks are tracked, as in the reference.
 */
final class PendingItems {
    private final Map<String, ThreadItem> items = new LinkedHashMap<>();

    void added(ThreadItem item) {
        items.put(item.id(), item);
    }

    void updated(String itemId, ThreadItemUpdate update) {
        items.computeIfPresent(itemId, (id, item) -> apply(item, update));
    }

    void finished(String itemId) {
        items.remove(itemId);
    }

    /** {@return the assistant messages in flight that have visible text} */
    List<ThreadItem.AssistantMessage> assistantMessagesWithText() {
        List<ThreadItem.AssistantMessage> out = new ArrayList<>();
        for (ThreadItem item : items.values()) {
            if (item instanceof ThreadItem.AssistantMessage m && !m.text().isBlank()) out.add(m);
        }
        return out;
    }

    static ThreadItem apply(ThreadItem item, ThreadItemUpdate update) {
        return switch (item) {
            case ThreadItem.AssistantMessage m -> switch (update) {
                case ThreadItemUpdate.ContentPartAdded u -> withPart(m, u.contentIndex(), u.content());
                case ThreadItemUpdate.ContentPartDone u -> withPart(m, u.contentIndex(), u.content());
                case ThreadItemUpdate.TextDelta u -> withPart(m, u.contentIndex(),
                        part(m, u.contentIndex()).appendText(u.delta()));
                case ThreadItemUpdate.AnnotationAdded u -> withPart(m, u.contentIndex(),
                        part(m, u.contentIndex()).withAnnotation(u.annotationIndex(), u.annotation()));
                default -> m;
            };
            case ThreadItem.WorkflowItem w -> switch (update) {
                case ThreadItemUpdate.TaskAdded u -> new ThreadItem.WorkflowItem(
                        w.id(), w.threadId(), w.createdAt(), w.workflow().withTask(u.taskIndex(), u.task()));
                case ThreadItemUpdate.TaskUpdated u -> new ThreadItem.WorkflowItem(
                        w.id(), w.threadId(), w.createdAt(), w.workflow().withTask(u.taskIndex(), u.task()));
                default -> w;
            };
            default -> item;
        };
    }

    private static AssistantContent part(ThreadItem.AssistantMessage m, int index) {
        // A negative index is ignored by withPart; it must not throw here first.
        return index >= 0 && index < m.content().size() ? m.content().get(index) : AssistantContent.of("");
    }

    private static ThreadItem.AssistantMessage withPart(ThreadItem.AssistantMessage m, int index, AssistantContent part) {
        if (index < 0) return m;
        List<AssistantContent> content = new ArrayList<>(m.content());
        while (content.size() <= index) content.add(AssistantContent.of(""));
        content.set(index, part);
        return new ThreadItem.AssistantMessage(m.id(), m.threadId(), m.createdAt(), content);
    }
}
