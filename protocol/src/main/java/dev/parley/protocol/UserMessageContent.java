package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/** One part of what the user typed: plain text, or an @-mention tag. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UserMessageContent.InputText.class, name = "input_text"),
    @JsonSubTypes.Type(value = UserMessageContent.InputTag.class, name = "input_tag"),
})
public sealed interface UserMessageContent {

    record InputText(String text) implements UserMessageContent {
        public InputText {
            Check.present(text, "input_text.text");
        }
    }

    record InputTag(String id, String text, JsonNode data, String group, boolean interactive)
            implements UserMessageContent {
        public InputTag {
            Check.present(id, "input_tag.id");
            Check.present(text, "input_tag.text");
            data = data == null ? ChatKitJson.emptyObject() : data;
        }
    }
}
