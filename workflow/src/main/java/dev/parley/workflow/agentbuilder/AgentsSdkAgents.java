package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Name;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Str;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One agent node from its definition ({@code Agent(...)}) and the place it runs ({@code Runner.run(agent,
 * input=[…], context=…)}): instructions (text, or a function of the run context), model, model settings, output
 * type, tools, and what it reads (the conversation, fixed messages).
 */
final class AgentsSdkAgents {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high");

    private final AgentsSdkDefinitions defs;
    private final AgentsSdkCel cel;
    private final ImportReport.Builder report;
    private final AgentsSdkTools tools;

    AgentsSdkAgents(AgentsSdkDefinitions defs, AgentsSdkCel cel, ImportReport.Builder report) {
        this.defs = defs;
        this.cel = cel;
        this.report = report;
        this.tools = new AgentsSdkTools(defs, report);
    }

    /**
     * Builds the agent node.
     *
     * @param input   the run's input list (or a single value), null when absent
     * @param context the run context's fields, by name, for an instructions function
     */
    ObjectNode node(String id, AgentsSdkDefinitions.AgentDef def, AgentsSdkExpr input,
                    Map<String, AgentsSdkExpr> context, int runLine) {
        ObjectNode node = F.objectNode().put("id", id).put("type", "agent");
        Map<String, AgentsSdkExpr> c = def.config();
        String where = "line " + def.line();
        if (c.get("name") instanceof Str s && s.text() != null) node.put("label", s.text());
        String instructions = instructions(c.get("instructions"), context, id);
        if (c.get("model") instanceof Str m && m.text() != null) node.put("model", m.text());
        else if (c.containsKey("model")) report.warning(where, "agent `" + id + "`: the model is not a fixed name ("
                + AgentsSdkExpr.show(c.get("model")) + ") and was left out", "set `model` on the imported agent.");
        ObjectNode settings = settings(c.get("model_settings"), id);
        if (!settings.isEmpty()) node.set("model_settings", settings);
        Reading reading = reading(input, id, runLine);
        if (!reading.systemTexts.isEmpty()) {
            String extra = String.join("\n\n", reading.systemTexts);
            instructions = instructions == null || instructions.isEmpty() ? extra : instructions + "\n\n" + extra;
        }
        if (instructions != null) node.put("instructions", instructions);
        if (reading.userPrompt != null) node.put("user_prompt", reading.userPrompt);
        node.put("include_chat_history", reading.history);
        if (c.get("output_type") != null) {
            ObjectNode schema = defs.schemas.outputSchema(c.get("output_type"));
            node.put("output_format", schema == null ? "text" : "json_schema");
            if (schema != null) node.set("output_schema", schema);
            if (schema != null && !defs.schemas.isZod(c.get("output_type")) && !defs.schemas.isZodName(c.get("output_type"))) {
                report.note(where, "agent `" + id + "`: its Pydantic output type became a JSON schema; the Python "
                        + "export writes plain field types, so enums, descriptions and defaults Agent Builder had are missing");
            }
        } else {
            node.put("output_format", "text");
        }
        if (c.get("tools") instanceof AgentsSdkExpr.ListLit l && !l.items().isEmpty()) {
            ArrayNode list = tools.agentTools(l, id);
            if (!list.isEmpty()) node.set("tools", list);
        }
        for (String key : c.keySet()) {
            switch (key) {
                case "name", "instructions", "model", "model_settings", "output_type", "tools" -> { }
                case "handoffs", "input_guardrails", "output_guardrails" -> report.error(where, "agent `" + id + "`: `"
                        + key + "` is not something a Parley agent has", "model it as nodes: an if_else for a "
                        + "handoff, a guardrails node before or after the agent.");
                default -> report.warning(where, "agent `" + id + "`: the setting `" + key + "` has no Parley "
                        + "equivalent and was left out", "check the agent behaves as intended without it.");
            }
        }
        return node;
    }

