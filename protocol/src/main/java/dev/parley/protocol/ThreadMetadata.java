package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A thread as the store keeps it, without its items.
 *
 * @param metadata server-only data of the integrator; never written to a client
 */
public record ThreadMetadata(
        String id,
        String title,
        Instant createdAt,
        ThreadStatus status,
        List<String> allowedImageDomains,
        @JsonView(ChatKitJson.Internal.class) Map<String, Object> metadata) {

    public ThreadMetadata {
        status = status == null ? ThreadStatus.ACTIVE : status;
        allowedImageDomains = allowedImageDomains == null ? null : List.copyOf(allowedImageDomains);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** {@return a new active, untitled thread} */
    public static ThreadMetadata create(String id, Instant createdAt) {
        return new ThreadMetadata(id, null, createdAt, ThreadStatus.ACTIVE, null, Map.of());
    }

    public ThreadMetadata withTitle(String newTitle) {
        return new ThreadMetadata(id, newTitle, createdAt, status, allowedImageDomains, metadata);
    }

    public ThreadMetadata withStatus(ThreadStatus newStatus) {
        return new ThreadMetadata(id, title, createdAt, newStatus, allowedImageDomains, metadata);
    }

    public ThreadMetadata withAllowedImageDomains(List<String> domains) {
        return new ThreadMetadata(id, title, createdAt, status, domains, metadata);
    }

    public ThreadMetadata withMetadata(Map<String, Object> newMetadata) {
        return new ThreadMetadata(id, title, createdAt, status, allowedImageDomains, newMetadata);
    }

    /** {@return the client's view of this thread, carrying the given page of items} */
    public ChatThread toThread(Page<ThreadItem> items) {
        return new ChatThread(id, title, createdAt, status, allowedImageDomains, items);
    }
}
