package dev.parley.web.attachments;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitRequest.CreateAttachmentParams;
import dev.parley.server.AttachmentStore;
import dev.parley.server.ChatKitException;
import dev.parley.server.RequestContext;
import dev.parley.store.BlobStore;
import dev.parley.store.IdGenerator;
import dev.parley.store.IdKind;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Attachments in the two-phase flow: {@code attachments.create} checks the declared type and size and returns
 * an attachment whose {@code upload_descriptor} points at this server ({@code PUT <base>/chatkit/attachments/<id>/upload?token=…});
 * the bytes then go to a {@link BlobStore}. Images get a signed {@code preview_url}.
 *
 * <p>Server-side facts are kept in the attachment's {@code metadata}, which clients never see: the owner
 * ({@value #OWNER}), the declared size ({@value #DECLARED_SIZE}) and, once uploaded, the stored size
 * ({@value #SIZE}).
 *
 * <pre>{@code
 * var attachments = new DiskAttachmentStore(blobs, store.ids(), signingKey, 10 << 20, List.of("image/png", "image/*"));
 * ChatKitServer server = ChatKitServer.builder().store(store).responder(responder).attachments(attachments).build();
 * }</pre>
 */
public final class DiskAttachmentStore implements AttachmentStore {
    static final String OWNER = "owner";
    static final String DECLARED_SIZE = "declared_size";
    static final String SIZE = "size";
    private static final int MAX_NAME_LENGTH = 255;
    private static final System.Logger LOG = System.getLogger(DiskAttachmentStore.class.getName());

    private final BlobStore blobs;
    private final IdGenerator ids;
    private final AttachmentLinks links;
    private final long maxBytes;
    private final List<String> allowedTypes;

    /**
     * @param blobs        where uploaded bytes go
     * @param ids          makes the {@code atc_} ids
     * @param signingKey   the server's master key; upload and preview links are signed with keys derived from it
     * @param maxBytes     the largest attachment accepted
     * @param allowedTypes media types users may attach, lower case; {@code type/*} allows a whole family
     */
    public DiskAttachmentStore(BlobStore blobs, IdGenerator ids, byte[] signingKey, long maxBytes, List<String> allowedTypes) {
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.links = new AttachmentLinks(signingKey);
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
        this.maxBytes = maxBytes;
        this.allowedTypes = List.copyOf(allowedTypes);
    }

    /**
     * {@inheritDoc}
     *
     * @throws ChatKitException 413 {@code attachment_too_large} beyond the size limit, 400
     *     {@code attachment_type_not_allowed} for a type outside the allowed list, 400 {@code invalid_params} for
     *     a negative size or an empty name
     */
    @Override
    public Attachment create(CreateAttachmentParams params, RequestContext context) {
        String name = cleanName(params.name());
        long size = params.size();
        if (size < 0) throw ChatKitException.badRequest("invalid_params", "params.size must not be negative");
        if (size > maxBytes) {
            throw new ChatKitException(413, "attachment_too_large", "\"" + name + "\" is " + size
                    + " bytes; attachments may be at most " + maxBytes + " bytes (" + human(maxBytes) + ")");
        }
        String mimeType = mediaType(params.mimeType());
        if (!allows(mimeType)) {
            throw ChatKitException.badRequest("attachment_type_not_allowed", "Attachments of type \""
                    + params.mimeType() + "\" are not allowed; allowed types: " + String.join(", ", allowedTypes));
        }
        String id = ids.newId(IdKind.ATTACHMENT);
        String base = context.baseUrl() == null ? "" : context.baseUrl();
        var upload = new Attachment.UploadDescriptor(links.uploadUrl(base, context.userId(), id), "PUT", Map.of());
        Map<String, Object> metadata = Map.of(OWNER, context.userId(), DECLARED_SIZE, size);
        if (mimeType.startsWith("image/")) {
            return new Attachment.Image(id, name, mimeType, upload, null, metadata, links.previewUrl(base, context.userId(), id));
        }
        return new Attachment.File(id, name, mimeType, upload, null, metadata);
    }

    @Override
    public void delete(Attachment attachment, RequestContext context) {
        try {
            blobs.delete(attachment.id());
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting the bytes of " + attachment.id() + " failed", e);
        }
    }

    /** Deletes the bytes of an attachment whose metadata is gone; failures are left to the sweep. */
    void discard(Attachment attachment) {
        try {
            blobs.delete(attachment.id());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Deleting the bytes of deleted attachment " + attachment.id()
                    + " failed; the attachment sweep will delete them", e);
        }
    }

    /** {@return the largest attachment accepted} */
    public long maxBytes() {
        return maxBytes;
    }

    /** {@return whether users may attach files of this media type (parameters such as charset are ignored)} */
    public boolean allows(String mimeType) {
        String type = mediaType(mimeType);
        if (allowedTypes.contains(type)) return true;
        int slash = type.indexOf('/');
        return slash > 0 && allowedTypes.contains(type.substring(0, slash) + "/*");
    }

    AttachmentLinks links() {
        return links;
    }

    /** {@return how many bytes this attachment may still receive: its declared size, capped by the limit} */
    long uploadLimit(Attachment attachment) {
        Object declared = attachment.metadata() == null ? null : attachment.metadata().get(DECLARED_SIZE);
        return declared instanceof Number n ? Math.min(n.longValue(), maxBytes) : maxBytes;
    }

    /**
     * Stores the uploaded bytes and {@return the attachment as it is once uploaded}: no upload descriptor, and
     * the stored size in its metadata. The caller saves it.
     *
     * @throws BlobStore.TooLargeException if more than {@link #uploadLimit} bytes arrive; nothing is kept
     * @throws IOException if reading the upload or writing the bytes fails
     */
    Attachment receive(Attachment attachment, InputStream bytes) throws IOException {
        long stored = blobs.write(attachment.id(), bytes, uploadLimit(attachment));
        Map<String, Object> metadata = new HashMap<>(attachment.metadata() == null ? Map.of() : attachment.metadata());
        metadata.put(SIZE, stored);
        return switch (attachment.withoutUploadDescriptor()) {
            case Attachment.File f -> new Attachment.File(f.id(), f.name(), f.mimeType(), null, f.threadId(), metadata);
            case Attachment.Image i -> new Attachment.Image(
                    i.id(), i.name(), i.mimeType(), null, i.threadId(), metadata, i.previewUrl());
        };
    }

    /** {@return the stored bytes, or empty if none were uploaded} */
    Optional<InputStream> open(Attachment attachment) throws IOException {
        return blobs.open(attachment.id());
    }

    private static String mediaType(String mimeType) {
        return mimeType == null ? "" : mimeType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** Control characters could break logs and headers; the name is only ever shown, never used as a path. */
    private static String cleanName(String name) {
        String clean = name.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip();
        if (clean.isEmpty()) throw ChatKitException.badRequest("invalid_params", "params.name must not be empty");
        return clean.length() <= MAX_NAME_LENGTH ? clean : clean.substring(0, MAX_NAME_LENGTH);
    }

    private static String human(long bytes) {
        if (bytes % ParleyConfig.MIB == 0) return bytes / ParleyConfig.MIB + " MiB";
        if (bytes % 1024 == 0) return bytes / 1024 + " KiB";
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) ParleyConfig.MIB);
    }
}
