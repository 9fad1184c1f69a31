package dev.parley.web.attachments;

import dev.parley.web.auth.Hmac;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds and checks the signed links of an attachment: the upload URL in its {@code upload_descriptor} and the
 * image {@code preview_url}. A token names the user it was issued to and signs (user, attachment id) with a key
 * for that one purpose, so an upload token cannot open a preview, a link cannot be moved to another
 * attachment, and nobody can mint one without the server key.
 *
 * <p>Links do not expire: a preview URL is stored inside the thread's messages and must keep working when the
 * thread is loaded again later. An upload link stops working once its upload is done.
 */
public final class AttachmentLinks {
    static final String BASE_PATH = "/chatkit/attachments";

    private final Hmac upload;
    private final Hmac preview;

    AttachmentLinks(byte[] masterKey) {
        this.upload = Hmac.forPurpose(masterKey, "parley/attachment-upload/v1");
        this.preview = Hmac.forPurpose(masterKey, "parley/attachment-preview/v1");
    }

    String uploadUrl(String baseUrl, String userId, String attachmentId) {
        return baseUrl + BASE_PATH + "/" + encode(attachmentId) + "/upload?token=" + token(upload, userId, attachmentId);
    }

    String previewUrl(String baseUrl, String userId, String attachmentId) {
        return baseUrl + BASE_PATH + "/" + encode(attachmentId) + "/preview?sig=" + token(preview, userId, attachmentId);
    }

    /** {@return the user an upload token for this attachment was issued to, if the token is genuine} */
    Optional<String> uploader(String attachmentId, String token) {
        return check(upload, attachmentId, token);
    }

    /** {@return the user a preview signature for this attachment was issued to, if it is genuine} */
    Optional<String> viewer(String attachmentId, String sig) {
        return check(preview, attachmentId, sig);
    }

    private static String token(Hmac hmac, String userId, String attachmentId) {
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        return Hmac.base64Url(user) + "." + Hmac.base64Url(hmac.sign(signed(userId, attachmentId)));
    }

    private static Optional<String> check(Hmac hmac, String attachmentId, String token) {
        if (token == null || token.length() > 512) return Optional.empty();
        int dot = token.indexOf('.');
        if (dot <= 0) return Optional.empty();
        byte[] user = Hmac.fromBase64Url(token.substring(0, dot));
        byte[] mac = Hmac.fromBase64Url(token.substring(dot + 1));
        if (user == null || mac == null) return Optional.empty();
        String userId = new String(user, StandardCharsets.UTF_8);
        return hmac.verify(signed(userId, attachmentId), mac) ? Optional.of(userId) : Optional.empty();
    }

    /** The user id is length-prefixed so that no (user, id) pair can be re-split into another. */
    private static byte[] signed(String userId, String attachmentId) {
        return (userId.length() + ":" + userId + "/" + attachmentId).getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
