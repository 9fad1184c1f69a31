package dev.parley.workflow.validate;

import dev.parley.workflow.Node;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Publish-time rules for the {@code file_search} and {@code mcp} nodes that need no server settings: what a search
 * looks for and how much it returns, which MCP tool a node calls, and that its argument expressions type-check where
 * the node runs. The checked query template and argument ASTs are kept for the runtime like any other.
 */
final class ToolNodeRules {
    /** Beyond this many passages a prompt grows faster than the answer improves. */
    static final int MAX_RESULTS = 20;
    /**
     * MCP's own guidance for tool names. No model picks this name, so the stricter 64-character limit on function
     * names (ToolRules) does not apply; a name the server lists must be accepted as it is.
     */
    private static final Pattern MCP_TOOL = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final WorkflowValidator validator;

    ToolNodeRules(WorkflowValidator validator) {
        this.validator = validator;
    }

    void check(Node.FileSearch f) {
        validator.template(f, "query", f.query());
        if (f.knowledgeBases().isEmpty()) {
            validator.error(f.id(), "knowledge_bases", "a file_search node needs `knowledge_bases`, the ids of the "
                            + "knowledge bases to search",
                    "write `\"knowledge_bases\": [\"agency\"]`; the ids are the folders under PARLEY_KNOWLEDGE_DIR.");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < f.knowledgeBases().size(); i++) {
            String id = f.knowledgeBases().get(i);
            if (!seen.add(id)) {
                validator.error(f.id(), "knowledge_bases[" + i + "]", "knowledge base `" + id + "` is listed twice",
                        "remove the second `" + id + "`.");
            }
        }
        if (f.maxResults() < 1 || f.maxResults() > MAX_RESULTS) {
            validator.error(f.id(), "max_results", "`max_results` is " + f.maxResults() + "; it must be from 1 to "
                    + MAX_RESULTS, "e.g. `\"max_results\": " + Node.FileSearch.DEFAULT_MAX_RESULTS + "` (the default).");
        }
    }

    void check(Node.Mcp m) {
        if (m.tool() == null || !MCP_TOOL.matcher(m.tool()).matches()) {
            validator.error(m.id(), "tool", m.tool() == null ? "the node names no MCP `tool` to call"
                            : "`" + m.tool() + "` is not an MCP tool name",
                    "write the tool's name as the server lists it (1 to 128 letters, digits, `_`, `-` or `.`), "
                            + "e.g. `\"tool\": \"search_contacts\"`.");
        }
        m.arguments().forEach((name, source) -> {
            if (name.isBlank()) {
                validator.error(m.id(), "arguments", "an argument has an empty name",
                        "name it as the tool's input schema does, e.g. `\"query\": \"workflow.input_as_text\"`.");
                return;
            }
            // Any result type: the tool's input schema lives on the MCP server, which is not asked at publish.
            validator.expression(m, "arguments." + name, source, null);
        });
    }
}
