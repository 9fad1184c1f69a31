package dev.parley.server;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitRequest.CreateAttachmentParams;

/**
 * Creates and deletes attachment uploads (the two-phase flow): the dispatcher saves the metadata; this
 * decides ids, limits and where the bytes go.
 */
public interface AttachmentStore {
    /**
     * {@return a new attachment carrying an {@code upload_descriptor} the client uploads to}
     *
     * @throws ChatKitException (400 or 413) when the type or declared size is not allowed
     */
    Attachment create(CreateAttachmentParams params, RequestContext context);

    /**
     * Deletes the bytes of an attachment the caller has verified the user owns, or whose metadata the caller
     * has just deleted (with its thread); bytes already gone are not an error.
     */
    void delete(Attachment attachment, RequestContext context);
}
