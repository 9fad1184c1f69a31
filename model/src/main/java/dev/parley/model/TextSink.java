package dev.parley.model;

/**
 * Where a streamed completion's text goes, piece by piece. Its answer is how a listener that has gone away
 * (a chat client that closed the page) stops the model: the provider stops reading, closes the stream and
 * returns the text so far, so nothing has to be thrown through the provider's own error handling.
 *
 * <p>Still a functional interface: a lambda or method reference takes the text and leaves the progress
 * notices below to their defaults.
 */
@FunctionalInterface
public interface TextSink {
    /** {@return whether to go on; false stops the completion after this piece} */
    boolean accept(String delta);

    /**
     * Told when the provider starts running one of the request's {@linkplain TextRequest#hostedTools() hosted
     * tools} (a web search, a search of vector stores or knowledge bases), before any text that draws on it, so the
     * listener can show progress such as "Searching the web…" while the reply is quiet. Called once per search the
     * model starts (a model may search more than once in one reply), on the thread that called the provider.
     * Anything it throws reaches the caller of {@link ModelProvider#streamText} unchanged.
     *
     * @param tool the request's hosted tool that is running
     */
    default void hostedToolStarted(HostedTool tool) {}
}
