package dev.parley.web.attachments;

import dev.parley.protocol.Attachment;
import dev.parley.store.BlobStore;
import dev.parley.store.NotFoundException;
import dev.parley.store.Store;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The second phase of an attachment: receiving its bytes, and serving them back.
 *
 * <pre>{@code
 * # upload: the URL comes from the attachment's upload_descriptor (PUT the raw bytes,
 * # or POST multipart/form-data with a "file" field)
 * curl -s -X PUT --data-binary @cat.png "$UPLOAD_URL"
 * curl -s -F file=@cat.png "$UPLOAD_URL"
 * # preview / download: the image's preview_url, or the id with the owner's client secret
 * curl -s -o cat.png "$PREVIEW_URL"
 * curl -s -o cat.png -H "Authorization: Bearer $SECRET" http://localhost:8080/chatkit/attachments/atc_.../preview
 * }</pre>
 *
 * <p>Access is granted by the signed token in the link or by a client secret of the owner; a wrong or foreign
 * one gets the same 404 as a missing attachment, so links reveal nothing about other users' files. A signed link
 * is not enough on its own: the attachment's metadata is looked up for every request, so once the attachment is
 * deleted (alone, or with its thread) its links answer 404 even though their signatures stay valid. An upload
 * may carry at most the size declared in {@code attachments.create} (and never more than the configured limit);
 * beyond that it is refused with 413 and nothing is kept. Bytes are served with the stored type,
 * {@code X-Content-Type-Options: nosniff} and a sandboxing CSP, so an upload can never run as a page of this
 * origin.
 */
