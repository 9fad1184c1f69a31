package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * One Agent Builder node as read from its workflow JSON ({@code node_type} {@code builtins.*}); {@code config} is
 * the node's {@code config} object (empty when absent), read further by the converter of its family.
 */
sealed interface AbNode {
    String id();

    String label();

    JsonNode config();

    /** An output port: Agent Builder's {@code source_port_id}, and the Parley branch it becomes (null: single output). */
    record Port(String abPort, String branch) {}

    /** {@return the node's output ports; a single-output node accepts an edge from any port name} */
    default List<Port> outputs() {
        return List.of(new Port("out", null));
    }

    /** {@return whether the node hands its own input on, so that a later {@code input} means what came before it} */
    default boolean passesInputThrough() {
        return false;
    }

    record Start(String id, String label, JsonNode config) implements AbNode {}

    record Agent(String id, String label, JsonNode config) implements AbNode {
        /** {@return whether the agent answers with JSON ({@code text.format.type} json_schema)} */
        boolean structured() {
            return "json_schema".equals(config.path("text").path("format").path("type").asText());
        }

        JsonNode schema() {
            return config.path("text").path("format").path("schema");
        }
    }

    /** One case: its port, the label the editor shows, and its CEL predicate (blank when never written). */
    record Case(String port, String label, String predicate) {}

    record IfElse(String id, String label, JsonNode config, List<Case> cases, String fallbackPort) implements AbNode {
        public List<Port> outputs() {
            List<Port> out = new ArrayList<>();
            cases.forEach(c -> out.add(new Port(c.port(), c.port())));
            out.add(new Port(fallbackPort, "else"));
            return out;
        }

        public boolean passesInputThrough() { return true; }
    }

    record Guardrails(String id, String label, JsonNode config) implements AbNode {
        public List<Port> outputs() {
            return List.of(new Port("on_pass", "pass"), new Port("on_fail", "fail"));
        }
    }

    record Approval(String id, String label, JsonNode config) implements AbNode {
        public List<Port> outputs() {
            return List.of(new Port("on_approve", "approved"), new Port("on_reject", "rejected"));
        }

        public boolean passesInputThrough() { return true; }
    }

    record FileSearch(String id, String label, JsonNode config) implements AbNode {}

    record Transform(String id, String label, JsonNode config) implements AbNode {}

    record SetState(String id, String label, JsonNode config) implements AbNode {
        public boolean passesInputThrough() { return true; }
    }

    /**
     * A loop; its body is a graph of its own in Agent Builder ({@code config.body}), flattened by {@link AbGraph}.
     *
     * @param bodyStart the first node of the body, or null when the body is empty
     */
    record While(String id, String label, JsonNode config, String bodyStart) implements AbNode {
        public List<Port> outputs() {
            return List.of(new Port("out", "exit"));
        }

        public boolean passesInputThrough() { return true; }
    }

    record Mcp(String id, String label, JsonNode config) implements AbNode {}

    record Note(String id, String label, JsonNode config) implements AbNode {
        public List<Port> outputs() { return List.of(); }
    }

    record End(String id, String label, JsonNode config) implements AbNode {
        public List<Port> outputs() { return List.of(); }
    }

    /** A node type Parley has no equivalent for; the import refuses it. */
    record Unsupported(String id, String label, JsonNode config, String type) implements AbNode {
        public List<Port> outputs() { return List.of(); }
    }

    /** Reads one node; a type Parley has no equivalent for becomes {@link Unsupported}. */
    static AbNode read(JsonNode json) {
        String id = json.path("id").asText("");
        String label = json.hasNonNull("label") ? json.get("label").asText() : null;
        JsonNode config = json.path("config").isObject() ? json.get("config") : JsonNodeFactory.instance.objectNode();
        String type = json.path("node_type").asText("");
        return switch (type) {
            case "builtins.Start" -> new Start(id, label, config);
            case "builtins.Agent" -> new Agent(id, label, config);
            case "builtins.IfElse" -> ifElse(id, label, config);
            case "builtins.Guardrails" -> new Guardrails(id, label, config);
            case "builtins.BinaryApproval" -> new Approval(id, label, config);
            case "builtins.tool.FileSearch" -> new FileSearch(id, label, config);
            case "builtins.Transform" -> new Transform(id, label, config);
            case "builtins.SetState" -> new SetState(id, label, config);
            case "builtins.While" -> {
                JsonNode body = config.path("body");
                String start = body.path("start_node_id").asText("");
                if (start.isBlank() && body.path("nodes").size() > 0) start = firstWithoutIncoming(body);
                yield new While(id, label, config, start.isBlank() ? null : start);
            }
            case "builtins.tool.MCP" -> new Mcp(id, label, config);
            case "builtins.Note" -> new Note(id, label, config);
            case "builtins.End" -> new End(id, label, config);
            default -> new Unsupported(id, label, config, type.isEmpty() ? "(no node_type)" : type);
        };
    }

    private static IfElse ifElse(String id, String label, JsonNode config) {
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (JsonNode c : config.path("cases")) {
            String port = c.path("output_port_id").asText("case-" + i);
            cases.add(new Case(port, c.path("label").asText(port), AbValues.expression(c.path("predicate"))));
            i++;
        }
        String fallback = config.path("fallback").path("output_port_id").asText("fallback");
        return new IfElse(id, label, config, List.copyOf(cases), fallback);
    }

    private static String firstWithoutIncoming(JsonNode body) {
        List<String> targets = new ArrayList<>();
        body.path("edges").forEach(e -> targets.add(e.path("target_node_id").asText()));
        for (JsonNode n : body.path("nodes")) {
            if (!targets.contains(n.path("id").asText())) return n.path("id").asText();
        }
        return "";
    }
}
