package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Action;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.EventSink;
import dev.parley.server.Turn;
import dev.parley.store.IdKind;
import dev.parley.workflow.Node;
import dev.parley.workflow.expr.WidgetTemplates;
import java.util.Map;

/**
 * An agent's widget output: its template filled from the structured output and put into the thread. A widget with
 * an action the server handles (a form's submit, a button) pauses the run there; the action then continues it,
 * with what was sent as the next node's {@code input} and as {@code workflow.input_as_text}.
 */
final class WidgetOutput {
    /** The {@code paused.tools.kind} of a run waiting on a widget's action. */
    static final String KIND = "widget";

    private WidgetOutput() {}

    /** {@return the pause state when the widget waits for an action, else null} Emits the filled widget. */
    static ObjectNode show(Node.Agent a, JsonNode output, Turn turn, EventSink events, RunTrace.Span span) {
        JsonNode filled = WidgetTemplates.fill(a.output().widget(), output);
        var item = new ThreadItem.Widget(turn.newId(IdKind.MESSAGE), turn.thread().id(), turn.now(), filled,
                copyText(filled));
        events.emit(new ThreadStreamEvent.ItemDone(item));
        span.json.set("widget", filled);
        if (!WidgetTemplates.hasServerAction(filled)) return null;
        return JsonNodeFactory.instance.objectNode().put("kind", KIND).put("node", a.id()).put("item", item.id());
    }

    /**
     * {@return the action as the text a model (or a person reading the trace) understands: one line per value sent,
     * or the action's type when it sent none}
     */
    static String describe(Action action) {
        var text = new StringBuilder();
        JsonNode payload = action.payload();
        if (payload != null && payload.isObject()) {
            for (Map.Entry<String, JsonNode> e : payload.properties()) {
                JsonNode v = e.getValue();
                if (!text.isEmpty()) text.append('\n');
                text.append(e.getKey()).append(": ").append(v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return text.isEmpty() ? action.type() : text.toString();
    }

    /** The widget's words, for clients that show no widgets and for copying. */
    private static String copyText(JsonNode widget) {
        var text = new StringBuilder();
        collect(widget, text);
        return text.toString().strip();
    }

    private static void collect(JsonNode node, StringBuilder text) {
        if (node == null || !node.isContainerNode()) return;
        if (node.isObject()) {
            for (String key : new String[] {"value", "label"}) {
                JsonNode v = node.get(key);
                if (v != null && v.isTextual() && !v.textValue().isBlank()) text.append(v.textValue()).append('\n');
            }
        }
        for (JsonNode child : node) collect(child, text);
    }
}
