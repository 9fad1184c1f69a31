package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Attachment;
import dev.parley.server.EchoResponder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two-phase attachments: create, upload, preview, delete, and everything that must be refused. */
class AttachmentRouteTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static TestServer server;
    TestServer.User user;

    @BeforeAll
    static void start() {
        server = TestServer.start(new EchoResponder(), c -> c.withMaxAttachmentBytes(1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void freshUser() {
        user = server.newUser();
    }

    static String createRequest(String name, long size, String mime) {
        return "{\"type\":\"attachments.create\",\"params\":{\"name\":\"" + name + "\",\"size\":" + size
                + ",\"mime_type\":\"" + mime + "\"}}";
    }

    JsonNode create(TestServer.User who, String name, long size, String mime) {
        var r = who.post(createRequest(name, size, mime));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    TestServer.Response put(String url, byte[] bytes, String contentType) {
        return server.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    static String uploadUrl(JsonNode attachment) {
        return attachment.path("upload_descriptor").path("url").asText();
    }

    @Test
    void createDescribesTheUploadAndHidesServerMetadata() {
        JsonNode file = create(user, "notes.txt", 5, "text/plain");
        assertThat(file.path("type").asText()).isEqualTo("file");
        assertThat(file.path("id").asText()).startsWith("atc_");
        assertThat(file.path("name").asText()).isEqualTo("notes.txt");
        assertThat(file.path("mime_type").asText()).isEqualTo("text/plain");
        assertThat(file.path("upload_descriptor").path("method").asText()).isEqualTo("PUT");
        assertThat(file.path("upload_descriptor").path("headers").toString()).isEqualTo("{}");
        assertThat(uploadUrl(file)).startsWith(server.server().baseUri().toString().replace("localhost", "127.0.0.1")
                + "/chatkit/attachments/" + file.path("id").asText() + "/upload?token=");
        assertThat(file.has("metadata")).isFalse();
        assertThat(file.has("preview_url")).isFalse();
        // ...but the server keeps the owner and declared size.
        Attachment stored = server.store().loadAttachment(user.userId(), file.path("id").asText());
        assertThat(stored.metadata()).containsEntry("owner", user.userId());
        assertThat(((Number) stored.metadata().get("declared_size")).longValue()).isEqualTo(5);
    }

    @Test
    void imagesGetASignedPreviewUrl() {
        JsonNode image = create(user, "cat.png", PNG.length, "image/png");
        assertThat(image.path("type").asText()).isEqualTo("image");
        assertThat(image.path("preview_url").asText()).contains("/chatkit/attachments/" + image.path("id").asText()
                + "/preview?sig=");
    }

    @Test
    void uploadThenPreviewReturnsTheExactBytes() {
        JsonNode image = create(user, "cat.png", PNG.length, "image/png");
        var up = put(uploadUrl(image), PNG, "image/png");
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        assertThat(up.body().path("id").asText()).isEqualTo(image.path("id").asText());
        assertThat(up.body().has("upload_descriptor")).isFalse();
        assertThat(up.body().has("metadata")).isFalse();
        assertThat(up.body().path("preview_url").asText()).isEqualTo(image.path("preview_url").asText());

        var preview = server.send(HttpRequest.newBuilder(URI.create(image.path("preview_url").asText())).GET());
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.bytes()).isEqualTo(PNG);
        assertThat(preview.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(preview.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(preview.headers().firstValue("Cache-Control")).contains("private");
        assertThat(preview.headers().firstValue("Content-Security-Policy")).contains("sandbox");

        // The owner's client secret works too.
        var byBearer = user.get("/chatkit/attachments/" + image.path("id").asText() + "/preview");
        assertThat(byBearer.status()).isEqualTo(200);
        assertThat(byBearer.bytes()).isEqualTo(PNG);
        Object size = server.store().loadAttachment(user.userId(), image.path("id").asText()).metadata().get("size");
        assertThat(((Number) size).longValue()).isEqualTo(PNG.length);
    }

    @Test
    void filesDownloadAsAttachments() {
        JsonNode file = create(user, "report q1.pdf", 4, "application/pdf");
        assertThat(put(uploadUrl(file), "%PDF".getBytes(StandardCharsets.US_ASCII), "application/pdf").status()).isEqualTo(200);
        var r = user.get("/chatkit/attachments/" + file.path("id").asText() + "/preview");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("%PDF");
        assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename*=UTF-8''report%20q1.pdf");
    }

    @Test
    void multipartUploadsWithAFileFieldWork() {
        JsonNode image = create(user, "cat.png", PNG.length, "image/png");
        String boundary = "parleyBoundary42";
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nchat\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(PNG);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        var r = server.send(HttpRequest.newBuilder(URI.create(uploadUrl(image)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(image.path("preview_url").asText())).GET()).bytes())
                .isEqualTo(PNG);
    }

    @Test
    void nobodyElseCanSeeTheBytes() {
        JsonNode image = create(user, "cat.png", PNG.length, "image/png");
        put(uploadUrl(image), PNG, "image/png");
        String id = image.path("id").asText();
        String preview = image.path("preview_url").asText();
        TestServer.User other = server.newUser();

        assertThat(other.get("/chatkit/attachments/" + id + "/preview").status()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/chatkit/attachments/" + id + "/preview")).GET()).status())
                .isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(URI.create(preview.substring(0, preview.length() - 2) + "xx")).GET())
                .status()).isEqualTo(404);
        // A genuine signature for another attachment does not open this one.
        JsonNode otherImage = create(other, "dog.png", PNG.length, "image/png");
        String otherSig = otherImage.path("preview_url").asText().split("sig=")[1];
        var moved = server.send(HttpRequest.newBuilder(server.uri("/chatkit/attachments/" + id + "/preview?sig=" + otherSig)).GET());
        assertThat(moved.status()).isEqualTo(404);
        // The upload token is not a preview signature.
        String uploadToken = uploadUrl(image).split("token=")[1];
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/chatkit/attachments/" + id + "/preview?sig=" + uploadToken))
                .GET()).status()).isEqualTo(404);
        // 404s look the same as for an id that does not exist.
        var missing = server.send(HttpRequest.newBuilder(server.uri("/chatkit/attachments/atc_missing/preview?sig=" + otherSig)).GET());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");
    }

    @Test
    void uploadsNeedAGenuineTokenForThatAttachment() {
        JsonNode file = create(user, "a.txt", 3, "text/plain");
        String url = uploadUrl(file);
        assertThat(put(url.substring(0, url.length() - 2) + "xx", "abc".getBytes(), "text/plain").status()).isEqualTo(404);
        JsonNode other = create(server.newUser(), "b.txt", 3, "text/plain");
        String foreignToken = uploadUrl(other).split("token=")[1];
        assertThat(put(url.split("token=")[0] + "token=" + foreignToken, "abc".getBytes(), "text/plain").status()).isEqualTo(404);
        var anonymous = put(url.split("\\?")[0], "abc".getBytes(), "text/plain");
        assertThat(anonymous.status()).isEqualTo(401);
        // The owner's bearer secret is accepted instead of the token.
        var byOwner = server.send(user.authorized(HttpRequest.newBuilder(URI.create(url.split("\\?")[0])))
                .PUT(HttpRequest.BodyPublishers.ofByteArray("abc".getBytes())));
        assertThat(byOwner.status()).as(byOwner.text()).isEqualTo(200);
    }

    @Test
    void anUploadCanHappenOnlyOnce() {
        JsonNode file = create(user, "a.txt", 3, "text/plain");
        assertThat(put(uploadUrl(file), "abc".getBytes(), "text/plain").status()).isEqualTo(200);
        var again = put(uploadUrl(file), "xyz".getBytes(), "text/plain");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("attachment_already_uploaded");
        assertThat(user.get("/chatkit/attachments/" + file.path("id").asText() + "/preview").text()).isEqualTo("abc");
    }

    @Test
    void moreBytesThanDeclaredIs413AndNothingIsKept() {
        JsonNode file = create(user, "a.txt", 3, "text/plain");
        var r = put(uploadUrl(file), "abcd".getBytes(), "text/plain");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("attachment_too_large");
        assertThat(user.get("/chatkit/attachments/" + file.path("id").asText() + "/preview").status()).isEqualTo(404);
        // Still pending, so a correct upload can follow.
        assertThat(put(uploadUrl(file), "abc".getBytes(), "text/plain").status()).isEqualTo(200);
    }

    @Test
    void aStreamedUploadOverTheLimitIs413() {
        // Without Content-Length the limit is enforced while the bytes arrive.
        JsonNode file = create(user, "a.txt", 1000, "text/plain");
        byte[] big = new byte[5000];
        var r = server.send(HttpRequest.newBuilder(URI.create(uploadUrl(file)))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(r.status()).isEqualTo(413);
        assertThat(user.get("/chatkit/attachments/" + file.path("id").asText() + "/preview").status()).isEqualTo(404);
    }

    @Test
    void declaringMoreThanTheLimitIs413WithTheLimit() {
        var r = user.post(createRequest("huge.png", 2048, "image/png"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("attachment_too_large");
        assertThat(r.errorMessage()).contains("1024 bytes");
    }

    @Test
    void disallowedTypesAre400WithTheAllowedList() {
        var r = user.post(createRequest("page.html", 10, "text/html"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("attachment_type_not_allowed");
        assertThat(r.errorMessage()).contains("text/html").contains("image/png").contains("application/pdf");
    }

    @Test
    void typeParametersAndCaseDoNotMatter() {
        JsonNode file = create(user, "notes.txt", 3, "Text/Plain; charset=utf-8");
        assertThat(file.path("mime_type").asText()).isEqualTo("text/plain");
    }

    @Test
    void deleteRemovesTheBytes() {
        JsonNode file = create(user, "a.txt", 3, "text/plain");
        put(uploadUrl(file), "abc".getBytes(), "text/plain");
        String id = file.path("id").asText();
        var r = user.post("{\"type\":\"attachments.delete\",\"params\":{\"attachment_id\":\"" + id + "\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        assertThat(user.get("/chatkit/attachments/" + id + "/preview").status()).isEqualTo(404);
        assertThat(server.server().config().dataDir().resolve("attachments").resolve(id)).doesNotExist();
    }

    @Test
    void anUploadedAttachmentTravelsWithAMessageWithoutMetadata() {
        JsonNode image = create(user, "cat.png", PNG.length, "image/png");
        put(uploadUrl(image), PNG, "image/png");
        String id = image.path("id").asText();
        var events = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"look\"}],\"attachments\":[\"" + id + "\"],\"inference_options\":{}}}}");
        JsonNode sent = events.get(1).path("item").path("attachments").get(0);
        String thread = events.getFirst().path("thread").path("id").asText();
        assertThat(sent.path("id").asText()).isEqualTo(id);
        assertThat(sent.path("thread_id").asText()).isEqualTo(thread);
        assertThat(sent.has("metadata")).isFalse();
        assertThat(sent.has("upload_descriptor")).isFalse();
        var items = user.post("{\"type\":\"items.list\",\"params\":{\"thread_id\":\"" + thread + "\",\"order\":\"asc\"}}");
        assertThat(items.text()).contains(id).doesNotContain("declared_size").doesNotContain("\"owner\"");
        assertThat(server.store().loadAttachment(user.userId(), id).threadId()).isEqualTo(thread);
    }

    @Test
    void configuredPublicUrlIsUsedForLinks() {
        try (var behindProxy = TestServer.start(new EchoResponder(),
                c -> c.withPublicUrl(URI.create("https://chat.example.com/")))) {
            var r = behindProxy.newUser().post(createRequest("cat.png", 4, "image/png"));
            assertThat(r.body().path("upload_descriptor").path("url").asText())
                    .startsWith("https://chat.example.com/chatkit/attachments/atc_");
            assertThat(r.body().path("preview_url").asText()).startsWith("https://chat.example.com/chatkit/attachments/atc_");
        }
    }

    @Test
    void wildcardTypesAllowAFamily() {
        try (var images = TestServer.start(new EchoResponder(), c -> c.withAttachmentTypes(List.of("image/*")))) {
            var u = images.newUser();
            assertThat(u.post(createRequest("x.avif", 4, "image/avif")).status()).isEqualTo(200);
            assertThat(u.post(createRequest("x.txt", 4, "text/plain")).errorCode()).isEqualTo("attachment_type_not_allowed");
        }
    }
}
