package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A citation attached to assistant text.
 *
 * @param index the character offset in the text it belongs to, or null
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonTypeName("annotation")
public record Annotation(Source source, Integer index) {

    /** Where a citation points. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Source.Url.class, name = "url"),
        @JsonSubTypes.Type(value = Source.File.class, name = "file"),
        @JsonSubTypes.Type(value = Source.Entity.class, name = "entity"),
    })
    public sealed interface Source {
        String title();

        record Url(String title, String description, String timestamp, String group, String url, String attribution)
                implements Source {}

        record File(String title, String description, String timestamp, String group, String filename)
                implements Source {}

        record Entity(
                String title,
                String description,
                String timestamp,
                String group,
                String id,
                String icon,
                String label,
                String inlineLabel,
                boolean interactive,
                JsonNode data,
                JsonNode preview)
                implements Source {
            public Entity {
                data = data == null ? ChatKitJson.emptyObject() : data;
            }
        }
    }
}
