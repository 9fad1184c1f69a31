package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Annotation;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.Task;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.Workflow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a cancelled or failed turn keeps depends on these copies being right: a lost delta or a stale item
 * would save a reply that differs from what the user watched stream in.
 */
class PendingItemsTest {
    private final PendingItems pending = new PendingItems();

    private static ThreadItem.AssistantMessage message(String id, String... parts) {
        return new ThreadItem.AssistantMessage(
                id, "thr_1", Instant.EPOCH, List.of(parts).stream().map(AssistantContent::of).toList());
    }

    private static ThreadItemUpdate.TextDelta delta(int index, String text) {
        return new ThreadItemUpdate.TextDelta(index, text);
    }

    private static List<String> texts(ThreadItem.AssistantMessage m) {
        return m.content().stream().map(AssistantContent::text).toList();
    }

    private ThreadItem.AssistantMessage onlyMessage() {
        List<ThreadItem.AssistantMessage> kept = pending.assistantMessagesWithText();
        assertThat(kept).hasSize(1);
        return kept.getFirst();
    }

    @Test
    void textDeltasAccumulateInTheirContentPart() {
        pending.added(message("msg_1"));
        pending.updated("msg_1", new ThreadItemUpdate.ContentPartAdded(0, AssistantContent.of("")));
        pending.updated("msg_1", delta(0, "Hel"));
        pending.updated("msg_1", delta(0, "lo"));
        pending.updated("msg_1", new ThreadItemUpdate.ContentPartAdded(1, AssistantContent.of("")));
        pending.updated("msg_1", delta(1, "World"));
        pending.updated("msg_1", delta(0, "!"));

        ThreadItem.AssistantMessage kept = onlyMessage();
        assertThat(kept.id()).isEqualTo("msg_1");
        assertThat(texts(kept)).containsExactly("Hello!", "World");
    }

    @Test
    void aDeltaPastTheLastPartPadsTheGapWithEmptyParts() {
        pending.added(message("msg_1", "a"));
        pending.updated("msg_1", delta(2, "c"));

        assertThat(texts(onlyMessage())).containsExactly("a", "", "c");
    }

    @Test
    void aDonePartReplacesWhatTheDeltasBuilt() {
        pending.added(message("msg_1"));
        pending.updated("msg_1", delta(0, "draft"));
        pending.updated("msg_1", new ThreadItemUpdate.ContentPartDone(0, AssistantContent.of("final")));

        assertThat(texts(onlyMessage())).containsExactly("final");
    }

    @Test
    void annotationsAttachToTheirPartAndKeepItsText() {
        var citation = new Annotation(new Annotation.Source.Url("Docs", null, null, null, "https://example.com", null), 2);
        pending.added(message("msg_1", "ab", "cd"));
        pending.updated("msg_1", new ThreadItemUpdate.AnnotationAdded(1, 0, citation));

        ThreadItem.AssistantMessage kept = onlyMessage();
        assertThat(kept.content().get(0).annotations()).isEmpty();
        assertThat(kept.content().get(1).annotations()).containsExactly(citation);
        assertThat(texts(kept)).containsExactly("ab", "cd");
    }

    @Test
    void updatesChangeTheTrackedCopyNotTheAnnouncedItem() {
        ThreadItem.AssistantMessage announced = message("msg_1");
        pending.added(announced);
        pending.updated("msg_1", delta(0, "hi"));

        assertThat(texts(onlyMessage())).containsExactly("hi");
        assertThat(announced.content()).isEmpty();
    }

    @Test
    void finishedItemsAreNoLongerKept() {
        pending.added(message("msg_1", "first"));
        pending.added(message("msg_2", "second"));
        pending.finished("msg_1");

        assertThat(onlyMessage().id()).isEqualTo("msg_2");
    }

    @Test
    void anUpdateAfterFinishingDoesNotBringTheItemBack() {
        pending.added(message("msg_1", "done"));
        pending.finished("msg_1");
        pending.updated("msg_1", delta(0, " late"));

        assertThat(pending.assistantMessagesWithText()).isEmpty();
    }

