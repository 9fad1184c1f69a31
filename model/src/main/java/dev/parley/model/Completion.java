package dev.parley.model;

import java.util.List;

/**
 * A finished text completion, or a request for tool calls.
 *
 * @param text      the text streamed; when the model asked for tools, whatever it said before asking
 * @param sources   the passages the text was grounded on, for citations (empty when the provider does not say)
 * @param toolCalls the calls the model asked for, in its order (several when it calls in parallel); empty when
 *                  it answered with text. The caller runs them and asks again with {@link TextRequest#exchanges()}.
 */
public record Completion(String text, Usage usage, List<Source> sources, List<ToolCall> toolCalls) {
    public Completion {
        sources = sources == null ? List.of() : List.copyOf(sources);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public Completion(String text, Usage usage, List<Source> sources) {
        this(text, usage, sources, List.of());
    }

    public Completion(String text, Usage usage) {
        this(text, usage, List.of(), List.of());
    }

    /** {@return whether the model asked for tools rather than finishing its answer} */
    public boolean wantsTools() {
        return !toolCalls.isEmpty();
    }
}
