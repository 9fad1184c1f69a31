package dev.parley.server;

/**
 * What one user message may hold. Checked before a turn starts, so a refused message is an HTTP 400 that says
 * what to shorten, and nothing is stored.
 *
 * @param maxMessageChars          characters of text (typed text, tags and quoted text together)
 * @param maxAttachmentsPerMessage attachments sent with one message
 * @param maxThreadsPerUser        threads one user may keep (0: no limit); a new one beyond is refused until
 *                                 they delete some
 */
public record Limits(int maxMessageChars, int maxAttachmentsPerMessage, int maxThreadsPerUser) {
    /** Generous defaults: a long e-mail pasted in, a handful of files, and years of conversations. */
    public static final Limits DEFAULTS = new Limits(20_000, 10, 1_000);

    public Limits {
        if (maxMessageChars < 1) throw new IllegalArgumentException("maxMessageChars must be positive");
        if (maxAttachmentsPerMessage < 0) throw new IllegalArgumentException("maxAttachmentsPerMessage must not be negative");
        if (maxThreadsPerUser < 0) throw new IllegalArgumentException("maxThreadsPerUser must not be negative");
    }
}
