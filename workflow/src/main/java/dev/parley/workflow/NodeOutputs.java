package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What each node type outputs, shared by the validator (types) and the runtime (structured model calls). */
public final class NodeOutputs {
    private NodeOutputs() {}

    /**
     * {@return the JSON schema of {@code <id>.output_parsed}, or null when the node outputs text only (then only
     * {@code output_text} exists) or nothing at all}
     */
    public static JsonNode schema(Node node) {
        return switch (node) {
            case Node.Agent a -> a.output().structured() ? a.output().schema() : null;
            case Node.Classifier c -> classifierSchema(c);
            case Node.Transform t -> t.outputSchema();
            case Node.FileSearch f -> fileSearchSchema();
            default -> null;
        };
    }

    /** {@return whether {@code output_parsed} exists (a transform without a declared schema has an untyped one)} */
    public static boolean structured(Node node) {
        return switch (node) {
            case Node.Agent a -> a.output().structured();
            case Node.Classifier c -> true;
            case Node.Transform t -> true;
            case Node.FileSearch f -> true;
            case Node.Mcp m -> true;
            default -> false;
        };
    }

    /** The classifier's fixed output: {@code {category: <enum of names>, confidence: number, reason: string}}. */
    public static ObjectNode classifierSchema(Node.Classifier c) {
        var f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ObjectNode category = props.putObject("category").put("type", "string");
        var names = category.putArray("enum");
        c.categoryNames().forEach(names::add);
        props.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        props.putObject("reason").put("type", "string");
        var required = schema.putArray("required");
        required.add("category").add("confidence").add("reason");
        schema.put("additionalProperties", false);
        return schema;
    }

    /** A file_search node's output: {@code {results: [{text, source, score}]}}, best first. */
    public static ObjectNode fileSearchSchema() {
        var f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode().put("type", "object");
        ObjectNode results = schema.putObject("properties").putObject("results").put("type", "array");
        ObjectNode hit = results.putObject("items").put("type", "object");
        ObjectNode props = hit.putObject("properties");
        props.putObject("text").put("type", "string");
        props.putObject("source").put("type", "string");
        props.putObject("score").put("type", "number");
        hit.putArray("required").add("text").add("source").add("score");
        hit.put("additionalProperties", false);
        schema.putArray("required").add("results");
        schema.put("additionalProperties", false);
        return schema;
    }
}
