package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Agent nodes: instructions, messages, model and its settings, output format, history flags and tools. */
final class AbAgents {
    /** Settings this class reads; any other key in an agent's config is reported, never dropped unseen. */
    private static final Set<String> KNOWN = Set.of("instructions", "messages", "model", "reasoning", "text", "tools",
            "reads_from_history", "writes_to_history", "user_visible", "show_progress_to_user", "variable_mapping",
            "hidden_properties", "parallel_tool_calls", "temperature", "top_p", "max_output_tokens");
    private static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high");

    private final AbContext cx;
    private final AbTools tools;

    AbAgents(AbContext cx) {
        this.cx = cx;
        this.tools = new AbTools(cx);
    }

    void convert(AbNode.Agent a) {
        JsonNode c = a.config();
        String at = a.id();
        ObjectNode n = cx.node(cx.pid(at), "agent", a.label());
        model(a, n);
        StringBuilder instructions = new StringBuilder(cx.expressions.template(at, c.path("instructions")));
        ObjectNode settings = cx.json.objectNode();
        reasoning(a, settings);
        for (String f : List.of("temperature", "top_p", "max_output_tokens")) {
            if (c.hasNonNull(f)) settings.set(f, c.get(f));
        }
        if (!settings.isEmpty()) n.set("model_settings", settings);
        boolean history = c.path("reads_from_history").asBoolean(false);
        String userPrompt = messages(a, instructions, history);
        if (!instructions.isEmpty()) n.put("instructions", instructions.toString());
        if (userPrompt != null) n.put("user_prompt", userPrompt);
        if (history) {
            n.put("include_chat_history", true);
            sameRunHistory(a);
        }
        output(a, n);
        var list = tools.convert(a);
        if (!list.isEmpty()) n.set("tools", list);
        flags(a);
    }

    private void model(AbNode.Agent a, ObjectNode n) {
        JsonNode m = a.config().path("model");
        String src = AbValues.expression(m).trim();
        if (src.isEmpty()) return;
        String name = AbValues.isCel(m) ? AbCel.stringLiteral(src) : src;
        if (name != null && !name.isBlank()) {
            n.put("model", name);
        } else {
            cx.warning(a.id(), "the model is the expression `" + src + "`; a Parley agent names one model, so the "
                    + "server's default model (PARLEY_MODEL) answers instead", "set `model` on the agent.");
        }
    }

    private void reasoning(AbNode.Agent a, ObjectNode settings) {
        JsonNode r = a.config().path("reasoning");
        String effort = r.path("effort").asText(null);
        if (effort != null && EFFORTS.contains(effort)) {
            settings.put("reasoning_effort", effort);
        } else if (effort != null) {
            cx.warning(a.id(), "reasoning effort `" + effort + "` has no Parley equivalent (Parley accepts minimal, "
                    + "low, medium and high); the model's default applies", "set `model_settings.reasoning_effort`.");
        }
        String summary = r.path("summary").asText(null);
        if (summary != null) {
            cx.warning(a.id(), "reasoning summary `" + summary + "` is not carried over: Parley does not show "
                    + "reasoning summaries in the chat", null);
        }
    }