    private String instructions(AgentsSdkExpr e, Map<String, AgentsSdkExpr> context, String id) {
        if (e == null) return null;
        if (e instanceof Name n && defs.instructions.containsKey(n.id())) {
            AgentsSdkDefinitions.InstructionsFn fn = defs.instructions.get(n.id());
            List<String> bound = new ArrayList<>();
            for (var local : fn.locals().entrySet()) {
                AgentsSdkExpr value = context.get(local.getValue());
                if (value == null) {
                    report.error("line " + fn.line(), "agent `" + id + "`: its instructions read the context field `"
                            + local.getValue() + "`, which the run does not pass", "pass it in the run's context, "
                            + "or write the instructions as text.");
                    continue;
                }
                cel.bind(local.getKey(), new AgentsSdkCel.Value(value));
                bound.add(local.getKey());
            }
            try {
                return template(fn.returned(), id);
            } finally {
                bound.forEach(b -> cel.bind(b, null));
            }
        }
        return template(e, id);
    }

    /** {@return the template for a text expression, or null when it has no Parley form (reported)} */
    String template(AgentsSdkExpr e, String id) {
        try {
            String t = cel.template(e);
            cel.drainCautions().forEach(c -> report.warning("line " + e.line(), "node `" + id + "`: " + c,
                    "check the imported template."));
            return t;
        } catch (AgentsSdkCel.NotCel x) {
            report.error("line " + x.what.line(), "node `" + id + "`: `" + AgentsSdkExpr.show(e)
                    + "` cannot be written as a Parley template: " + x.getMessage(), "rewrite it with `{{ … }}` "
                    + "references to workflow.input_as_text, state.* or earlier nodes' outputs.");
            return null;
        }
    }

    private ObjectNode settings(AgentsSdkExpr e, String id) {
        ObjectNode out = F.objectNode();
        if (e == null) return out;
        Map<String, AgentsSdkExpr> s = entries(e);
        for (var entry : s.entrySet()) {
            String where = "line " + entry.getValue().line();
            AgentsSdkExpr v = entry.getValue();
            switch (entry.getKey()) {
                case "temperature", "top_p" -> number(out, entry.getKey(), v, id);
                case "max_tokens", "max_output_tokens" -> {
                    if (v instanceof AgentsSdkExpr.Num n) out.put("max_output_tokens", (int) Double.parseDouble(n.text()));
                }
                case "reasoning" -> {
                    Map<String, AgentsSdkExpr> r = entries(v);
                    if (r.get("effort") instanceof Str eff && eff.text() != null) {
                        if (EFFORTS.contains(eff.text())) out.put("reasoning_effort", eff.text());
                        else report.warning(where, "agent `" + id + "`: reasoning effort `" + eff.text() + "` is not "
                                + "one Parley knows; the model's default applies", "use minimal, low, medium or high.");
                    }
                    if (r.containsKey("summary") && !(r.get("summary") instanceof AgentsSdkExpr.Const)) {
                        report.note(where, "agent `" + id + "`: the reasoning summary setting has no Parley "
                                + "equivalent (Parley never shows reasoning) and was left out");
                    }
                }
                case "store" -> report.note(where, "agent `" + id + "`: `store` was left out: Parley keeps its "
                        + "own trace of each run");
                case "parallel_tool_calls" -> report.note(where, "agent `" + id + "`: `parallel_tool_calls` was "
                        + "left out: Parley runs the calls of one answer side by side");
                case "verbosity", "text" -> report.warning(where, "agent `" + id + "`: the text verbosity setting "
                        + "has no Parley equivalent; the model's default applies", "ask for the length you want in "
                        + "the instructions.");
                default -> report.warning(where, "agent `" + id + "`: the model setting `" + entry.getKey()
                        + "` has no Parley equivalent and was left out", "check the agent without it.");
            }
        }
        return out;
    }

    private void number(ObjectNode out, String key, AgentsSdkExpr v, String id) {
        if (v instanceof AgentsSdkExpr.Num n) {
            out.put(key, Double.parseDouble(n.text()));
        } else {
            report.warning("line " + v.line(), "agent `" + id + "`: `" + key + "` is not a number and was left out",
                    "set it on the imported agent.");
        }
    }

