package dev.parley.protocol;

/** Per-message choices the user made in the composer: a forced tool, a model. */
public record InferenceOptions(ToolChoice toolChoice, String model) {
    public static final InferenceOptions NONE = new InferenceOptions(null, null);

    public record ToolChoice(String id) {}
}