    @Test
    void updatesForUnannouncedItemsAreIgnored() {
        pending.added(message("msg_1", "known"));
        pending.updated("msg_unknown", delta(0, "stray"));

        ThreadItem.AssistantMessage kept = onlyMessage();
        assertThat(kept.id()).isEqualTo("msg_1");
        assertThat(texts(kept)).containsExactly("known");
    }

    @Test
    void messagesWithoutVisibleTextAreNotKept() {
        pending.added(message("msg_empty"));
        pending.added(message("msg_blank", " ", "\n"));
        pending.added(message("msg_text", "", "x"));

        assertThat(pending.assistantMessagesWithText())
                .extracting(ThreadItem.AssistantMessage::id)
                .containsExactly("msg_text");
    }

    @Test
    void aMessageIsKeptOnceItsFirstVisibleTextArrives() {
        pending.added(message("msg_1"));
        assertThat(pending.assistantMessagesWithText()).isEmpty();

        pending.updated("msg_1", delta(0, "hi"));
        assertThat(onlyMessage().id()).isEqualTo("msg_1");
    }

    @Test
    void messagesAreKeptInTheOrderTheyWereAnnounced() {
        // Neither sorted nor hash order, so only announcement order passes.
        pending.added(message("msg_3", "c"));
        pending.added(message("msg_1", "a"));
        pending.added(message("msg_2", "b"));
        pending.updated("msg_3", delta(0, "!"));

        assertThat(pending.assistantMessagesWithText())
                .extracting(ThreadItem.AssistantMessage::id)
                .containsExactly("msg_3", "msg_1", "msg_2");
    }

    @Test
    void otherItemKindsAreTrackedButNotKeptAsMessages() {
        var workflow = new ThreadItem.WorkflowItem(
                "wf_1", "thr_1", Instant.EPOCH, new Workflow("custom", List.of(), null, false));
        pending.added(workflow);
        pending.updated("wf_1", new ThreadItemUpdate.TaskAdded(0, new Task.Thought("loading", "Thinking", "...")));

        assertThat(pending.assistantMessagesWithText()).isEmpty();
    }

    @Test
    void taskUpdatesAddThenReplaceTasksOfAWorkflow() {
        ThreadItem item = new ThreadItem.WorkflowItem(
                "wf_1", "thr_1", Instant.EPOCH, new Workflow("custom", List.of(), null, false));
        var searching = new Task.Custom("loading", "Searching", null, null);
        var reading = new Task.Custom("loading", "Reading", null, null);
        var searched = new Task.Custom("complete", "Searching", null, null);

        item = PendingItems.apply(item, new ThreadItemUpdate.TaskAdded(0, searching));
        item = PendingItems.apply(item, new ThreadItemUpdate.TaskAdded(1, reading));
        item = PendingItems.apply(item, new ThreadItemUpdate.TaskUpdated(0, searched));

        assertThat(item).isInstanceOfSatisfying(ThreadItem.WorkflowItem.class, w -> {
            assertThat(w.id()).isEqualTo("wf_1");
            assertThat(w.workflow().tasks()).containsExactly(searched, reading);
        });
    }

    @Test
    void updatesThatDoNotFitTheItemLeaveItUnchanged() {
        ThreadItem.AssistantMessage message = message("msg_1", "text");
        ThreadItem workflow = new ThreadItem.WorkflowItem(
                "wf_1", "thr_1", Instant.EPOCH, new Workflow("custom", List.of(), null, false));

        assertThat(PendingItems.apply(message, new ThreadItemUpdate.WidgetTextDelta("c1", "x", false)))
                .isSameAs(message);
        assertThat(PendingItems.apply(message, new ThreadItemUpdate.TaskAdded(0, new Task.Image("none", "img"))))
                .isSameAs(message);
        assertThat(PendingItems.apply(workflow, delta(0, "x"))).isSameAs(workflow);
    }

    @Test
    void aNegativeContentIndexIsIgnoredByEveryUpdateKind() {
        pending.added(message("msg_1", "Kept"));
        pending.updated("msg_1", delta(-1, "lost"));
        pending.updated("msg_1", new ThreadItemUpdate.ContentPartDone(-1, AssistantContent.of("lost")));

        assertThat(texts(onlyMessage())).containsExactly("Kept");
    }
}
