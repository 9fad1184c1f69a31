package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Whether a thread accepts new messages. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ThreadStatus.Active.class, name = "active"),
    @JsonSubTypes.Type(value = ThreadStatus.Locked.class, name = "locked"),
    @JsonSubTypes.Type(value = ThreadStatus.Closed.class, name = "closed"),
})
public sealed interface ThreadStatus {
    ThreadStatus ACTIVE = new Active();

    record Active() implements ThreadStatus {}

    record Locked(String reason) implements ThreadStatus {}

    record Closed(String reason) implements ThreadStatus {}
}
