package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ModelSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a workflow graph. Each node type is a record; {@link #type()} is the {@code type} value used in the
 * JSON document. Ids are CEL identifiers because later nodes reference a node's output as {@code <id>.output_text}.
 */
public sealed interface Node {

    /** The {@code type} values of the JSON format, in the order the docs list them. */
    List<String> TYPES = List.of("start", "agent", "classifier", "if_else", "end", "transform", "set_state", "while",
            "user_approval", "guardrails", "file_search", "mcp", "note");

    String id();

    /** Optional display name for the editor; never used in references. */
    String label();

    String type();

    /** {@return the branch handles this node's outgoing edges may carry; empty means a single unnamed output} */
    default Set<String> branches() {
        return Set.of();
    }

    /** {@return whether later nodes can read {@code <id>.output_text} / {@code output_parsed}} */
    default boolean producesOutput() {
        return false;
    }

    /** Entry point; its output_text is the user's message (also available as {@code workflow.input_as_text}). */
    record Start(String id, String label) implements Node {
        public String type() { return "start"; }
        public boolean producesOutput() { return true; }
    }

    /**
     * A model call.
     *
     * @param userPrompt         a {@code {{ path }}} template; null sends the user's message
     * @param includeChatHistory whether earlier thread items are sent along
     */
    record Agent(String id, String label, String instructions, String model, ModelSettings modelSettings,
                 String userPrompt, boolean includeChatHistory, OutputFormat output, List<AgentTool> tools)
            implements Node {
        public Agent {
            tools = tools == null ? List.of() : List.copyOf(tools);
        }

        public Agent(String id, String label, String instructions, String model, ModelSettings modelSettings,
                     String userPrompt, boolean includeChatHistory, OutputFormat output) {
            this(id, label, instructions, model, modelSettings, userPrompt, includeChatHistory, output, List.of());
        }

        public String type() { return "agent"; }
        public boolean producesOutput() { return true; }
    }

    /**
     * Sugar for an agent with a fixed structured output {@code {category, confidence, reason}} whose
     * {@code category} enum is the category names.
     *
     * @param input a {@code {{ path }}} template for the text to classify; null means the user's message
     */
    record Classifier(String id, String label, String instructions, String model, ModelSettings modelSettings,
                      String input, boolean includeChatHistory, List<Category> categories) implements Node {
        public String type() { return "classifier"; }
        public boolean producesOutput() { return true; }

        public List<String> categoryNames() {
            return categories.stream().map(Category::name).toList();
        }
    }

    /** A classifier category; examples are sample user messages that belong to it. */
    record Category(String name, String description, List<String> examples) {}

    /** Ordered CEL conditions; the first true one picks the edge whose branch is its id, otherwise {@code else}. */
    record IfElse(String id, String label, List<Condition> conditions) implements Node {
        public String type() { return "if_else"; }

        public Set<String> branches() {
            var names = new java.util.LinkedHashSet<String>();
            conditions.forEach(c -> names.add(c.id()));
            names.add("else");
            return names;
        }
    }

    /** One if_else case: {@code id} doubles as the branch handle. */
    record Condition(String id, String expression) {}

    /**
     * Finishes the run with a JSON object described by {@code schema}; {@code values} maps each property to a CEL
     * expression or an Agent Builder reference {@code __VAR__node.path__ENDVAR__} (Agent Builder stores those as the
     * property's {@code default}; the parser moves them here).
     */
    record End(String id, String label, JsonNode schema, Map<String, String> values) implements Node {
        public End {
            values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
        public String type() { return "end"; }
    }

    /** Computes a value with CEL; it becomes {@code output_parsed} (and its JSON text {@code output_text}). */
    record Transform(String id, String label, String expression, JsonNode outputSchema) implements Node {
        public String type() { return "transform"; }
        public boolean producesOutput() { return true; }
    }

    /** Assigns declared state variables from CEL expressions, in order. */
    record SetState(String id, String label, List<Assignment> assignments) implements Node {
        public String type() { return "set_state"; }
    }

    /** {@code state.<variable> = expression}. */
    record Assignment(String variable, String expression) {}

    /**
     * Loop: while {@code condition} holds (and fewer than {@code maxIterations} rounds ran) follow the {@code body}
     * edge; the body's last node has an edge back to this node. Then follow {@code exit}.
     */
    record While(String id, String label, String condition, Integer maxIterations) implements Node {
        public String type() { return "while"; }
        public Set<String> branches() { return Set.of("body", "exit"); }
    }

    /** Pauses the run and asks the user in the chat; continues on {@code approved} or {@code rejected}. */
    record UserApproval(String id, String label, String message) implements Node {
        public String type() { return "user_approval"; }
        public Set<String> branches() { return Set.of("approved", "rejected"); }
    }

    /** Runs checks over {@code input} (a template) and continues on {@code pass} or {@code fail}. */
    record Guardrails(String id, String label, String input, List<GuardrailCheck> checks) implements Node {
        public String type() { return "guardrails"; }
        public Set<String> branches() { return Set.of("pass", "fail"); }
    }

    /**
     * One guardrail check.
     *
     * @param kind   {@code pii}, {@code jailbreak}, {@code moderation} or {@code hallucination}
     * @param config check-specific settings, passed to the runtime as is
     */
    record GuardrailCheck(String kind, JsonNode config) {
        public static final List<String> KINDS = List.of("pii", "jailbreak", "moderation", "hallucination");
    }

    /**
     * Searches Parley's knowledge bases; {@code output_parsed.results} is a list of {@code {text, source, score}},
     * best first.
     *
     * @param query          a {@code {{ path }}} template; null searches for the user's message
     * @param knowledgeBases ids under {@code PARLEY_KNOWLEDGE_DIR}, checked at publish
     * @param maxResults     1–20
     */
    record FileSearch(String id, String label, String query, List<String> knowledgeBases, int maxResults)
            implements Node {
        public static final int DEFAULT_MAX_RESULTS = 5;

        public FileSearch {
            knowledgeBases = List.copyOf(knowledgeBases);
        }

        public String type() { return "file_search"; }
        public boolean producesOutput() { return true; }
    }

    /**
     * Calls one tool of an MCP server; {@code output_parsed} is the tool's result (its structured content when it
     * gives one, else {@code {"text": …}}).
     *
     * @param headers   header name → {@code {"env": "NAME"}}, as on an agent's MCP tool
     * @param arguments argument name → CEL expression
     */
    record Mcp(String id, String label, String serverLabel, java.net.URI url, Map<String, JsonNode> headers,
               String tool, Map<String, String> arguments) implements Node {
        public Mcp {
            headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            arguments = arguments == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }

        public String type() { return "mcp"; }
        public boolean producesOutput() { return true; }
    }

    /** Canvas annotation; never connected and never run. */
    record Note(String id, String label, String text) implements Node {
        public String type() { return "note"; }
    }
}
