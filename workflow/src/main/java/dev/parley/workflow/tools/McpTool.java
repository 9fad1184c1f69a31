package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One tool of an MCP server, as offered to an agent's model: the server's name, description and input schema,
 * and a {@link #call} that checks the arguments against that schema before sending {@code tools/call}. Made by
 * {@link McpServers#tools}; thread-safe.
 */
public final class McpTool implements Tool {
    private final McpServers servers;
    private final McpServers.Server server;
    private final Spec spec;

    McpTool(McpServers servers, McpServers.Server server, Spec spec) {
        this.servers = servers;
        this.server = server;
        this.spec = spec;
    }

    @Override
    public String name() {
        return spec.name;
    }

    @Override
    public String description() {
        return spec.description;
    }

    @Override
    public JsonNode parameters() {
        return spec.parameters.deepCopy();
    }

    /** {@return the server this tool belongs to} */
    public McpServers.Server server() {
        return server;
    }

    /**
     * Calls the tool with the deployment's default deadline; never throws. The context is not sent: unlike a
     * webhook, an MCP server may be a third party, which should not learn Parley's user and thread ids.
     */
    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        return servers.invoke(server, spec, arguments, null).toToolResult();
    }

    @Override
    public String toString() {
        return "McpTool[" + spec.name + " @ " + server.label() + "]";
    }

    /** A tool as listed by its server, its schema compiled once per listing. */
    static final class Spec {
        /** What OpenAI and Chat Completions accept as a function name; MCP allows more (dots, 128 characters). */
        private static final Pattern CALLABLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
        private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final int MAX_VIOLATIONS_SHOWN = 3;

        final String name;
        /** Whether a model may be offered it; an {@code mcp} node calls any tool by its MCP name. */
        final boolean modelCallable;
        final String description;
        final ObjectNode parameters;
        private final Schema schema;

        private Spec(String name, String description, ObjectNode parameters, Schema schema) {
            this.name = name;
            this.modelCallable = CALLABLE.matcher(name).matches();
            this.description = description;
            this.parameters = parameters;
            this.schema = schema;
        }

        /**
         * {@return the tool, ready to offer}
         *
         * @throws IllegalArgumentException saying why it cannot be called at all
         */
        static Spec of(McpSchema.Tool tool) {
            String name = tool.name();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("it has no name");
            String description = tool.description() != null ? tool.description()
                    : Objects.requireNonNullElse(tool.title(), "");
            JsonNode schema = tool.inputSchema() == null ? JSON.createObjectNode().put("type", "object")
                    : JSON.valueToTree(tool.inputSchema());
            if (!(schema instanceof ObjectNode parameters) || !"object".equals(schema.path("type").asText())) {
                throw new IllegalArgumentException("its inputSchema is not a JSON Schema of \"type\": \"object\"");
            }
            if (remoteRef(parameters)) {
                // Compiling it would make Parley fetch a URL the server chose.
                throw new IllegalArgumentException("its inputSchema refers to a remote $ref");
            }
            try {
                // Jackson 2 tree in, Jackson 3 inside networknt: going through text keeps the two apart.
                return new Spec(name, description, parameters, SCHEMAS.getSchema(parameters.toString(), InputFormat.JSON));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("its inputSchema is not usable JSON Schema: " + e.getMessage(), e);
            }
        }

        /** {@return why {@code arguments} do not fit the schema, for the model; empty when they do} */
        List<String> violations(JsonNode arguments) {
            List<Error> errors;
            try {
                errors = schema.validate(arguments.toString(), InputFormat.JSON);
            } catch (RuntimeException e) {
                return List.of("/: the tool's schema could not be applied (" + e.getMessage() + ")");
            }
            Set<String> distinct = new LinkedHashSet<>(); // one bad keyword can yield several identical errors
            for (Error e : errors) {
                String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
                distinct.add((at.isEmpty() ? "/" : at) + ": " + e.getMessage());
            }
            return new ArrayList<>(distinct);
        }

        static String shown(List<String> violations) {
            return String.join("; ", violations.subList(0, Math.min(MAX_VIOLATIONS_SHOWN, violations.size())));
        }

        private static boolean remoteRef(JsonNode node) {
            if (node.isObject()) {
                for (String keyword : List.of("$ref", "$dynamicRef", "$recursiveRef")) {
                    JsonNode ref = node.get(keyword);
                    if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) return true;
                }
            }
            if (node.isContainerNode()) {
                for (JsonNode child : node) if (remoteRef(child)) return true;
            }
            return false;
        }
    }
}
