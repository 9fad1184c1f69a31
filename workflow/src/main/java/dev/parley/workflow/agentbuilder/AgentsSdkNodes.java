package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.agentbuilder.AgentsSdkCel.Binding;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Call;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.DictLit;
import dev.parley.workflow.agentbuilder.AgentsSdkExpr.Str;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builders for the nodes whose export is more than one call: guardrails (a configuration dict plus the
 * {@code run_guardrails} sequence), file search (a comprehension over {@code vector_stores.search}), End (whatever
 * the run returns), and the state declaration.
 */
final class AgentsSdkNodes {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Agent Builder's PII entity names → Parley's ({@code docs/workflows.md}, Guardrails). */
    private static final Map<String, String> PII = Map.of("EMAIL_ADDRESS", "email", "PHONE_NUMBER", "phone",
            "CREDIT_CARD", "credit_card", "IBAN_CODE", "iban", "US_SSN", "us_ssn");

    private final AgentsSdkCel cel;
    private final ImportReport.Builder report;

    AgentsSdkNodes(AgentsSdkCel cel, ImportReport.Builder report) {
        this.cel = cel;
        this.report = report;
    }

    // --- guardrails ---------------------------------------------------------------------------------------------

    /** {@return whether a guardrails configuration lists any check at all}; Agent Builder's empty node lists none */
    static boolean configured(AgentsSdkExpr config) {
        AgentsSdkExpr list = config instanceof DictLit d ? d.byKey().get("guardrails") : null;
        return list instanceof AgentsSdkExpr.ListLit l && !l.items().isEmpty();
    }

