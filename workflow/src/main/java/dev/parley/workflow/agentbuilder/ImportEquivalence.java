package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two Parley workflow documents made from the same Agent Builder workflow, one imported from its JSON and
 * one from its Agents SDK code export, and lists what differs.
 *
 * <p>Node ids cannot be compared: the JSON keeps Agent Builder's ({@code node_x1y2}) while the code only has variable
 * names. So both graphs are walked from {@code start} together, each node's outgoing edges in a canonical order
 * (an if/else's conditions by position, since their ids differ too, then {@code else}; other branches by name), and
 * nodes met at the same place are paired. The pairs give an id mapping, through which every expression and
 * template of the JSON side is rewritten before it is compared with the code side.
 *
 * <p>Two things the code export cannot show are bridged while walking, each still reported as a difference: a
 * {@code set_state} without assignments (the export writes no code for it) is stepped over, and a run of
 * consecutive {@code set_state} nodes is compared as one list of assignments (the export may merge them).
 *
 * <p>What is compared, node by node: type; templates (instructions, user prompt, approval message, query, guardrail
 * input) with whitespace runs collapsed; CEL expressions token by token, so spacing, enclosing parentheses and the
 * quote character of string literals do not count; schemas as JSON (key order, the order of {@code required} and
 * {@code 0} against {@code 0.0} do not count; descriptions, titles, enums and defaults do, though a difference in
 * those alone is marked as such, because the code export drops them and its report says so); tools by name, type
 * and parameters; End values as CEL, and End schemas by property names, required ones, and types where both give
 * one; every other field as JSON, a missing field counting as its documented default. Labels are compared only
 * where both sides have one (the code keeps only agents' labels); {@code output_schema_name}, which only names the
 * schema for the provider, is not compared.
 */
public final class ImportEquivalence {
    /**
     * One way the two imports differ.
     *
     * @param jsonId the node of the JSON import it is about, or null
     * @param codeId the node of the code import it is about, or null
     * @param field  the node field ({@code instructions}, {@code values.message}, …), {@code node} for a node only
     *               one side has, {@code edge}, or {@code import} when one side refused the workflow
     * @param what   what differs, in a sentence
     */
    public record Difference(String jsonId, String codeId, String field, String what) {
        /** {@return where the difference is, as "node_x1 / agent1, instructions"} */
        public String where() {
            String node = jsonId == null && codeId == null ? "workflow"
                    : (jsonId == null ? "-" : jsonId) + " / " + (codeId == null ? "-" : codeId);
            return node + ", " + field;
        }

        @Override
        public String toString() {
            return where() + ": " + what;
        }
    }

    private final Map<String, ObjectNode> jsonNodes;
    private final Map<String, ObjectNode> codeNodes;
    private final Map<String, List<JsonNode>> jsonOut;
    private final Map<String, List<JsonNode>> codeOut;
    /** JSON id → code id, filled while walking; what {@link ImportEquivalenceFields} rewrites expressions with. */
    private final Map<String, String> mapping = new LinkedHashMap<>();
    private final Map<String, String> reverse = new HashMap<>();
    private final List<Difference> differences = new ArrayList<>();
    private final List<String[]> compared = new ArrayList<>();

    private ImportEquivalence(ObjectNode fromJson, ObjectNode fromCode) {
        jsonNodes = nodes(fromJson);
        codeNodes = nodes(fromCode);
        jsonOut = outgoing(fromJson);
        codeOut = outgoing(fromCode);
    }

    /** {@return every difference between the two documents; empty when they are equivalent} */
    public static List<Difference> compare(ObjectNode fromJson, ObjectNode fromCode) {
        ImportEquivalence eq = new ImportEquivalence(fromJson, fromCode);
        eq.run(fromJson, fromCode);
        return List.copyOf(eq.differences);
    }

    /**
     * {@return the entry of the code import's report that accounts for {@code d}}: one about the code node the
     * difference is at (or about the whole workflow) whose message says that kind of thing is not carried by the
     * export. Empty when the report is silent about it, which means the code importer lost something unannounced.
     */
    public static Optional<ImportReport.Entry> explanation(Difference d, ImportReport codeReport) {
        return ImportEquivalenceFields.explanation(d, codeReport);
    }

    private void run(ObjectNode fromJson, ObjectNode fromCode) {
        String js = startOf(jsonNodes);
        String cs = startOf(codeNodes);
        if (js == null || cs == null) {
            differences.add(new Difference(js, cs, "node", "a document has no start node"));
            return;
        }
        walk(js, cs);
        ImportEquivalenceFields fields = new ImportEquivalenceFields(mapping, differences);
        for (String[] pair : compared) fields.compareNodes(jsonNodes.get(pair[0]), codeNodes.get(pair[1]));
        fields.compareState(fromJson.path("state"), fromCode.path("state"));
        Set<String> reached = reachable(js, jsonOut);
        jsonNodes.keySet().stream().filter(id -> !mapping.containsKey(id)).forEach(id -> differences.add(
                new Difference(id, null, "node", "only the JSON import has this " + type(jsonNodes.get(id)) + " node"
                        + (reached.contains(id) ? "" : ", " + UNREACHED))));
        codeNodes.keySet().stream().filter(id -> !reverse.containsKey(id)).forEach(id -> differences.add(
                new Difference(null, id, "node", "only the code import has this " + type(codeNodes.get(id)) + " node")));
    }

    /** How a node no path from start reaches is described; the export writes no code for such nodes. */
    static final String UNREACHED = "which no path from start reaches";

    private static Set<String> reachable(String start, Map<String, List<JsonNode>> out) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) out.getOrDefault(id, List.of()).forEach(e -> todo.add(e.path("to").asText()));
        }
        return seen;
    }

    /** Pairs {@code j} with {@code c} and everything after them, edge by edge in canonical order. */
    private void walk(String j, String c) {
        if (mapping.containsKey(j) || reverse.containsKey(c)) {
            if (!c.equals(mapping.get(j))) {
                differences.add(new Difference(j, c, "edge", "an edge leads to `" + j + "` in the JSON import but to `"
                        + c + "` in the code import, which pairs differently elsewhere"));
            }
            return;
        }
        ObjectNode jn = jsonNodes.get(j);
        ObjectNode cn = codeNodes.get(c);
        if (jn == null || cn == null) return;
        if (!type(jn).equals(type(cn))) {
            if (emptySetState(jn)) {
                skip(j, c, true);
                return;
            }
            if (emptySetState(cn)) {
                skip(c, j, false);
                return;
            }
        }
        pair(j, c);
        if (type(jn).equals("set_state") && type(cn).equals("set_state")) {
            List<String> jc = chain(j, jsonNodes, jsonOut);
            List<String> cc = chain(c, codeNodes, codeOut);
            if (jc.size() > 1 || cc.size() > 1) {
                mergedChains(jc, cc);
                walkAfter(jc.get(jc.size() - 1), cc.get(cc.size() - 1));
                return;
            }
        }
        compared.add(new String[] {j, c});
        walkAfter(j, c);
    }

    private void walkAfter(String j, String c) {
        Map<String, String> jb = branches(jsonNodes.get(j), jsonOut.get(j));
        Map<String, String> cb = branches(codeNodes.get(c), codeOut.get(c));
        for (var e : jb.entrySet()) {
            String other = cb.get(e.getKey());
            if (other == null) {
                differences.add(new Difference(j, c, "edge", "only the JSON import has the " + branchName(e.getKey())
                        + " edge, to `" + e.getValue() + "`"));
            } else {
                walk(e.getValue(), other);
            }
        }
        cb.keySet().stream().filter(k -> !jb.containsKey(k)).forEach(k -> differences.add(new Difference(j, c, "edge",
                "only the code import has the " + branchName(k) + " edge, to `" + cb.get(k) + "`")));
    }

    /** Steps over an empty set_state on one side, pairing what follows it with the other side's node. */
    private void skip(String empty, String other, boolean emptyIsJson) {
        Map<String, List<JsonNode>> out = emptyIsJson ? jsonOut : codeOut;
        List<JsonNode> next = out.getOrDefault(empty, List.of());
        differences.add(emptyIsJson
                ? new Difference(empty, null, "node", "only the JSON import has this set_state without assignments")
                : new Difference(null, empty, "node", "only the code import has this set_state without assignments"));
        if (emptyIsJson) {
            mapping.put(empty, null);
        } else {
            reverse.put(empty, null);
        }
        if (next.size() != 1) return;
        String to = next.get(0).path("to").asText();
        if (emptyIsJson) walk(to, other);
        else walk(other, to);
    }

    private void pair(String j, String c) {
        mapping.put(j, c);
        reverse.put(c, j);
    }

    /** Set state nodes that follow one another with nothing else joining in: one run of assignments. */
    private static List<String> chain(String first, Map<String, ObjectNode> nodes, Map<String, List<JsonNode>> out) {
        List<String> ids = new ArrayList<>(List.of(first));
        Map<String, Integer> incoming = new HashMap<>();
        out.values().forEach(l -> l.forEach(e -> incoming.merge(e.path("to").asText(), 1, Integer::sum)));
        String at = first;
        while (true) {
            List<JsonNode> next = out.getOrDefault(at, List.of());
            if (next.size() != 1) break;
            String to = next.get(0).path("to").asText();
            ObjectNode n = nodes.get(to);
            if (n == null || !type(n).equals("set_state") || incoming.getOrDefault(to, 0) != 1 || ids.contains(to)) break;
            ids.add(to);
            at = to;
        }
        return ids;
    }

    private void mergedChains(List<String> jc, List<String> cc) {
        for (int k = 1; k < jc.size(); k++) mapping.put(jc.get(k), cc.get(Math.min(k, cc.size() - 1)));
        for (int k = 1; k < cc.size(); k++) reverse.put(cc.get(k), jc.get(Math.min(k, jc.size() - 1)));
        new ImportEquivalenceFields(mapping, differences).compareAssignments(jc, cc,
                jc.stream().map(jsonNodes::get).toList(), cc.stream().map(codeNodes::get).toList());
        if (jc.size() != cc.size()) {
            differences.add(new Difference(jc.get(0), cc.get(0), "node", jc.size() + " consecutive set_state nodes in "
                    + "the JSON import are " + cc.size() + " in the code import"));
        }
    }

    /** {@return the node's outgoing edges, canonical branch key → target, in canonical order} */
    static Map<String, String> branches(ObjectNode node, List<JsonNode> edges) {
        Map<String, String> out = new TreeMap<>();
        if (edges == null) return out;
        for (JsonNode e : edges) {
            out.put(branchKey(node, e.path("branch").isTextual() ? e.get("branch").asText() : null),
                    e.path("to").asText());
        }
        return out;
    }

    /** Condition ids differ between the importers, so an if/else's branch is its condition's position. */
    static String branchKey(ObjectNode node, String branch) {
        if (branch == null) return "";
        if (node != null && type(node).equals("if_else")) {
            JsonNode conditions = node.path("conditions");
            for (int i = 0; i < conditions.size(); i++) {
                if (branch.equals(conditions.get(i).path("id").asText())) return String.format("#%03d", i);
            }
            if (branch.equals("else")) return "~else";
        }
        return branch;
    }

    private static String branchName(String key) {
        if (key.isEmpty()) return "outgoing";
        if (key.startsWith("#")) return "condition " + (Integer.parseInt(key.substring(1)) + 1);
        return "`" + (key.startsWith("~") ? key.substring(1) : key) + "`";
    }

    static String type(JsonNode n) {
        return n.path("type").asText("");
    }

    private static boolean emptySetState(ObjectNode n) {
        return type(n).equals("set_state") && n.path("assignments").isEmpty();
    }

    private static String startOf(Map<String, ObjectNode> nodes) {
        return nodes.values().stream().filter(n -> type(n).equals("start")).map(n -> n.path("id").asText())
                .findFirst().orElse(null);
    }

    private static Map<String, ObjectNode> nodes(ObjectNode doc) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (JsonNode n : doc.path("nodes")) if (n instanceof ObjectNode o) out.put(o.path("id").asText(), o);
        return out;
    }

    private static Map<String, List<JsonNode>> outgoing(ObjectNode doc) {
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (JsonNode e : doc.path("edges")) out.computeIfAbsent(e.path("from").asText(), k -> new ArrayList<>()).add(e);
        return out;
    }
}
