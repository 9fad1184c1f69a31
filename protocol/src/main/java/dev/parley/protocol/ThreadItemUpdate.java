package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/** An incremental change to an item that is still streaming, carried by {@code thread.item.updated}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ThreadItemUpdate.ContentPartAdded.class, name = "assistant_message.content_part.added"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.TextDelta.class, name = "assistant_message.content_part.text_delta"),
    @JsonSubTypes.Type(
            value = ThreadItemUpdate.AnnotationAdded.class,
            name = "assistant_message.content_part.annotation_added"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.ContentPartDone.class, name = "assistant_message.content_part.done"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.WidgetTextDelta.class, name = "widget.streaming_text.value_delta"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.WidgetRootUpdated.class, name = "widget.root.updated"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.WidgetComponentUpdated.class, name = "widget.component.updated"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.TaskAdded.class, name = "workflow.task.added"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.TaskUpdated.class, name = "workflow.task.updated"),
    @JsonSubTypes.Type(value = ThreadItemUpdate.GeneratedImageUpdated.class, name = "generated_image.updated"),
})
public sealed interface ThreadItemUpdate {

    record ContentPartAdded(int contentIndex, AssistantContent content) implements ThreadItemUpdate {}

    record TextDelta(int contentIndex, String delta) implements ThreadItemUpdate {}

    record AnnotationAdded(int contentIndex, int annotationIndex, Annotation annotation) implements ThreadItemUpdate {}

    record ContentPartDone(int contentIndex, AssistantContent content) implements ThreadItemUpdate {}

    record WidgetTextDelta(String componentId, String delta, boolean done) implements ThreadItemUpdate {}

    record WidgetRootUpdated(JsonNode widget) implements ThreadItemUpdate {}

    record WidgetComponentUpdated(String componentId, JsonNode component) implements ThreadItemUpdate {}

    record TaskAdded(int taskIndex, Task task) implements ThreadItemUpdate {}

    record TaskUpdated(int taskIndex, Task task) implements ThreadItemUpdate {}

    record GeneratedImageUpdated(ThreadItem.GeneratedImage.Image image, Double progress) implements ThreadItemUpdate {}
}
