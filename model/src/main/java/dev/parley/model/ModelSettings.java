package dev.parley.model;

/**
 * Per-node model choices; null fields mean the provider's default.
 *
 * @param reasoningEffort {@code low}, {@code medium} or {@code high}, for reasoning models
 */
public record ModelSettings(Double temperature, Double topP, Integer maxOutputTokens, String reasoningEffort) {
    public static final ModelSettings DEFAULTS = new ModelSettings(null, null, null, null);
}
