package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.store.IdKind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * User B must get 404, the same answer as for a thread that does not exist, for every request type that names
 * user A's thread, items or attachments; and A's conversation must be untouched afterwards.
 */
class IsolationTest {
    static final ScriptedResponder responder = new ScriptedResponder();
    static TestServer server;
    static TestServer.User alice;
    static TestServer.User bob;
    static String thread;
    static String userMessage;
    static String widget;
    static String question;
    static String attachment;
    static String before;

    @BeforeAll
    static void aliceHasAConversation() {
        server = TestServer.start(responder);
        alice = server.newUser();
        bob = server.newUser();
        responder.script = (turn, input, events) -> {
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.Widget(turn.newId(IdKind.MESSAGE),
                    turn.thread().id(), turn.now(), ScriptedServerTest.card("w"), null)));
            events.emit(new ThreadStreamEvent.ItemDone(new ThreadItem.StructuredInput(turn.newId(IdKind.MESSAGE),
                    turn.thread().id(), turn.now(), null,
                    List.of(new dev.parley.protocol.Question.Freeform("q", "Why?", null, null)))));
        };
        var events = alice.stream("{\"type\":\"threads.create\",\"params\":{\"input\":"
                + ScriptedServerTest.message("private words") + "}}");
        thread = events.get(0).path("thread").path("id").asText();
        userMessage = events.get(1).path("item").path("id").asText();
        widget = events.get(3).path("item").path("id").asText();
        question = events.get(4).path("item").path("id").asText();
        JsonNode created = alice.post("{\"type\":\"attachments.create\",\"params\":{\"name\":\"a.txt\",\"size\":5,"
                + "\"mime_type\":\"text/plain\"}}").body();
        attachment = created.path("id").asText();
        before = alice.post(getThread()).body().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String getThread() {
        return "{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + thread + "\"}}";
    }

    static List<String> foreignRequests() {
        String input = ScriptedServerTest.message("sneaky");
        return List.of(
                getThread(),
                "{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\"}}",
                "{\"type\":\"items.feedback\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_ids\":[\"" + widget
                        + "\"],\"kind\":\"negative\"}}",
                "{\"type\":\"threads.update\",\"params\":{\"thread_id\":\"" + thread + "\",\"title\":\"pwned\"}}",
                "{\"type\":\"threads.delete\",\"params\":{\"thread_id\":\"" + thread + "\"}}",
                "{\"type\":\"threads.sync_custom_action\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_id\":\""
                        + widget + "\",\"action\":{\"type\":\"x\"}}}",
                "{\"type\":\"attachments.delete\",\"params\":{\"attachment_id\":\"" + attachment + "\"}}",
                "{\"type\":\"threads.add_user_message\",\"params\":{\"thread_id\":\"" + thread + "\",\"input\":" + input + "}}",
                "{\"type\":\"threads.add_client_tool_output\",\"params\":{\"thread_id\":\"" + thread + "\",\"result\":{}}}",
                "{\"type\":\"threads.add_structured_input\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_id\":\""
                        + question + "\",\"input\":{\"answers\":{}}}}",
                "{\"type\":\"threads.retry_after_item\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_id\":\""
                        + userMessage + "\"}}",
                "{\"type\":\"threads.custom_action\",\"params\":{\"thread_id\":\"" + thread + "\",\"item_id\":\"" + widget
                        + "\",\"action\":{\"type\":\"x\"}}}",
                "{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}],"
                        + "\"attachments\":[\"" + attachment + "\"],\"inference_options\":{}}}}");
    }

    @ParameterizedTest
    @MethodSource("foreignRequests")
    void anotherUsersRecordsAreNotFound(String request) {
        var r = bob.post(request);
        assertThat(r.status()).as(request).isEqualTo(404);
        assertThat(r.body().path("error").path("code").asText()).isEqualTo("not_found");
        // Exactly what a made-up id gets, so B cannot tell "someone else's" from "missing".
        var missing = bob.post(request.replace(thread, "thr_doesnotexist0000").replace(attachment, "atc_doesnotexist00"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(r.body().path("error").path("message").asText())
                .isEqualTo(missing.body().path("error").path("message").asText()
                        .replace("thr_doesnotexist0000", thread).replace("atc_doesnotexist00", attachment));
        assertThat(alice.post(getThread()).body().toString()).isEqualTo(before);
    }

    @Test
    void listsShowOnlyYourOwnThreads() {
        JsonNode bobs = bob.post("{\"type\":\"threads.list\",\"params\":{}}").body();
        assertThat(bobs.toString()).doesNotContain(thread);
        JsonNode alices = alice.post("{\"type\":\"threads.list\",\"params\":{}}").body();
        assertThat(alices.toString()).contains(thread);
    }
}
