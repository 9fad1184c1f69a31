package dev.parley.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A thread as a client sees it: its metadata (without the server-only map) plus one page of items.
 */
public record ChatThread(
        String id,
        String title,
        Instant createdAt,
        ThreadStatus status,
        List<String> allowedImageDomains,
        Page<ThreadItem> items) {

    public ChatThread {
        items = items == null ? Page.empty() : items;
    }
}
