package dev.parley.model;

/** A finished text completion. */
public record Completion(String text, Usage usage) {}
