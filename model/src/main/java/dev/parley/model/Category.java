package dev.parley.model;

import java.util.List;

/**
 * One choice of a classification, as a classifier node declares it. Providers that classify without a
 * generative model (the embedded default) compare the input with the description and the examples.
 */
public record Category(String name, String description, List<String> examples) {
    public Category {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("A category needs a name");
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
