package dev.parley.model;

import java.util.List;

/**
 * A request for text.
 *
 * @param model        the model name, or null for the provider's default
 * @param instructions the system prompt
 * @param history      earlier user and assistant messages, oldest first (empty when history is off)
 * @param input        this turn's user prompt, already rendered
 */
public record TextRequest(
        String model, String instructions, List<ChatMessage> history, String input, ModelSettings settings) {
    public TextRequest {
        history = history == null ? List.of() : List.copyOf(history);
        settings = settings == null ? ModelSettings.DEFAULTS : settings;
    }
}
