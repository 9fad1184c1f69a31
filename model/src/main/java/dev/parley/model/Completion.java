package dev.parley.model;

import java.util.List;

/**
 * A finished text completion.
 *
 * @param sources the passages the text was grounded on, for citations (empty when the provider does not say)
 */
public record Completion(String text, Usage usage, List<Source> sources) {
    public Completion {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    public Completion(String text, Usage usage) {
        this(text, usage, List.of());
    }
}
