package dev.parley.web;

import dev.parley.protocol.Action;
import dev.parley.protocol.ThreadItem;
import dev.parley.server.EventSink;
import dev.parley.server.Responder;
import dev.parley.server.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * A responder whose behaviour each test sets, as chatkit-python's tests subclass the server. It records
 * every call so tests can assert what the dispatcher handed over.
 */
final class ScriptedResponder implements Responder {
    @FunctionalInterface
    interface Script {
        void run(Turn turn, ThreadItem.UserMessage input, EventSink events) throws Exception;
    }

    @FunctionalInterface
    interface ActionScript {
        void run(Turn turn, Action action, ThreadItem.Widget sender, EventSink events) throws Exception;
    }

    @FunctionalInterface
    interface SyncScript {
        ThreadItem run(Turn turn, Action action, ThreadItem.Widget sender) throws Exception;
    }

    record Call(String userId, ThreadItem.UserMessage input, Action action, ThreadItem.Widget sender) {}

    volatile Script script = (turn, input, events) -> {};
    volatile ActionScript actionScript = (turn, action, sender, events) -> {};
    volatile SyncScript syncScript = (turn, action, sender) -> null;
    final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) throws Exception {
        calls.add(new Call(turn.context().userId(), input, null, null));
        script.run(turn, input, events);
    }

    @Override
    public void action(Turn turn, Action action, ThreadItem.Widget sender, EventSink events) throws Exception {
        calls.add(new Call(turn.context().userId(), null, action, sender));
        actionScript.run(turn, action, sender, events);
    }

    @Override
    public ThreadItem syncAction(Turn turn, Action action, ThreadItem.Widget sender) throws Exception {
        calls.add(new Call(turn.context().userId(), null, action, sender));
        return syncScript.run(turn, action, sender);
    }

    Call lastCall() {
        return calls.getLast();
    }
}
