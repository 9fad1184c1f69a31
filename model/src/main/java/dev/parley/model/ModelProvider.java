package dev.parley.model;

/**
 * A source of completions. Implementations are safe for concurrent use; each call runs on the caller's
 * (virtual) thread and blocks until the completion is finished.
 */
public interface ModelProvider {
    /** {@return a short name for logs and traces, such as {@code openai} or {@code embedded}} */
    String name();

    /**
     * Produces text, handing each piece to {@code onDelta} as it arrives; when {@code onDelta} answers false
     * the provider stops reading and returns what it has.
     *
     * @return the whole text (or the text up to the stop) and the usage
     * @throws ModelException when the model cannot answer; its message is for the operator, its
     *     {@link ModelException#userMessage()} for the user
     */
    Completion streamText(TextRequest request, TextSink onDelta);

    /**
     * Produces a JSON value that satisfies {@code request.schema()}.
     *
     * @throws ModelException when no valid value could be produced; the message names the schema path that failed
     */
    StructuredCompletion structured(StructuredRequest request);

    /**
     * {@return whether the model can be offered {@link TextRequest#tools() function tools} and choose their
     * arguments}: a provider that cannot (the embedded model) never gets any, and publishing a workflow whose
     * agents have function or MCP tools for it is refused with a message naming a provider that can
     */
    default boolean callsFunctions() {
        return false;
    }

    /** {@return whether this provider runs {@code tool} itself when a request carries it} */
    default boolean runs(HostedTool tool) {
        return false;
    }
}
