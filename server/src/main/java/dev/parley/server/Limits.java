package dev.parley.server;

/**
 * What one user message may hold. Checked before a turn starts, so a refused message is an HTTP 400 that says
 * what to shorten, and nothing is stored.
 *
 * @param maxMessageChars          characters of text (typed text, tags and quoted text together)
 * @param maxAttachmentsPerMessage attachments sent with one message
 */
public record Limits(int maxMessageChars, int maxAttachmentsPerMessage) {
    /** Generous defaults: a long e-mail pasted in, and a handful of files. */
    public static final Limits DEFAULTS = new Limits(20_000, 10);

    public Limits {
        if (maxMessageChars < 1) throw new IllegalArgumentException("maxMessageChars must be positive");
        if (maxAttachmentsPerMessage < 0) throw new IllegalArgumentException("maxAttachmentsPerMessage must not be negative");
    }
}
