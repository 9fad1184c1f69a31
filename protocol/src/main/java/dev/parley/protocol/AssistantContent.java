package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.ArrayList;
import java.util.List;

/** One part of an assistant message: text with its citations (wire type {@code output_text}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonTypeName("output_text")
public record AssistantContent(String text, List<Annotation> annotations) {
    public AssistantContent {
        text = text == null ? "" : text;
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }

    public static AssistantContent of(String text) {
        return new AssistantContent(text, List.of());
    }

    public AssistantContent appendText(String delta) {
        return new AssistantContent(text + delta, annotations);
    }

    /** {@return a copy with the annotation inserted at index, or appended when index is past the end} */
    public AssistantContent withAnnotation(int index, Annotation annotation) {
        var list = new ArrayList<>(annotations);
        list.add(Math.min(Math.max(index, 0), list.size()), annotation);
        return new AssistantContent(text, list);
    }
}
