package dev.parley.workflow.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.workflow.Node;
import dev.parley.workflow.expr.WidgetTemplates;
import java.util.ArrayList;
import java.util.List;

/**
 * Publish-time rules for an agent's widget output: the template's root is a widget root ChatKit shows, and every
 * {@code {{ path }}} binding names a value the agent's {@code output_schema} declares, so that no widget goes out
 * with a hole where a typo was.
 */
final class WidgetTemplateRules {
    private final WorkflowValidator validator;

    WidgetTemplateRules(WorkflowValidator validator) {
        this.validator = validator;
    }

    void check(Node.Agent a) {
        JsonNode widget = a.output().widget();
        if (widget == null) return;
        String root = widget.path("type").asText("");
        if (!WidgetTemplates.ROOTS.contains(root)) {
            validator.error(a.id(), "widget.type", root.isEmpty() ? "the widget has no `type`"
                            : "`" + root + "` cannot be the root of a widget",
                    "make the root a `Card` (or a `ListView` or `Basic`) and put the other components in its `children`.");
        }
        JsonNode schema = a.output().schema();
        if (schema == null) return;
        for (WidgetTemplates.Binding b : WidgetTemplates.bindings(widget)) {
            String missing = missing(schema, b.steps());
            if (missing == null) continue;
            validator.error(a.id(), b.location(), "`{{ " + b.path() + " }}` is bound, but the output schema has no `"
                            + missing + "` there",
                    "bind one of " + known(schema, b.steps()) + ", or add `" + missing + "` to `output_schema`.");
        }
    }

    /** {@return the first step the schema does not declare, or null when the whole path exists} */
    private static String missing(JsonNode schema, List<String> steps) {
        JsonNode at = schema;
        for (String step : steps) {
            if (Character.isDigit(step.charAt(0))) {
                if (!at.has("items")) return "[" + step + "]";
                at = at.get("items");
            } else {
                JsonNode next = at.path("properties").get(step);
                if (next == null) return step;
                at = next;
            }
        }
        return null;
    }

    /** {@return the property names declared where the path went wrong, for the fix} */
    private static String known(JsonNode schema, List<String> steps) {
        JsonNode at = schema;
        for (String step : steps) {
            JsonNode next = Character.isDigit(step.charAt(0)) ? at.get("items") : at.path("properties").get(step);
            if (next == null) break;
            at = next;
        }
        List<String> names = new ArrayList<>();
        at.path("properties").fieldNames().forEachRemaining(n -> names.add("`" + n + "`"));
        return names.isEmpty() ? "the schema's values" : String.join(", ", names);
    }
}
