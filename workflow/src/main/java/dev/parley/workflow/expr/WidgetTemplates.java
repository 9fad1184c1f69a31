package dev.parley.workflow.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Widget templates: a ChatKit widget tree whose strings may hold {@code {{ path }}} bindings to an agent's structured
 * output ({@code {{ slots }}}, {@code {{ company.name }}}, {@code {{ rows[0].label }}}). A string that is exactly one
 * binding takes the bound value with its JSON type (a list for a Select's options or a Chart's data); a binding
 * inside longer text is replaced by the value's text.
 *
 * <pre>{@code
 * {"type": "Card", "children": [{"type": "Title", "value": "Hello {{ name }}"}]}
 * }</pre>
 */
public final class WidgetTemplates {
    /** The root types ChatKit accepts for a widget item. */
    public static final Set<String> ROOTS = Set.of("Card", "ListView", "Basic");
    /** The controls whose values a form collects; locked once the form was sent. */
    private static final Set<String> CONTROLS = Set.of("Input", "Textarea", "Select", "Checkbox", "RadioGroup",
            "DatePicker", "Button");
    private static final Pattern BINDING = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+])*)\\s*}}");
    private static final Pattern WHOLE = Pattern.compile("\\s*" + BINDING.pattern() + "\\s*");
    private static final Pattern STEP = Pattern.compile("\\.?([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

    private WidgetTemplates() {}

    /** One binding found in a template: where it is (a JSON-pointer-like location) and its path. */
    public record Binding(String location, String path) {
        /** {@return the path's steps: property names, and list indexes as digit strings} */
        public List<String> steps() {
            List<String> steps = new ArrayList<>();
            Matcher m = STEP.matcher(path);
            while (m.find()) steps.add(m.group(1) != null ? m.group(1) : m.group(2));
            return steps;
        }
    }

    /** {@return every binding in the template, in document order} */
    public static List<Binding> bindings(JsonNode template) {
        List<Binding> out = new ArrayList<>();
        walk(template, "widget", (location, text) -> {
            Matcher m = BINDING.matcher(text);
            while (m.find()) out.add(new Binding(location, m.group(1)));
        });
        return out;
    }

    /** {@return a copy of the template with its bindings replaced by values of {@code output}} */
    public static JsonNode fill(JsonNode template, JsonNode output) {
        if (template == null) return null;
        if (template.isTextual()) {
            String text = template.textValue();
            Matcher whole = WHOLE.matcher(text);
            if (whole.matches()) return copyOrNull(resolve(output, new Binding("", whole.group(1)).steps()));
            Matcher m = BINDING.matcher(text);
            var sb = new StringBuilder();
            while (m.find()) {
                JsonNode v = resolve(output, new Binding("", m.group(1)).steps());
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString()));
            }
            m.appendTail(sb);
            return TextNode.valueOf(sb.toString());
        }
        if (template.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            template.forEach(v -> out.add(fill(v, output)));
            return out;
        }
        if (template.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : template.properties()) out.set(e.getKey(), fill(e.getValue(), output));
            return out;
        }
        return template.deepCopy();
    }

    /**
     * {@return whether the widget has an action the server handles}: a button, list item, form or Card confirm whose
     * action has no {@code handler: "client"}. Such a widget waits for the user; one without just shows.
     */
    public static boolean hasServerAction(JsonNode widget) {
        if (widget == null || !widget.isContainerNode()) return false;
        if (widget.isObject()) {
            for (String key : List.of("onClickAction", "onSubmitAction")) {
                JsonNode a = widget.get(key);
                if (a != null && a.isObject() && !"client".equals(a.path("handler").asText())) return true;
            }
            JsonNode confirm = widget.path("confirm").path("action");
            if (confirm.isObject() && !"client".equals(confirm.path("handler").asText())) return true;
        }
        for (JsonNode child : widget) if (hasServerAction(child)) return true;
        return false;
    }

    /**
     * {@return the widget as it stays in the thread once sent}: every control disabled and showing what was sent
     * ({@code values} by control name), and no actions left, so it cannot be sent twice.
     */
    public static JsonNode lock(JsonNode widget, JsonNode values) {
        JsonNode out = widget.deepCopy();
        lockNode(out, values == null ? JsonNodeFactory.instance.objectNode() : values);
        return out;
    }

    private static void lockNode(JsonNode node, JsonNode values) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("onClickAction", "onSubmitAction", "onChangeAction", "confirm", "cancel"));
            if (CONTROLS.contains(o.path("type").asText())) {
                o.put("disabled", true);
                String name = o.path("name").asText("");
                JsonNode sent = values.get(name);
                if (!name.isEmpty() && sent != null) {
                    if (o.path("type").asText().equals("Checkbox")) o.put("defaultChecked", sent.asBoolean());
                    else o.set("defaultValue", sent);
                }
            }
        }
        if (node != null && node.isContainerNode()) for (JsonNode child : node) lockNode(child, values);
    }

    private static JsonNode copyOrNull(JsonNode v) {
        return v == null ? JsonNodeFactory.instance.nullNode() : v.deepCopy();
    }

    private static JsonNode resolve(JsonNode output, List<String> steps) {
        JsonNode at = output;
        for (String step : steps) {
            if (at == null) return null;
            at = Character.isDigit(step.charAt(0)) ? at.get(Integer.parseInt(step)) : at.get(step);
        }
        return at;
    }

    private static void walk(JsonNode node, String location, BiConsumer<String, String> onText) {
        if (node == null) return;
        if (node.isTextual()) onText.accept(location, node.textValue());
        else if (node.isArray()) for (int i = 0; i < node.size(); i++) walk(node.get(i), location + "[" + i + "]", onText);
        else if (node.isObject()) for (var e : node.properties()) walk(e.getValue(), location + "." + e.getKey(), onText);
    }
}
