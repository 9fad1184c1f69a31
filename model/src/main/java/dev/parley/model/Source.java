package dev.parley.model;

/**
 * A passage a completion was grounded on, shown to the user as a citation.
 *
 * @param title    a human-readable name (a document's first heading, or its file name)
 * @param location where it came from: a file path relative to the knowledge folder, or a URL
 */
public record Source(String title, String location) {}
