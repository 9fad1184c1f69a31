package dev.parley.model;

/**
 * Where a streamed completion's text goes, piece by piece. Its answer is how a listener that has gone away
 * (a chat client that closed the page) stops the model: the provider stops reading, closes the stream and
 * returns the text so far, so nothing has to be thrown through the provider's own error handling.
 */
@FunctionalInterface
public interface TextSink {
    /** {@return whether to go on; false stops the completion after this piece} */
    boolean accept(String delta);
}
