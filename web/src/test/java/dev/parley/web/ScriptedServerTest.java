package dev.parley.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.AssistantContent;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A running server per test class whose responder each test scripts, and a fresh user per test; plus the
 * small builders the protocol tests share.
 */
abstract class ScriptedServerTest {
    static final ScriptedResponder responder = new ScriptedResponder();
    static TestServer server;
    TestServer.User user;

    @BeforeAll
    static void start() {
        server = TestServer.start(responder);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshUser() {
        responder.script = ScriptedServerTest::reply;
        responder.calls.clear();
        user = server.newUser();
    }

    static ThreadItem.AssistantMessage assistant(Turn turn, String text) {
        return new ThreadItem.AssistantMessage(
                turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), List.of(AssistantContent.of(text)));
    }

    /** The default script: one finished assistant message. */
    static void reply(Turn turn, ThreadItem.UserMessage input, EventSink events) {
        events.emit(new ThreadStreamEvent.ItemDone(assistant(turn, "Hello from the assistant")));
    }

    /** {@return a composer input with one text part} */
    static String message(String text) {
        return "{\"content\":[{\"type\":\"input_text\",\"text\":\"" + text + "\"}],\"attachments\":[],\"inference_options\":{}}";
    }

    /** {@return a Card widget with one Text component} */
    static ObjectNode card(String text) {
        ObjectNode card = ChatKitJson.emptyObject().put("type", "Card");
        card.putArray("children").addObject().put("type", "Text").put("id", "text").put("value", text);
        return card;
    }
}
