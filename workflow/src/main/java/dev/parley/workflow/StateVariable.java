package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A declared workflow-global variable, readable as {@code state.<name>} and written by set_state nodes.
 *
 * @param schema       JSON Schema of the value (its {@code type} decides the CEL type)
 * @param defaultValue initial value, or null
 */
public record StateVariable(String name, JsonNode schema, JsonNode defaultValue) {}
