package dev.parley.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A request for text.
 *
 * @param model        the model name, or null for the provider's default
 * @param instructions the system prompt
 * @param history      earlier user and assistant messages, oldest first (empty when history is off)
 * @param input        this turn's user prompt, already rendered
 * @param tools        function tools the model may call instead of answering (empty: none)
 * @param exchanges    the calls the model made so far in this turn, in order, with their outputs; sent after
 *                     {@code input}, so the model continues from them
 * @param hostedTools  tools the provider runs itself within this request (see {@link ModelProvider#runs})
 */
public record TextRequest(
        String model,
        String instructions,
        List<ChatMessage> history,
        String input,
        ModelSettings settings,
        List<ToolSpec> tools,
        List<ToolExchange> exchanges,
        List<HostedTool> hostedTools) {
    public TextRequest {
        history = history == null ? List.of() : List.copyOf(history);
        settings = settings == null ? ModelSettings.DEFAULTS : settings;
        tools = tools == null ? List.of() : List.copyOf(tools);
        exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
        hostedTools = hostedTools == null ? List.of() : List.copyOf(hostedTools);
    }

    /** A request offering function tools only. */
    public TextRequest(String model, String instructions, List<ChatMessage> history, String input, ModelSettings settings,
            List<ToolSpec> tools, List<ToolExchange> exchanges) {
        this(model, instructions, history, input, settings, tools, exchanges, List.of());
    }

    /** A request without tools. */
    public TextRequest(String model, String instructions, List<ChatMessage> history, String input, ModelSettings settings) {
        this(model, instructions, history, input, settings, List.of(), List.of(), List.of());
    }

    /** {@return this request with {@code exchange} appended: the next call after the caller ran a tool} */
    public TextRequest withExchange(ToolExchange exchange) {
        List<ToolExchange> more = new ArrayList<>(exchanges);
        more.add(exchange);
        return new TextRequest(model, instructions, history, input, settings, tools, more, hostedTools);
    }
}
