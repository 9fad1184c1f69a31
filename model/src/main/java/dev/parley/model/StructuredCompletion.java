package dev.parley.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A finished structured completion.
 *
 * @param value   the parsed value, valid against the request's schema
 * @param rawText the text the model produced, for traces
 */
public record StructuredCompletion(JsonNode value, String rawText, Usage usage) {}
