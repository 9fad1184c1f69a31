package dev.parley.server;

import dev.parley.protocol.Action;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent.StreamOptions;

/**
 * Produces the assistant's side of a turn. The workflow engine implements it; tests plug in scripted ones.
 *
 * <p>A responder emits events into the sink as they happen ({@code thread.item.added}, then updates, then
 * {@code thread.item.done}); the pipeline around it stores finished items, forwards what the client may see,
 * and sends {@code thread.updated} whenever the responder changed the thread through {@link Turn}. Throwing
 * ends the turn with one {@code error} event: a {@link StreamError} says what the user sees, anything else
 * becomes a generic retryable error and is logged.
 */
@FunctionalInterface
public interface Responder {
    /**
     * Answers a user message, or continues after a client tool output or structured input.
     *
     * @param input the user message this turn answers, or null when the turn continues without one
     */
    void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) throws Exception;

    /** Handles a widget action sent with {@code threads.custom_action}. */
    default void action(Turn turn, Action action, ThreadItem.Widget sender, EventSink events) throws Exception {
        throw StreamError.custom("This assistant does not handle the action \"" + action.type() + "\".", false);
    }

    /**
     * Handles a widget action sent with {@code threads.sync_custom_action}.
     *
     * @return the sender item updated in place, or null for no change
     */
    default ThreadItem syncAction(Turn turn, Action action, ThreadItem.Widget sender) throws Exception {
        throw ChatKitException.notImplemented(
                "action_not_supported", "This assistant does not handle the action \"" + action.type() + "\".");
    }

    /**
     * {@return the title a thread whose first message says {@code said} is created with}, or null for none. The
     * thread is then stored and announced ({@code thread.created}) titled, rather than renamed a moment later.
     */
    default String titleFor(String said) {
        return null;
    }

    /** {@return the options sent first on every stream} */
    default StreamOptions streamOptions(Turn turn) {
        return new StreamOptions(true);
    }
}
