package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the converters of one import share: the Agent Builder graph, the id mapping, the report, the Parley
 * document's nodes and edges as they are written, and the expression rewriter.
 */
final class AbContext {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    // Parley refuses these as node ids (CEL keywords and its own namespaces); see docs/workflows.md.
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while", "workflow", "input", "state", "sys");

    final JsonNodeFactory json = JsonNodeFactory.instance;
    final AbGraph graph;
    final ImportReport.Builder report = new ImportReport.Builder();
    final ArrayNode nodes = json.arrayNode();
    final ArrayNode edges = json.arrayNode();
    /** State variable → its JSON schema, as the Parley document declares it. */
    final Map<String, JsonNode> state = new LinkedHashMap<>();
    final AbExpressions expressions;
    /**
     * Agent Builder node → its output ports → the Parley branch each became, for nodes whose converter renames
     * them (If/else case ids, Guardrails without checks); other nodes use {@link AbNode#outputs()}.
     */
    final Map<String, Map<String, String>> branches = new LinkedHashMap<>();
    /** A port whose edge the import drops, because the Parley node has no such branch. */
    static final String DROPPED = "\u0000dropped";
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    AbContext(AbGraph graph) {
        this.graph = graph;
        for (String id : graph.nodes.keySet()) {
            String pid = allocate(id, id);
            ids.put(id, pid);
            if (!pid.equals(id)) {
                report.note(id, "node id `" + id + "` is not a name Parley expressions can use; it is `" + pid
                        + "` in the imported workflow, and every reference to it was rewritten");
            }
        }
        this.expressions = new AbExpressions(this);
    }

    /** {@return the Parley id of an Agent Builder node} */
    String pid(String abId) {
        return ids.getOrDefault(abId, abId);
    }

    /** {@return the Agent Builder node whose Parley id is {@code pid}, or null for nodes the importer added} */
    AbNode byPid(String pid) {
        String ab = origin.get(pid);
        AbNode n = ab == null ? null : graph.nodes.get(ab);
        return n != null && pid(n.id()).equals(pid) ? n : null;
    }

    /** {@return the Agent Builder node a Parley node came from (or was added for), for report entries} */
    String source(String pid) {
        return pid == null ? "workflow" : origin.getOrDefault(pid, pid);
    }

    /** {@return a new Parley node id from {@code base}, unused so far, recorded as made for {@code abSource}} */
    String fresh(String base, String abSource) {
        return allocate(base, abSource);
    }

    private String allocate(String raw, String abSource) {
        String base = raw.replaceAll("[^A-Za-z0-9_]", "_");
        if (base.isEmpty()) base = "node";
        if (!IDENT.matcher(base).matches()) base = "n_" + base;
        if (RESERVED.contains(base)) base = base + "_node";
        String id = base;
        for (int i = 2; !used.add(id); i++) id = base + "_" + i;
        origin.put(id, abSource);
        return id;
    }

    ObjectNode node(String pid, String type, String label) {
        ObjectNode n = nodes.addObject().put("id", pid).put("type", type);
        if (label != null && !label.isBlank()) n.put("label", label);
        return n;
    }

    void edge(String from, String to, String branch) {
        ObjectNode e = edges.addObject().put("from", from).put("to", to);
        if (branch != null) e.put("branch", branch);
    }

    void error(String source, String message, String fix) {
        report.error(source, message, fix);
    }

    void warning(String source, String message, String fix) {
        report.warning(source, message, fix);
    }

    void note(String source, String message) {
        report.note(source, message);
    }

    /** {@return how the report names an Agent Builder node: its label and id} */
    String name(AbNode n) {
        return n.label() == null || n.label().isBlank() ? "`" + n.id() + "`" : "\"" + n.label() + "\" (`" + n.id() + "`)";
    }
}