    /** Keyword arguments of a call ({@code ModelSettings(...)}) or the entries of a dict, keys in snake_case. */
    static Map<String, AgentsSdkExpr> entries(AgentsSdkExpr e) {
        if (e instanceof Call c) return AgentsSdkDefinitions.config(c);
        Map<String, AgentsSdkExpr> out = new LinkedHashMap<>();
        if (e instanceof DictLit d) d.byKey().forEach((k, v) -> out.put(AgentsSdkDefinitions.snake(k), v));
        return out;
    }

    /** What the agent reads: the conversation, and fixed messages folded into its prompt and instructions. */
    private static final class Reading {
        boolean history;
        String userPrompt;
        final List<String> systemTexts = new ArrayList<>();
    }

    private Reading reading(AgentsSdkExpr input, String id, int runLine) {
        Reading r = new Reading();
        if (input == null) {
            report.warning("line " + runLine, "agent `" + id + "`: the run passes no input; Parley sends the user's "
                    + "message", "check the agent's user prompt.");
            return r;
        }
        if (!(input instanceof AgentsSdkExpr.ListLit list)) {
            r.userPrompt = template(input, id);
            return r;
        }
        List<String[]> turns = new ArrayList<>();
        boolean assistant = false;
        List<Integer> lines = new ArrayList<>();
        for (AgentsSdkExpr item : list.items()) {
            if (item instanceof AgentsSdkExpr.Spread s && s.value() instanceof Name n
                    && AgentsSdkDefinitions.snake(n.id()).equals("conversation_history")) {
                r.history = true;
            } else if (item instanceof DictLit d && d.byKey().get("role") instanceof Str role) {
                String text = messageText(d.byKey().get("content"), id);
                if (text == null) continue;
                lines.add(item.line());
                if (text.isBlank()) continue;
                if ("system".equals(role.text()) || "developer".equals(role.text())) {
                    r.systemTexts.add(text);
                } else {
                    assistant |= "assistant".equals(role.text());
                    turns.add(new String[] {role.text(), text});
                }
            } else {
                report.error("line " + item.line(), "agent `" + id + "`: the input item `" + AgentsSdkExpr.show(item)
                        + "` is not one the export writes", "rewrite what the agent reads as its user prompt.");
            }
        }
        if (!lines.isEmpty()) {
            report.warning("line " + lines.getFirst(), "agent `" + id + "`: Parley agents have no list of fixed "
                    + "messages; the " + lines.size() + " message(s) at line(s) " + String.join(", ",
                    lines.stream().map(String::valueOf).toList()) + " were folded into the user prompt"
                    + (r.history ? ", after the user's message" : "") + ", in order (marked `User:` / `Assistant:` when "
                    + "the assistant speaks; system messages go to the instructions), so the model reads them as text, "
                    + "not as separate turns", "check the imported user_prompt and instructions read as intended.");
        }
        // The JSON importer's folding (AbAgents), so both imports of one agent prompt it alike.
        if (!turns.isEmpty()) {
            StringBuilder prompt = new StringBuilder(r.history ? "{{ workflow.input_as_text }}" : "");
            for (String[] t : turns) {
                if (!prompt.isEmpty()) prompt.append("\n\n");
                if (assistant) prompt.append(t[0].equals("assistant") ? "Assistant: " : "User: ");
                prompt.append(t[1]);
            }
            r.userPrompt = prompt.toString();
        } else if (!r.history) {
            report.warning("line " + runLine, "agent `" + id + "`: the run passes neither the conversation nor a user "
                    + "message; Parley sends the user's message", "check the agent's user prompt.");
        }
        return r;
    }

    private String messageText(AgentsSdkExpr content, String id) {
        if (content instanceof Str) return template(content, id);
        List<String> parts = new ArrayList<>();
        if (content instanceof AgentsSdkExpr.ListLit l) {
            for (AgentsSdkExpr part : l.items()) {
                if (part instanceof DictLit d && d.byKey().get("text") != null) {
                    String t = template(d.byKey().get("text"), id);
                    if (t != null) parts.add(t);
                } else {
                    report.error("line " + part.line(), "agent `" + id + "`: the message part `"
                            + AgentsSdkExpr.show(part) + "` is not text, which is all a Parley prompt holds",
                            "describe it in the instructions instead.");
                }
            }
        }
        return parts.isEmpty() ? null : String.join("\n", parts);
    }
}
