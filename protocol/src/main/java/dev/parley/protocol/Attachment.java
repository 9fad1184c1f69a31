package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonView;
import java.util.Map;

/**
 * A file the user attached. {@code upload_descriptor} is present only while the upload is outstanding;
 * {@code metadata} is the server's own and is never sent to a client.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Attachment.File.class, name = "file"),
    @JsonSubTypes.Type(value = Attachment.Image.class, name = "image"),
})
public sealed interface Attachment {
    String id();

    String name();

    String mimeType();

    UploadDescriptor uploadDescriptor();

    String threadId();

    Map<String, Object> metadata();

    /** {@return a copy bound to the given thread} */
    Attachment withThreadId(String threadId);

    /** {@return a copy whose upload is finished (no descriptor)} */
    Attachment withoutUploadDescriptor();

    record File(
            String id,
            String name,
            String mimeType,
            UploadDescriptor uploadDescriptor,
            String threadId,
            @JsonView(ChatKitJson.Internal.class) Map<String, Object> metadata)
            implements Attachment {
        public File {
            metadata = metadata == null ? null : Map.copyOf(metadata);
        }

        @Override
        public File withThreadId(String newThreadId) {
            return new File(id, name, mimeType, uploadDescriptor, newThreadId, metadata);
        }

        @Override
        public File withoutUploadDescriptor() {
            return new File(id, name, mimeType, null, threadId, metadata);
        }
    }

    record Image(
            String id,
            String name,
            String mimeType,
            UploadDescriptor uploadDescriptor,
            String threadId,
            @JsonView(ChatKitJson.Internal.class) Map<String, Object> metadata,
            String previewUrl)
            implements Attachment {
        public Image {
            metadata = metadata == null ? null : Map.copyOf(metadata);
        }

        @Override
        public Image withThreadId(String newThreadId) {
            return new Image(id, name, mimeType, uploadDescriptor, newThreadId, metadata, previewUrl);
        }

        @Override
        public Image withoutUploadDescriptor() {
            return new Image(id, name, mimeType, null, threadId, metadata, previewUrl);
        }
    }

    /** Where and how the client uploads the bytes in the two-phase flow. */
    record UploadDescriptor(String url, String method, Map<String, String> headers) {
        public UploadDescriptor {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }
}