    /**
     * Folds Agent Builder's extra input messages into the one user prompt Parley sends (system and developer
     * messages into the instructions); {@return the user prompt, or null for Parley's default, the user's message}
     */
    private String messages(AbNode.Agent a, StringBuilder instructions, boolean history) {
        JsonNode list = a.config().path("messages");
        if (!list.isArray() || list.isEmpty()) return null;
        List<String[]> turns = new ArrayList<>();
        boolean assistant = false;
        for (JsonNode m : list) {
            String role = m.path("role").asText("user");
            String text = AbCel.templateText(contentText(m.path("content")));
            if (text.isBlank()) continue;
            if (role.equals("system") || role.equals("developer")) {
                if (!instructions.isEmpty()) instructions.append("\n\n");
                instructions.append(text);
            } else {
                assistant |= role.equals("assistant");
                turns.add(new String[] {role, text});
            }
        }
        if (turns.isEmpty()) return null;
        StringBuilder prompt = new StringBuilder(history ? "{{ workflow.input_as_text }}" : "");
        for (String[] t : turns) {
            if (!prompt.isEmpty()) prompt.append("\n\n");
            if (assistant) prompt.append(t[0].equals("assistant") ? "Assistant: " : "User: ");
            prompt.append(t[1]);
        }
        cx.warning(a.id(), "its " + list.size() + " input messages are folded into the user prompt"
                        + (history ? ", after the user's message" : "") + ": Parley sends an agent one user message, "
                        + "so the model reads them as text, not as separate turns",
                "check the agent's `user_prompt` (or move fixed guidance into its instructions).");
        return prompt.toString();
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (!part.path("text").isTextual()) continue;
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    /** Agent Builder's history also holds the answers of agents earlier in the same run; Parley's does not. */
    private void sameRunHistory(AbNode.Agent a) {
        List<String> earlier = cx.graph.ancestors(a.id()).stream()
                .filter(id -> cx.graph.nodes.get(id) instanceof AbNode.Agent e
                        && e.config().path("writes_to_history").asBoolean(true))
                .map(cx::pid).toList();
        if (earlier.isEmpty()) return;
        cx.warning(a.id(), "it reads the conversation, which in Agent Builder includes the answers of "
                        + String.join(", ", earlier.stream().map(e -> "`" + e + "`").toList())
                        + " earlier in the same run; Parley's chat history holds earlier turns only",
                "if it needs those answers, add them to its `user_prompt`, e.g. `{{ " + earlier.get(earlier.size() - 1)
                        + ".output_text }}`.");
    }

    private void output(AbNode.Agent a, ObjectNode n) {
        JsonNode text = a.config().path("text");
        JsonNode format = text.path("format");
        String type = format.path("type").asText("text");
        switch (type) {
            case "text" -> n.put("output_format", "text");
            case "json_schema" -> {
                n.put("output_format", "json_schema");
                if (format.hasNonNull("name")) n.put("output_schema_name", format.get("name").asText());
                n.set("output_schema", format.path("schema"));
            }
            default -> cx.error(a.id(), "output format `" + type + "` has no Parley equivalent (Parley agents answer "
                    + "in text or in JSON of a schema)", "set the agent's output to text or to a JSON schema.");
        }
        String verbosity = text.path("verbosity").asText(null);
        if (verbosity != null && !verbosity.equals("medium")) {
            cx.warning(a.id(), "verbosity `" + verbosity + "` is not carried over: Parley has no verbosity setting",
                    "say how long the answer should be in the instructions.");
        }
    }

    private void flags(AbNode.Agent a) {
        JsonNode c = a.config();
        if (!c.path("writes_to_history").asBoolean(true)) {
            cx.note(a.id(), "`writes_to_history` is off; in Parley only a turn's reply (an End's `message`) enters the "
                    + "chat history, whichever agent wrote it");
        }
        if (!c.path("show_progress_to_user").asBoolean(true)) {
            cx.warning(a.id(), "`show_progress_to_user` is off: Parley shows a progress line with the label of every "
                    + "agent while it runs", null);
        }
        if (!c.path("parallel_tool_calls").asBoolean(true)) {
            cx.warning(a.id(), "`parallel_tool_calls` is off: Parley runs the tool calls of one answer side by side",
                    null);
        }
        JsonNode mapping = c.path("variable_mapping");
        if (mapping.isArray() && !mapping.isEmpty() || mapping.isObject() && !mapping.isEmpty()) {
            cx.warning(a.id(), "`variable_mapping` " + mapping + " is not carried over: Parley agents read other "
                    + "nodes' outputs in their templates", "reference the values as `{{ node.output_text }}`.");
        }
        List<String> unknown = new ArrayList<>();
        c.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f) && !c.get(f).isNull()) unknown.add(f);
        });
        if (!unknown.isEmpty()) {
            cx.warning(a.id(), "settings " + String.join(", ", unknown.stream().map(u -> "`" + u + "`").toList())
                    + " are not carried over: the importer does not know them", null);
        }
    }
}
