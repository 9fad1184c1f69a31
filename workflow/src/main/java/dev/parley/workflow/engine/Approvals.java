package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ThreadItem;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import java.util.List;

/**
 * The question a paused run asks in the chat, for a {@code user_approval} node or an MCP tool call that needs the
 * user's leave: a widget with Approve and Reject buttons. Clients without widgets show its copy text, which says to
 * answer yes or no instead.
 */
final class Approvals {
    /** The action type of the buttons; the payload says which node, which call (for tools) and which decision. */
    static final String ACTION = "parley.approval";
    private static final int MAX_ARGUMENTS_SHOWN = 300;

    private Approvals() {}

    /** @param callId the tool call waiting for leave, or null for a {@code user_approval} node */
    static ThreadItem.Widget widget(Turn turn, String nodeId, String callId, String question) {
        var f = JsonNodeFactory.instance;
        ObjectNode card = f.objectNode().put("type", "Card");
        var children = card.putArray("children");
        children.addObject().put("type", "Text").put("id", "question").put("value", question);
        var row = children.addObject().put("type", "Row").put("gap", 2);
        var buttons = row.putArray("children");
        for (String decision : List.of("approved", "rejected")) {
            ObjectNode button = buttons.addObject().put("type", "Button").put("id", decision)
                    .put("label", decision.equals("approved") ? "Approve" : "Reject")
                    .put("style", decision.equals("approved") ? "primary" : "secondary");
            ObjectNode payload = button.putObject("onClickAction").put("type", ACTION).putObject("payload")
                    .put("node", nodeId).put("decision", decision);
            if (callId != null) payload.put("call", callId);
        }
        return new ThreadItem.Widget(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), card,
                question + " (Reply yes to approve or no to reject.)");
    }

    /** {@return the question for a tool call: which tool, with what (secrets hidden, long values cut)} */
    static String toolQuestion(String tool, JsonNode arguments) {
        String shown = arguments == null || arguments.isEmpty() ? "" : Redaction.redact(arguments).toString();
        if (shown.length() > MAX_ARGUMENTS_SHOWN) shown = shown.substring(0, MAX_ARGUMENTS_SHOWN) + "…";
        return "Allow the assistant to run " + tool + (shown.isEmpty() ? "" : " with " + shown) + "?";
    }
}