    /** {@return the checks of a guardrails configuration ({@code {"guardrails": [{"name", "config"}]}})} */
    ArrayNode checks(AgentsSdkExpr config, String id) {
        ArrayNode out = F.arrayNode();
        AgentsSdkExpr list = config instanceof DictLit d ? d.byKey().get("guardrails") : null;
        List<AgentsSdkExpr> items = list instanceof AgentsSdkExpr.ListLit l ? l.items() : List.of();
        for (AgentsSdkExpr item : items) {
            Map<String, AgentsSdkExpr> g = item instanceof DictLit d ? d.byKey() : Map.of();
            String name = g.get("name") instanceof Str s ? s.text() : null;
            Map<String, AgentsSdkExpr> settings = g.get("config") instanceof DictLit c ? c.byKey() : Map.of();
            String where = "line " + item.line();
            String kind = name == null ? null : switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "contains pii", "pii" -> "pii";
                case "jailbreak" -> "jailbreak";
                case "moderation" -> "moderation";
                case "hallucination detection", "hallucination" -> "hallucination";
                default -> null;
            };
            if (kind == null) {
                report.error(where, "guardrails `" + id + "`: Parley has no check like Agent Builder's `" + name
                        + "`, so the workflow would let through what it stops", "remove it, or use `pii`, "
                        + "`jailbreak` or `moderation`.");
                continue;
            }
            ObjectNode check = out.addObject().put("kind", kind);
            switch (kind) {
                case "pii" -> pii(check, settings, id, where);
                case "jailbreak" -> {
                    if (!settings.isEmpty()) report.warning(where, "guardrails `" + id + "`: Parley's jailbreak check "
                            + "looks for known phrasings rather than asking a model, so its model and confidence "
                            + "threshold were left out", "test it with the prompts you worry about.");
                }
                case "moderation" -> {
                    if (settings.containsKey("categories")) report.warning(where, "guardrails `" + id + "`: Parley's "
                            + "moderation check flags harmful content as a whole; the category list was left out",
                            "check it flags what you need.");
                }
                default -> { }
            }
        }
        return out;
    }

    private void pii(ObjectNode check, Map<String, AgentsSdkExpr> settings, String id, String where) {
        if (!(settings.get("entities") instanceof AgentsSdkExpr.ListLit l)) return;
        ArrayNode entities = F.arrayNode();
        List<String> dropped = new ArrayList<>();
        for (AgentsSdkExpr e : l.items()) {
            String name = e instanceof Str s ? s.text() : null;
            if (name != null && PII.containsKey(name)) entities.add(PII.get(name));
            else dropped.add(name == null ? AgentsSdkExpr.show(e) : name);
        }
        if (!dropped.isEmpty()) {
            report.warning(where, "guardrails `" + id + "`: Parley cannot detect " + String.join(", ", dropped)
                    + (entities.isEmpty() ? "; none of the listed kinds remains, so the check looks for every kind "
                    + "it knows (e-mail, phone, card, IBAN, US SSN)" : "; those were left out"),
                    "check which personal data you need to stop; Parley knows email, phone, credit_card, iban, us_ssn.");
        }
        if (!entities.isEmpty()) check.set("entities", entities);
        if (settings.containsKey("block")) {
            report.note(where, "guardrails `" + id + "`: Agent Builder's `block` is how Parley's guardrails always "
                    + "work: found data sends the run down the `fail` branch (nothing is masked)");
        }
    }

    // --- file search --------------------------------------------------------------------------------------------

    /** {@return the {@code vector_stores.search(...)} call somewhere in {@code e}, or null} */
    static Call vectorSearch(AgentsSdkExpr e) {
        return switch (e) {
            case Call c when c.calleeName() != null && (c.calleeName().endsWith("vector_stores.search")
                    || c.calleeName().endsWith("vectorStores.search")) -> c;
            case Call c -> {
                Call inner = vectorSearch(c.callee());
                for (int i = 0; inner == null && i < c.args().size(); i++) inner = vectorSearch(c.args().get(i));
                yield inner;
            }
            case DictLit d -> d.entries().stream().map(en -> vectorSearch(en.value()))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case AgentsSdkExpr.ListLit l -> l.items().stream().map(AgentsSdkNodes::vectorSearch)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            case AgentsSdkExpr.Comprehension c -> vectorSearch(c.source());
            case AgentsSdkExpr.Attr a -> vectorSearch(a.target());
            case AgentsSdkExpr.Await a -> vectorSearch(a.value());
            default -> null;
        };
    }

    ObjectNode fileSearch(String id, Call search, AgentsSdkAgents templates) {
        String where = "line " + search.line();
        Map<String, AgentsSdkExpr> args = AgentsSdkDefinitions.config(search);
        AgentsSdkExpr store = args.get("vector_store_id");
        if (store == null && !search.args().isEmpty()) store = search.args().getFirst();
        if (search.args().size() > 1) args.putAll(AgentsSdkAgents.entries(search.args().get(1)));
        ObjectNode node = F.objectNode().put("id", id).put("type", "file_search");
        ArrayNode bases = node.putArray("knowledge_bases");
        String storeId = store instanceof Str s ? s.text() : null;
        if (storeId == null || storeId.isBlank()) {
            // The JSON importer's choice: a named placeholder base the operator can fill, rather than a refusal.
            bases.add("unnamed");
            report.warning(where, "file search `" + id + "` names no vector store (it was left empty in Agent "
                    + "Builder); Parley searches its own knowledge bases, so it searches the base `unnamed`",
                    "create PARLEY_KNOWLEDGE_DIR/unnamed/ with the documents to search, or rename the base in the "
                    + "workflow to one the server has.");
        } else {
            bases.add(storeId);
            report.warning(where, "file search `" + id + "`: Parley's file_search node searches the server's own "
                    + "knowledge bases, not OpenAI vector stores; it now names a knowledge base `" + storeId + "`",
                    "create a knowledge base with that id (a folder under PARLEY_KNOWLEDGE_DIR), or change the id.");
        }
        AgentsSdkExpr query = args.get("query");
        if (query instanceof Str s && "".equals(s.text())) {
            report.warning(where, "file search `" + id + "` has an empty query; Parley searches for the user's "
                    + "message instead", "set `query` if it should search for something else.");
        } else if (query != null) {
            String t = templates.template(query, id);
            if (t != null) node.put("query", t);
        }
        AgentsSdkExpr max = args.get("max_num_results");
        if (max instanceof AgentsSdkExpr.Num n) {
            int v = (int) Double.parseDouble(n.text());
            node.put("max_results", Math.max(1, Math.min(20, v)));
            if (v < 1 || v > 20) report.warning(where, "file search `" + id + "`: " + v + " results is outside "
                    + "Parley's 1–20 and became " + node.get("max_results").asInt(), "check the result count.");
        }
        report.note(where, "file search `" + id + "`: each result is {text, source, score} in Parley, where Agent "
                + "Builder gave {id, filename, score}");
        return node;
    }

    // --- End ----------------------------------------------------------------------------------------------------

    /** The End for a returned dict: each key a property; {@code None} placeholders get no value (reported). */
    void endFromDict(ObjectNode end, DictLit dict, String id) {
        ObjectNode schema = end.putObject("schema").put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = F.arrayNode();
        ObjectNode values = F.objectNode();
        List<String> empty = new ArrayList<>();
        for (var e : dict.byKey().entrySet()) {
            AgentsSdkExpr v = e.getValue();
            if (v instanceof AgentsSdkExpr.Const c && c.value().equals("null")) {
                // Agent Builder's `undefined`; like the JSON importer (and Agent Builder), the entry is left out.
                empty.add(e.getKey());
                continue;
            }
            if (isPlaceholder(v)) {
                // An object whose fields are all undefined is, in Agent Builder and the JSON import, `{}`.
                values.put(e.getKey(), "{}");
                props.set(e.getKey(), type("object"));
                required.add(e.getKey());
                continue;
            }
            if (v instanceof AgentsSdkExpr.ListLit l && l.items().isEmpty()) {
                report.warning("line " + v.line(), "End `" + id + "`: `" + e.getKey() + "` is `[]` in the code, but "
                        + "the export is seen to write an End's list without its items, so Agent Builder's list may "
                        + "have had some that are not in the code", "check the list against Agent Builder's End.");
            }
            try {
                values.put(e.getKey(), cel.cel(v));
                props.set(e.getKey(), F.objectNode());
                required.add(e.getKey());
            } catch (AgentsSdkCel.NotCel x) {
                props.set(e.getKey(), F.objectNode());
                report.error("line " + v.line(), "End `" + id + "`: the value of `" + e.getKey() + "` (`"
                        + AgentsSdkExpr.show(v) + "`) has no CEL equivalent: " + x.getMessage(),
                        "map it to a CEL expression under the End's `values`.");
            }
        }
        if (!empty.isEmpty()) {
            report.warning("line " + dict.line(), "End `" + id + "`: " + String.join(", ", empty) + " had no value in "
                    + "the code (Agent Builder's End left them undefined); Agent Builder leaves them out of the "
                    + "result, and so does the import", "map each to a CEL expression under the End's `values` if "
                    + "it should be returned.");
        }
        if (!required.isEmpty()) schema.set("required", required);
        if (!values.isEmpty()) end.set("values", values);
    }

    private static boolean isPlaceholder(AgentsSdkExpr v) {
        return switch (v) {
            case AgentsSdkExpr.Const c -> c.value().equals("null");
            case DictLit d -> d.entries().stream().allMatch(e -> e.key() != null && isPlaceholder(e.value()));
            default -> false;
        };
    }

    /** One End property with its type and CEL value. */
    static void property(ObjectNode end, String name, JsonNode type, String value) {
        ObjectNode schema = end.has("schema") ? (ObjectNode) end.get("schema") : end.putObject("schema").put("type", "object");
        ObjectNode props = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
        props.set(name, type);
        if (value != null) {
            (schema.has("required") ? (ArrayNode) schema.get("required") : schema.putArray("required")).add(name);
            (end.has("values") ? (ObjectNode) end.get("values") : end.putObject("values")).put(name, value);
        }
    }

    static ObjectNode type(String t) {
        return F.objectNode().put("type", t);
    }

    // --- state --------------------------------------------------------------------------------------------------

    /**
     * Declares {@code state = {...}}: a literal default gives the type (Agent Builder numbers are JSON
     * {@code number}); a {@code None} default takes its type from what the run assigns to it, when that is plain.
     */
    ObjectNode state(DictLit dict, Map<String, AgentsSdkExpr> assigned) {
        ObjectNode out = F.objectNode();
        for (var e : dict.byKey().entrySet()) {
            AgentsSdkExpr v = e.getValue();
            ObjectNode schema = switch (v) {
                case Str s when s.text() != null -> type("string").put("default", s.text());
                case AgentsSdkExpr.Num n -> type("number").put("default", Double.parseDouble(n.text()));
                case AgentsSdkExpr.Const c when !c.value().equals("null") -> type("boolean").put("default", Boolean.parseBoolean(c.value()));
                case AgentsSdkExpr.ListLit l -> {
                    ObjectNode s = type("array");
                    s.set("default", literal(l));
                    yield s;
                }
                case DictLit d -> {
                    ObjectNode s = type("object");
                    s.set("default", literal(d));
                    yield s;
                }
                default -> inferred(assigned.get(e.getKey()));
            };
            if (schema.isEmpty()) {
                report.warning("line " + v.line(), "state variable `" + e.getKey() + "` starts empty and its type "
                        + "could not be told from the code, so it is untyped", "give it a JSON schema type under "
                        + "`state`.");
            }
            out.set(e.getKey(), schema);
        }
        return out;
    }

    private static ObjectNode inferred(AgentsSdkExpr assigned) {
        return switch (assigned) {
            case Str s -> type("string");
            case AgentsSdkExpr.Num n -> type("number");
            case AgentsSdkExpr.Const c when !c.value().equals("null") -> type("boolean");
            case AgentsSdkExpr.Binary b when b.op().equals("+") && (b.left() instanceof Str || b.right() instanceof Str)
                    -> type("string");
            case null, default -> F.objectNode();
        };
    }

    /** {@return the JSON value of a literal, or null for what is not one} */
    static JsonNode literal(AgentsSdkExpr e) {
        return switch (e) {
            case Str s when s.text() != null -> F.textNode(s.text());
            case AgentsSdkExpr.Num n -> F.numberNode(Double.parseDouble(n.text()));
            case AgentsSdkExpr.Const c -> c.value().equals("null") ? F.nullNode() : F.booleanNode(Boolean.parseBoolean(c.value()));
            case AgentsSdkExpr.ListLit l -> {
                ArrayNode a = F.arrayNode();
                l.items().forEach(i -> a.add(literal(i)));
                yield a;
            }
            case DictLit d -> {
                ObjectNode o = F.objectNode();
                d.byKey().forEach((k, v) -> o.set(k, literal(v)));
                yield o;
            }
            default -> F.nullNode();
        };
    }

    /** {@return whether {@code b} is bound to a guardrails result} */
    static boolean isGuardrails(Binding b) {
        return b instanceof AgentsSdkCel.GuardrailsResult;
    }
}