public final class AttachmentService implements io.helidon.webserver.http.HttpService {
    private static final String UPLOAD = AttachmentLinks.BASE_PATH + "/{id}/upload";
    private static final String PREVIEW = AttachmentLinks.BASE_PATH + "/{id}/preview";
    /** Multipart framing around the file: headers, other small fields. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final Store store;
    private final DiskAttachmentStore attachments;
    private final ClientSecrets secrets;

    public AttachmentService(Store store, DiskAttachmentStore attachments, ClientSecrets secrets) {
        this.store = store;
        this.attachments = attachments;
        this.secrets = secrets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put(UPLOAD, this::upload)
                .post(UPLOAD, this::upload)
                .options(UPLOAD, (req, res) -> allow(res, "PUT, POST, OPTIONS"))
                .any(UPLOAD, (req, res) -> wrongMethod(req, "PUT, POST, OPTIONS"))
                .get(PREVIEW, this::preview)
                .options(PREVIEW, (req, res) -> allow(res, "GET, OPTIONS"))
                .any(PREVIEW, (req, res) -> wrongMethod(req, "GET, OPTIONS"));
    }

    private void upload(ServerRequest req, ServerResponse res) throws IOException {
        String id = req.path().pathParameters().get("id");
        Optional<String> token = req.query().first("token").asOptional();
        String userId = token.isPresent()
                ? attachments.links().uploader(id, token.get()).orElseThrow(() -> notFound(id))
                : bearerUser(req).orElseThrow(ClientSecrets.InvalidSecretException::missing);
        Attachment attachment = store.loadAttachment(userId, id);
        if (attachment.uploadDescriptor() == null) {
            throw new HttpError(409, "attachment_already_uploaded",
                    "Attachment " + id + " already has its bytes; create a new attachment to upload another file");
        }
        long limit = attachments.uploadLimit(attachment);
        String tooLarge = "The upload is larger than the " + limit + " bytes allowed for this attachment"
                + " (its declared size, at most " + attachments.maxBytes() + " bytes)";
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        boolean multipart = "multipart/form-data".equals(Requests.mediaType(req));
        long framing = multipart ? MULTIPART_OVERHEAD : 0;
        if (Requests.contentLength(req).orElse(0) > limit + framing) throw HttpError.tooLarge("attachment_too_large", tooLarge);

        Attachment uploaded;
        try (InputStream body = new ClientInput(req.content().inputStream())) {
            InputStream file = body;
            if (multipart) {
                String boundary = MultipartFile.boundary(contentType).orElseThrow(() -> HttpError.badRequest(
                        "invalid_multipart", "The multipart Content-Type has no valid boundary parameter"));
                file = MultipartFile.find(body, boundary, "file").map(MultipartFile.Part::body).orElseThrow(() ->
                        HttpError.badRequest("invalid_multipart", "The multipart body has no \"file\" field"));
            }
            uploaded = attachments.receive(attachment, file);
            if (multipart) drainOrClose(body, res);
        } catch (BlobStore.TooLargeException e) {
            throw HttpError.tooLarge("attachment_too_large", tooLarge);
        } catch (MultipartFile.MalformedException e) {
            throw HttpError.badRequest("invalid_multipart", e.getMessage());
        } catch (ClientInput.ReadFailure e) {
            throw HttpError.badRequest("upload_incomplete", "The upload was interrupted; send the whole file again");
        }
        try {
            store.updateAttachment(userId, uploaded);
        } catch (NotFoundException e) {
            // Deleted while its bytes arrived (with all of the user's data, or by attachments.delete): the bytes
            // must not outlive it, and the attachment must not come back.
            attachments.discard(uploaded);
            throw e;
        }
        ErrorResponses.json(res, 200, uploaded);
    }

    private void preview(ServerRequest req, ServerResponse res) throws IOException {
        String id = req.path().pathParameters().get("id");
        Optional<String> sig = req.query().first("sig").asOptional();
        String userId = sig.isPresent()
                ? attachments.links().viewer(id, sig.get()).orElseThrow(() -> notFound(id))
                : bearerUser(req).orElseThrow(() -> notFound(id));
        Attachment attachment = store.loadAttachment(userId, id);
        if (attachment.uploadDescriptor() != null) throw notFound(id);
        Optional<InputStream> bytes = attachments.open(attachment);
        if (bytes.isEmpty()) throw notFound(id);
        boolean image = attachment.mimeType().startsWith("image/");
        res.header(HeaderNames.CONTENT_TYPE, attachment.mimeType());
        res.header(HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF);
        res.header(HeaderNames.CACHE_CONTROL, "private");
        // Even an allowed type (say an SVG an operator permitted) must not run script as a page of this origin.
        res.header("Content-Security-Policy", "sandbox");
        res.header(HeaderNames.CONTENT_DISPOSITION, (image ? "inline" : "attachment")
                + "; filename*=UTF-8''" + URLEncoder.encode(attachment.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        Object size = attachment.metadata() == null ? null : attachment.metadata().get(DiskAttachmentStore.SIZE);
        if (size instanceof Number n) res.contentLength(n.longValue());
        try (InputStream in = bytes.get(); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        }
    }

    /** {@return the user of a valid Bearer client secret, if one was sent}; an invalid one is a 401 */
    private Optional<String> bearerUser(ServerRequest req) {
        return Requests.bearer(req).map(secret -> secrets.verify(secret).userId());
    }

    /** After the file part, reads the small rest of a multipart body, or gives up the connection. */
    private static void drainOrClose(InputStream body, ServerResponse res) throws IOException {
        byte[] buf = new byte[8192];
        long left = MULTIPART_OVERHEAD;
        int n;
        while ((n = body.read(buf)) != -1) {
            left -= n;
            if (left < 0) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                return;
            }
        }
    }

    private static NotFoundException notFound(String id) {
        return NotFoundException.attachment(id);
    }

    private static void allow(ServerResponse res, String methods) {
        res.header(HeaderNames.ALLOW, methods);
        res.status(204).send();
    }

    private static void wrongMethod(ServerRequest req, String methods) {
        throw new HttpError(405, "method_not_allowed", "Use " + methods.replace(", OPTIONS", "") + " here (got "
                + req.prologue().method().text() + ")", Map.of("Allow", methods));
    }

    /**
     * The request body, with read failures marked as the client's: a dropped upload is a 400 for the client,
     * not a server error, and it must not be confused with a failure to write the bytes to disk.
     */
    private static final class ClientInput extends FilterInputStream {
        ClientInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw new ReadFailure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new ReadFailure(e);
            }
        }

        static final class ReadFailure extends IOException {
            ReadFailure(Throwable cause) {
                super("Reading the upload failed", cause);
            }
        }
    }
}
