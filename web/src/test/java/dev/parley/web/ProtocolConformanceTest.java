package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.Task;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStatus;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.protocol.Workflow;
import dev.parley.server.StreamError;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference behaviours of chatkit-python's server tests (chatkit-protocol.md §10, scenarios 1-47), each
 * driven over HTTP against a running server with a real SQLite file. Numbers in test names are the scenario
 * numbers. Scenarios about server assembly (30, 32, 46, 48) are in {@code ChatKitServerTest}; the store
 * contract (49-54) is in the store module; 35-36 (server-side widget diffing helpers) are not built yet.
 */
class ProtocolConformanceTest extends ScriptedServerTest {
    // ---- helpers -------------------------------------------------------------------------------------

    List<JsonNode> create(String text) {
        return user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":" + message(text) + "}}");
    }

    static String threadId(List<JsonNode> events) {
        return events.getFirst().path("thread").path("id").asText();
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    Store store() {
        return server.store();
    }

    // ---- scenarios -----------------------------------------------------------------------------------

    @Test
    void s05_createEmitsThreadWithoutTitleThenTheUserMessage() {
        responder.script = (turn, input, events) -> {};
        var events = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"Hello, world!\"}],\"attachments\":[],\"quoted_text\":\"Quoted text\",\"inference_options\":{}}}}");
        assertThat(types(events)).containsExactly("thread.created", "thread.item.done", "stream_options");
        assertThat(events.get(0).path("thread").has("title")).isFalse();
        assertThat(events.get(0).path("thread").path("id").asText()).startsWith("thr_");
        JsonNode item = events.get(1).path("item");
        assertThat(item.path("type").asText()).isEqualTo("user_message");
        assertThat(item.path("id").asText()).startsWith("msg_");
        assertThat(item.path("content").get(0).path("text").asText()).isEqualTo("Hello, world!");
        assertThat(item.path("quoted_text").asText()).isEqualTo("Quoted text");
        assertThat(events.get(2).path("stream_options").path("allow_cancel").asBoolean()).isTrue();
    }

    @Test
    void s04_requestContextReachesRespondAndFeedback() {
        var events = create("hi");
        assertThat(responder.lastCall().userId()).isEqualTo(user.userId());
        assertThat(responder.lastCall().input().text()).isEqualTo("hi");
        String assistantId = events.getLast().path("item").path("id").asText();
        var r = user.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"item_ids\":[\"" + assistantId + "\"],\"kind\":\"positive\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toString()).isEqualTo("{}");
        assertThat(store().loadFeedback(user.userId(), threadId(events)))
                .singleElement().satisfies(f -> {
                    assertThat(f.itemIds()).containsExactly(assistantId);
                    assertThat(f.kind()).isEqualTo("positive");
                });
    }

    @Test
    void s06_titleSetDuringRespondIsSavedAndAnnouncedLast() {
        responder.script = (turn, input, events) -> {
            reply(turn, input, events);
            turn.updateThread(t -> t.withTitle("Greetings"));
        };
        var events = create("hi");
        assertThat(events.getLast().path("type").asText()).isEqualTo("thread.updated");
        assertThat(events.getLast().path("thread").path("title").asText()).isEqualTo("Greetings");
        assertThat(store().loadThread(user.userId(), threadId(events)).title()).isEqualTo("Greetings");
    }

    @Test
    void s07_metadataSetDuringRespondIsSavedButNotSent() {
        responder.script = (turn, input, events) -> turn.updateThread(t -> t.withMetadata(Map.of("topic", "pricing")));
        var events = create("hi");
        assertThat(events.getLast().path("type").asText()).isEqualTo("thread.updated");
        assertThat(events.getLast().toString()).doesNotContain("pricing");
        assertThat(store().loadThread(user.userId(), threadId(events)).metadata()).containsEntry("topic", "pricing");
    }

    @Test
    void s08_lockedStatusIsSavedAndAnnounced() {
        responder.script = (turn, input, events) -> turn.updateThread(t -> t.withStatus(new ThreadStatus.Locked("Because")));
        var events = create("hi");
        assertThat(events.getLast().path("thread").path("status").toString())
                .isEqualTo("{\"type\":\"locked\",\"reason\":\"Because\"}");
        assertThat(store().loadThread(user.userId(), threadId(events)).status()).isEqualTo(new ThreadStatus.Locked("Because"));
        // A locked thread takes no new messages: the user is told why instead of getting a silent stream.
        var r = user.post("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"input\":" + message("more") + "}}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().path("error").path("message").asText()).contains("locked");
    }

    @Test
    void s09_s10_allowedImageDomainsAppearOnlyWhenSet() {
        responder.script = (turn, input, events) -> turn.updateThread(t -> t.withTitle("x"));
        var plain = user.streamRaw("{\"type\":\"threads.create\",\"params\":{\"input\":" + message("hi") + "}}");
        assertThat(plain).contains("\"type\":\"thread.created\"").contains("\"type\":\"thread.updated\"")
                .doesNotContain("allowed_image_domains");

        responder.script = (turn, input, events) ->
                turn.updateThread(t -> t.withAllowedImageDomains(List.of("images.example.com")));
        var events = create("hi");
        assertThat(events.getLast().path("thread").path("allowed_image_domains").toString())
                .isEqualTo("[\"images.example.com\"]");
        assertThat(store().loadThread(user.userId(), threadId(events)).allowedImageDomains())
                .containsExactly("images.example.com");
    }

    @Test
    void s11_titleChangedBetweenItemsIsAnnouncedAfterTheNextEvent() {
        responder.script = (turn, input, events) -> {
            events.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "one")));
            turn.updateThread(t -> t.withTitle("Mid"));
            events.emit(new ThreadStreamEvent.ProgressUpdate(null, "working"));
            events.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "two")));
        };
        var events = create("hi");
        assertThat(types(events)).containsExactly("thread.created", "thread.item.done", "stream_options",
                "thread.item.done", "progress_update", "thread.updated", "thread.item.done");
        assertThat(store().loadThread(user.userId(), threadId(events)).title()).isEqualTo("Mid");
    }

    @Test
    void s12_s13_clientToolRoundTrip() {
        responder.script = (turn, input, events) -> {
            if (input != null) {
                var args = ChatKitJson.emptyObject().put("color", "blue");
                events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.ClientToolCall(turn.newId(IdKind.TOOL_CALL),
                        turn.thread().id(), turn.now(), null, "call_1", "set_color", args, null)));
            } else {
                events.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "Done")));
            }
        };
        var events = create("make it blue");
        assertThat(types(events)).containsExactly("thread.created", "thread.item.done", "stream_options", "thread.item.done");
        JsonNode call = events.getLast().path("item");
        assertThat(call.path("type").asText()).isEqualTo("client_tool_call");
        assertThat(call.path("name").asText()).isEqualTo("set_color");
        assertThat(call.path("call_id").asText()).isEqualTo("call_1");
        assertThat(call.path("arguments").path("color").asText()).isEqualTo("blue");
        assertThat(call.path("status").asText()).isEqualTo("pending");

        var second = user.stream("{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\""
                + threadId(events) + "\",\"result\":{\"ok\":true}}}");
        assertThat(types(second)).containsExactly("stream_options", "thread.item.done");
        assertThat(second.getLast().path("item").path("type").asText()).isEqualTo("assistant_message");
        assertThat(responder.lastCall().input()).isNull();
        ThreadItem stored = store().loadItem(user.userId(), threadId(events), call.path("id").asText());
        assertThat(stored).isInstanceOfSatisfying(ThreadItem.ClientToolCall.class, c -> {
            assertThat(c.status()).isEqualTo("completed");
            assertThat(c.output().path("ok").asBoolean()).isTrue();
        });

        // Nothing is pending any more: a second output is refused with a reason.
        var again = user.post("{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\""
                + threadId(events) + "\",\"result\":{}}}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().path("error").path("message").asText()).contains("no pending client tool call");
    }

    @Test
    void s14_progressUpdateSequence() {
        responder.script = (turn, input, events) -> {
            events.emit(new ThreadStreamEvent.ProgressUpdate("search", "Looking things up"));
            reply(turn, input, events);
        };
        var events = create("hi");
        assertThat(types(events)).containsExactly(
                "thread.created", "thread.item.done", "stream_options", "progress_update", "thread.item.done");
        assertThat(events.get(3).path("text").asText()).isEqualTo("Looking things up");
        assertThat(events.get(3).path("icon").asText()).isEqualTo("search");
    }

    @Test
    void s03_workflowTaskIsStoredOnce() {
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.WORKFLOW);
            var empty = new Workflow("custom", List.of(), null, false);
            events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.WorkflowItem(id, turn.thread().id(), turn.now(), empty)));
            Task task = new Task.Custom("complete", "Checked the docs", null, null);
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TaskAdded(0, task)));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.WorkflowItem(
                    id, turn.thread().id(), turn.now(), empty.withTask(0, task))));
        };
        var events = create("hi");
        JsonNode done = events.getLast().path("item");
        assertThat(done.path("workflow").path("tasks").size()).isEqualTo(1);
        ThreadItem stored = store().loadItem(user.userId(), threadId(events), done.path("id").asText());
        assertThat(((ThreadItem.WorkflowItem) stored).workflow().tasks()).hasSize(1);
    }

    @Test
    void s15_s33_threadsListPagesNewestFirst() {
        responder.script = (turn, input, events) -> {};
        for (int i = 0; i < 25; i++) create("thread " + i);
        var first = user.post("{\"type\":\"threads.list\",\"params\":{\"limit\":20}}").body();
        assertThat(first.path("data").size()).isEqualTo(20);
        assertThat(first.path("has_more").asBoolean()).isTrue();
        String after = first.path("after").asText();
        assertThat(after).isEqualTo(first.path("data").get(19).path("id").asText());
        assertThat(first.path("data").get(0).path("items").toString()).isEqualTo("{\"data\":[],\"has_more\":false}");
        var second = user.post("{\"type\":\"threads.list\",\"params\":{\"limit\":20,\"after\":\"" + after + "\"}}").body();
        assertThat(second.path("data").size()).isEqualTo(5);
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(second.has("after")).isFalse();
        // Newest first: creation times never increase down the list.
        var all = new java.util.ArrayList<String>();
        first.path("data").forEach(t -> all.add(t.path("created_at").asText()));
        second.path("data").forEach(t -> all.add(t.path("created_at").asText()));
        assertThat(all).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all).hasSize(25);
    }

    @Test
    void s16_itemsListPagesNewestFirstAndHidesHiddenItems() {
        responder.script = (turn, input, events) -> {
            for (int i = 0; i < 25; i++) events.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "answer " + i)));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.SdkHiddenContext(
                    turn.newId(IdKind.SDK_HIDDEN_CONTEXT), turn.thread().id(), turn.now(), "secret note")));
        };
        var events = create("hi");
        assertThat(events.toString()).doesNotContain("secret note");
        String thread = threadId(events);
        var first = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"limit\":20}}").body();
        // The newest stored item is hidden: it takes a slot on the page but is filtered out after paging.
        assertThat(first.path("data").size()).isEqualTo(19);
        assertThat(first.path("data").get(0).path("content").get(0).path("text").asText()).isEqualTo("answer 24");
        assertThat(first.path("has_more").asBoolean()).isTrue();
        var second = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"limit\":20,\"after\":\"" + first.path("after").asText() + "\"}}").body();
        assertThat(second.path("data").size()).isEqualTo(7);
        assertThat(second.path("has_more").asBoolean()).isFalse();
        assertThat(second.path("data").get(6).path("type").asText()).isEqualTo("user_message");
        assertThat(first.toString() + second).doesNotContain("sdk_hidden_context");
    }

    @Test
    void s17_customActionOnAWidget() {
        responder.script = (turn, input, events) -> events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card("Send email?"), null)));
        var events = create("hi");
        String widgetId = events.getLast().path("item").path("id").asText();
        responder.actionScript = (turn, action, sender, out) -> out.emit(new ThreadStreamEvent.ItemUpdated(
                sender.id(), new ThreadItemUpdate.WidgetRootUpdated(card("Email sent!"))));
        var action = user.stream("{\"type\":\"threads.custom_action\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"item_id\":\"" + widgetId + "\",\"action\":{\"type\":\"create_user\",\"payload\":{\"user_id\":\"123\"}}}}");
        assertThat(types(action)).containsExactly("stream_options", "thread.item.updated");
        JsonNode update = action.getLast().path("update");
        assertThat(update.path("type").asText()).isEqualTo("widget.root.updated");
        assertThat(update.path("widget").path("children").get(0).path("value").asText()).isEqualTo("Email sent!");
        var call = responder.lastCall();
        assertThat(call.action().type()).isEqualTo("create_user");
        assertThat(call.action().payload().path("user_id").asText()).isEqualTo("123");
        assertThat(call.sender().id()).isEqualTo(widgetId);
    }

    @Test
    void customActionFromANonWidgetIsOneErrorEventWithoutStreamOptions() {
        var events = create("hi");
        String assistantId = events.getLast().path("item").path("id").asText();
        var action = user.stream("{\"type\":\"threads.custom_action\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"item_id\":\"" + assistantId + "\",\"action\":{\"type\":\"x\"}}}");
        assertThat(types(action)).containsExactly("error");
        assertThat(action.getFirst().path("code").asText()).isEqualTo("stream.error");
        assertThat(action.getFirst().path("allow_retry").asBoolean()).isFalse();
    }

    private String structuredThread() {
        responder.script = (turn, input, events) -> {
            if (input == null) {
                reply(turn, null, events);
                return;
            }
            var questions = List.<dev.parley.protocol.Question>of(
                    new dev.parley.protocol.Question.MultipleChoice("size", "Which size?", null,
                            List.of(new dev.parley.protocol.Question.Option("S"), new dev.parley.protocol.Question.Option("M")), false),
                    new dev.parley.protocol.Question.MultipleChoice("extras", "Extras?", null,
                            List.of(new dev.parley.protocol.Question.Option("a"), new dev.parley.protocol.Question.Option("b")), true),
                    new dev.parley.protocol.Question.Freeform("notes", "Anything else?", null, null));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.StructuredInput(
                    "si_" + turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), null, questions)));
        };
        var events = create("order");
        return threadId(events) + " " + events.getLast().path("item").path("id").asText();
    }

    private List<JsonNode> answer(String threadAndItem, String answers) {
        String[] ids = threadAndItem.split(" ");
        return user.stream("{\"type\":\"threads.add_structured_input\",\"params\":{\"thread_id\":\"" + ids[0]
                + "\",\"item_id\":\"" + ids[1] + "\",\"input\":{\"answers\":" + answers + "}}}");
    }

    @Test
    void s18_structuredInputAnswersAreStoredAndTheTurnResumes() {
        String ids = structuredThread();
        var events = answer(ids, "{\"size\":{\"values\":[\"M\"]},\"extras\":{\"values\":[\"a\",\"b\"]},"
                + "\"notes\":{\"values\":[\"gift wrap please\"]}}");
        assertThat(types(events)).containsExactly("stream_options", "thread.item.replaced", "thread.item.done");
        JsonNode replaced = events.get(1).path("item");
        assertThat(replaced.path("status").asText()).isEqualTo("answered");
        var stored = (ThreadItem.StructuredInput) store().loadItem(user.userId(), ids.split(" ")[0], ids.split(" ")[1]);
        assertThat(stored.status()).isEqualTo("answered");
        assertThat(stored.inputs().get(0).answer().values()).containsExactly("M");
        assertThat(stored.inputs().get(1).answer().values()).containsExactly("a", "b");
        assertThat(stored.inputs().get(2).answer().values()).containsExactly("gift wrap please");
    }

    @Test
    void s19_s20_s21_omittedUnknownAndExtraAnswers() {
        String ids = structuredThread();
        answer(ids, "{\"size\":{\"values\":[\"S\",\"M\"]},\"nonsense\":{\"values\":[\"x\"]},\"notes\":{\"values\":[\"ok\"]}}");
        var stored = (ThreadItem.StructuredInput) store().loadItem(user.userId(), ids.split(" ")[0], ids.split(" ")[1]);
        assertThat(stored.inputs().get(0).answer().values()).containsExactly("S");
        assertThat(stored.inputs().get(1).answer().skipped()).isTrue();
        assertThat(stored.inputs().get(2).answer().values()).containsExactly("ok");
        // Answered once: it is no longer pending.
        String[] p = ids.split(" ");
        var again = user.post("{\"type\":\"threads.add_structured_input\",\"params\":{\"thread_id\":\"" + p[0]
                + "\",\"item_id\":\"" + p[1] + "\",\"input\":{\"answers\":{}}}}");
        assertThat(again.status()).isEqualTo(400);
    }

    @Test
    void s22_syncCustomActionReturnsTheUpdatedItem() {
        responder.script = (turn, input, events) -> events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card("Pick one"), null)));
        var events = create("hi");
        String widgetId = events.getLast().path("item").path("id").asText();
        responder.syncScript = (turn, action, sender) ->
                new ThreadItem.Widget(sender.id(), sender.threadId(), sender.createdAt(), card("Picked"), null);
        var r = user.post("{\"type\":\"threads.sync_custom_action\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"item_id\":\"" + widgetId + "\",\"action\":{\"type\":\"pick\"}}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("updated_item").path("widget").path("children").get(0).path("value").asText())
                .isEqualTo("Picked");
        assertThat(responder.lastCall().sender().id()).isEqualTo(widgetId);
        var stored = (ThreadItem.Widget) store().loadItem(user.userId(), threadId(events), widgetId);
        assertThat(stored.widget().path("children").get(0).path("value").asText()).isEqualTo("Picked");
    }

    @Test
    void s23_feedbackOnAnAssistantMessageAndAWidget() {
        responder.script = (turn, input, events) -> {
            reply(turn, input, events);
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(
                    turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card("w"), null)));
        };
        var events = create("hi");
        String thread = threadId(events);
        String assistantId = events.get(3).path("item").path("id").asText();
        String widgetId = events.get(4).path("item").path("id").asText();
        assertThat(user.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_ids\":[\""
                + assistantId + "\"],\"kind\":\"positive\"}}").body().toString()).isEqualTo("{}");
        assertThat(user.post("{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_ids\":[\""
                + widgetId + "\"],\"kind\":\"negative\"}}").body().toString()).isEqualTo("{}");
        assertThat(store().loadFeedback(user.userId(), thread))
                .extracting(f -> f.itemIds().getFirst() + ":" + f.kind())
                .containsExactly(assistantId + ":positive", widgetId + ":negative");
    }

    @Test
    void s24_getByIdReturnsTheThreadWithItemsOldestFirst() {
        responder.script = (turn, input, events) -> {
            reply(turn, input, events);
            turn.updateThread(t -> t.withTitle("T"));
        };
        var events = create("first words");
        var r = user.post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + threadId(events) + "\"}}").body();
        assertThat(r.path("id").asText()).isEqualTo(threadId(events));
        assertThat(r.path("title").asText()).isEqualTo("T");
        assertThat(r.path("items").path("data").get(0).path("type").asText()).isEqualTo("user_message");
        assertThat(r.path("items").path("data").get(1).path("type").asText()).isEqualTo("assistant_message");
    }

    @Test
    void s34_updateRenamesTheThread() {
        var events = create("hi");
        var r = user.post("{\"type\":\"threads.update\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"title\":\"New Title\"}}").body();
        assertThat(r.path("title").asText()).isEqualTo("New Title");
        assertThat(r.path("items").path("data").size()).isZero();
        assertThat(store().loadThread(user.userId(), threadId(events)).title()).isEqualTo("New Title");
    }

    @Test
    void s37_deleteRemovesTheThread() {
        var events = create("hi");
        String thread = threadId(events);
        assertThat(user.post("{\"type\":\"threads.delete\",\"params\":{\"thread_id\":\"" + thread + "\"}}").body().toString())
                .isEqualTo("{}");
        var r = user.post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + thread + "\"}}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("error").path("message").asText()).isEqualTo("Thread " + thread + " not found");
    }

    @Test
    void s38_removedItemIsGone() {
        responder.script = (turn, input, events) -> {
            var a = assistant(turn, "draft");
            events.emit(new ThreadStreamEvent.ItemDone(a));
            events.emit(new ThreadStreamEvent.ItemRemoved(a.id()));
        };
        var events = create("hi");
        var items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + threadId(events) + "\"}}").body();
        assertThat(items.path("data").size()).isEqualTo(1);
        assertThat(items.toString()).doesNotContain("draft");
    }

    @Test
    void s39_respondFailureBecomesOneErrorEventAndTheStreamEnds() {
        responder.script = (turn, input, events) -> {
            throw new IllegalStateException("boom: internal detail");
        };
        var events = create("hi");
        assertThat(types(events)).containsExactly("thread.created", "thread.item.done", "stream_options", "error");
        assertThat(events.getLast().path("code").asText()).isEqualTo("stream.error");
        assertThat(events.getLast().path("allow_retry").asBoolean()).isTrue();
        assertThat(events.toString()).doesNotContain("boom").doesNotContain("Exception");
    }

    @Test
    void customStreamErrorCarriesItsMessage() {
        responder.script = (turn, input, events) -> {
            throw StreamError.custom("The model is busy, try again in a minute.", true);
        };
        var events = create("hi");
        assertThat(events.getLast().toString())
                .isEqualTo("{\"type\":\"error\",\"code\":\"custom\",\"message\":\"The model is busy, try again in a minute.\","
                        + "\"allow_retry\":true}");
    }

    @Test
    void partialTextIsKeptWhenTheResponderFails() {
        responder.script = (turn, input, events) -> {
            String id = turn.newId(IdKind.MESSAGE);
            events.emit(new ThreadStreamEvent.ItemAdded(new ThreadItem.AssistantMessage(id, turn.thread().id(), turn.now(), List.of())));
            events.emit(new ThreadStreamEvent.ItemUpdated(id, new ThreadItemUpdate.TextDelta(0, "Half an ans")));
            throw new java.io.IOException("upstream cut");
        };
        var events = create("hi");
        assertThat(events.getLast().path("type").asText()).isEqualTo("error");
        var items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + threadId(events) + "\"}}").body();
        assertThat(items.path("data").get(0).path("content").get(0).path("text").asText()).isEqualTo("Half an ans");
    }

    @Test
    void s40_s41_replacedItemsAreStored() {
        responder.script = (turn, input, events) -> {
            var a = assistant(turn, "first");
            events.emit(new ThreadStreamEvent.ItemDone(a));
            events.emit(new ThreadStreamEvent.ItemReplaced(new ThreadItem.AssistantMessage(
                    a.id(), a.threadId(), a.createdAt(), List.of(AssistantContent.of("replaced")))));
            var w = new ThreadItem.Widget(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card("old"), null);
            events.emit(new ThreadStreamEvent.ItemDone(w));
            events.emit(new ThreadStreamEvent.ItemReplaced(
                    new ThreadItem.Widget(w.id(), w.threadId(), w.createdAt(), card("new"), null)));
        };
        var events = create("hi");
        assertThat(events.getLast().path("item").path("widget").path("children").get(0).path("value").asText()).isEqualTo("new");
        var items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"order\":\"asc\"}}").body().path("data");
        assertThat(items.size()).isEqualTo(3);
        assertThat(items.get(1).path("content").get(0).path("text").asText()).isEqualTo("replaced");
        assertThat(items.get(2).path("widget").path("children").get(0).path("value").asText()).isEqualTo("new");
    }

    @Test
    void s42_retryRegeneratesTheAnswerToTheSameMessage() {
        var events = create("hi");
        String thread = threadId(events);
        String userMessageId = events.get(1).path("item").path("id").asText();
        String oldAnswer = events.getLast().path("item").path("id").asText();
        responder.script = (turn, input, out) -> out.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "Retried response")));
        var retry = user.stream("{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"item_id\":\"" + userMessageId + "\"}}");
        assertThat(types(retry)).containsExactly("stream_options", "thread.item.done");
        assertThat(responder.lastCall().input().id()).isEqualTo(userMessageId);
        var items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}")
                .body().path("data");
        assertThat(items.size()).isEqualTo(2);
        assertThat(items.get(1).path("content").get(0).path("text").asText()).isEqualTo("Retried response");
        assertThat(items.get(1).path("id").asText()).isNotEqualTo(oldAnswer);
    }

    @Test
    void s43_retryOnAnAssistantItemIsRefused() {
        var events = create("hi");
        var r = user.post("{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"item_id\":\"" + events.getLast().path("item").path("id").asText() + "\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").path("message").asText()).contains("is not a user message");
    }

    @Test
    void s44_retryAfterTheSecondMessageKeepsTheFirstPair() {
        var events = create("First message");
        String thread = threadId(events);
        var second = user.stream("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"input\":" + message("Second message") + "}}");
        String secondId = second.get(0).path("item").path("id").asText();
        var before = store().loadItems(user.userId(), thread, null, 10, Order.ASC).data();
        responder.script = (turn, input, out) -> out.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "Again")));
        user.stream("{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":\"" + thread
                + "\",\"item_id\":\"" + secondId + "\"}}");
        assertThat(responder.lastCall().input().text()).isEqualTo("Second message");
        var after = store().loadItems(user.userId(), thread, null, 10, Order.ASC).data();
        assertThat(after).hasSize(4);
        assertThat(after.subList(0, 3)).isEqualTo(before.subList(0, 3));
        assertThat(after.get(3).id()).isNotEqualTo(before.get(3).id());
        assertThat(((ThreadItem.AssistantMessage) after.get(3)).text()).isEqualTo("Again");
    }

    @Test
    void s45_s47_toolChoiceReachesRespond() {
        String input = "{\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}],\"attachments\":[],"
                + "\"inference_options\":{\"tool_choice\":{\"id\":\"search\"},\"model\":\"fast\"}}";
        var events = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":" + input + "}}");
        assertThat(responder.lastCall().input().inferenceOptions().toolChoice().id()).isEqualTo("search");
        assertThat(responder.lastCall().input().inferenceOptions().model()).isEqualTo("fast");
        user.stream("{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + threadId(events)
                + "\",\"input\":" + input.replace("search", "calc") + "}}");
        assertThat(responder.lastCall().input().inferenceOptions().toolChoice().id()).isEqualTo("calc");
    }
}
