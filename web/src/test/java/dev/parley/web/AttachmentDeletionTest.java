package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web.config.AssistantConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting conversations deletes their attachments, over real HTTP: the rows, the files under
 * {@code <dataDir>/attachments}, and with them every link (a signed preview URL stays signed, but answers 404).
 */
class AttachmentDeletionTest {
    static final String TOKEN = ServerApiTest.TOKEN;
    static final byte[] PNG = AttachmentRouteTest.PNG;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startWorkflows(AssistantConfig.defaults().withAdminToken(TOKEN).withWorkflowId("wf_api"),
                WorkflowChatTest.KEYWORDS);
        assertThat(admin("POST", "/admin/workflows", ServerApiTest.WORKFLOW).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestServer.Response admin(String method, String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A host site's user, with a client secret the backend minted. */
    static TestServer.User hostUser(String name) {
        String secret = admin("POST", "/admin/users/" + name + "/sessions", "{}").body().path("client_secret").asText();
        return server.userWith(null, secret);
    }

    static Path file(String attachmentId) {
        return server.server().config().dataDir().resolve("attachments").resolve(attachmentId);
    }

    /** An uploaded image attachment (created, bytes sent), not yet in any message. */
    static JsonNode uploadedImage(TestServer.User user) {
        var created = user.post(AttachmentRouteTest.createRequest("cat.png", PNG.length, "image/png"));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        var up = server.send(HttpRequest.newBuilder(URI.create(created.body().path("upload_descriptor").path("url").asText()))
                .header("Content-Type", "image/png").PUT(HttpRequest.BodyPublishers.ofByteArray(PNG)));
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        return created.body();
    }

    /** {@return the id of a new thread whose first message carries the attachment} */
    static String sendInNewThread(TestServer.User user, JsonNode attachment) {
        List<JsonNode> events = user.stream("{\"type\":\"threads.create\",\"params\":{\"input\":{\"content\":[{\"type\":"
                + "\"input_text\",\"text\":\"look\"}],\"attachments\":[\"" + attachment.path("id").asText()
                + "\"],\"inference_options\":{}}}}");
        String thread = events.getFirst().path("thread").path("id").asText();
        assertThat(thread).startsWith("thr_");
        return thread;
    }

    static int previewStatus(JsonNode image) {
        return server.send(HttpRequest.newBuilder(URI.create(image.path("preview_url").asText())).GET()).status();
    }

    static int previewStatusWithSecret(TestServer.User user, JsonNode image) {
        return user.get("/chatkit/attachments/" + image.path("id").asText() + "/preview").status();
    }

    @Test
    void deletingAThreadDeletesItsImageThePreviewAnswers404AndTheFileIsGone() {
        TestServer.User user = server.newUser();
        JsonNode image = uploadedImage(user);
        String thread = sendInNewThread(user, image);
        JsonNode kept = uploadedImage(user);
        sendInNewThread(user, kept);
        assertThat(previewStatus(image)).as("the signed link works while the thread exists").isEqualTo(200);
        assertThat(file(image.path("id").asText())).exists();

        var deleted = user.post("{\"type\":\"threads.delete\",\"params\":{\"thread_id\":\"" + thread + "\"}}");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);

        assertThat(previewStatus(image)).as("the signed link, still validly signed").isEqualTo(404);
        assertThat(previewStatusWithSecret(user, image)).as("the owner's own secret").isEqualTo(404);
        assertThat(file(image.path("id").asText())).doesNotExist();
        assertThat(server.store().knownAttachmentIds(List.of(image.path("id").asText()))).isEmpty();
        assertThat(previewStatus(kept)).as("the image of the user's other thread").isEqualTo(200);
        assertThat(file(kept.path("id").asText())).exists();
    }

    @Test
    void deletingAUsersThreadsDeletesAllTheirAttachmentsAndNothingOfAnotherUser() {
        TestServer.User alice = hostUser("alice-erase");
        TestServer.User bob = hostUser("bob-keeps");
        List<JsonNode> alices = List.of(uploadedImage(alice), uploadedImage(alice));
        alices.forEach(a -> sendInNewThread(alice, a));
        JsonNode neverSent = uploadedImage(alice);
        JsonNode bobs = uploadedImage(bob);
        String bobsThread = sendInNewThread(bob, bobs);

        var withoutToken = server.send(HttpRequest.newBuilder(server.uri("/admin/users/alice-erase/threads")).DELETE());
        assertThat(withoutToken.status()).isEqualTo(401);
        assertThat(previewStatus(alices.getFirst())).as("nothing deleted without the token").isEqualTo(200);

        var erased = admin("DELETE", "/admin/users/alice-erase/threads", null);
        assertThat(erased.status()).as(erased.text()).isEqualTo(200);
        assertThat(erased.body().path("user").asText()).isEqualTo("ext:alice-erase");
        assertThat(erased.body().path("deleted_threads").asInt()).isEqualTo(2);
        assertThat(erased.body().path("deleted_attachments").asInt()).isEqualTo(3);

        assertThat(admin("GET", "/admin/users/alice-erase/threads", null).body().path("data")).isEmpty();
        for (JsonNode a : List.of(alices.get(0), alices.get(1), neverSent)) {
            assertThat(previewStatus(a)).as(a.path("id").asText()).isEqualTo(404);
            assertThat(file(a.path("id").asText())).doesNotExist();
        }
        assertThat(previewStatus(bobs)).isEqualTo(200);
        assertThat(file(bobs.path("id").asText())).exists();
        assertThat(bob.post("{\"type\":\"threads.get_by_id\",\"params\":{\"thread_id\":\"" + bobsThread + "\"}}").status())
                .isEqualTo(200);
        assertThat(admin("DELETE", "/admin/users/alice-erase/threads", null).body().path("deleted_threads").asInt())
                .as("a second call finds nothing").isZero();
    }

    @Test
    void anUploadWhoseAttachmentIsDeletedMeanwhileKeepsNeitherTheBytesNorTheAttachment() throws Exception {
        TestServer.User user = server.newUser();
        var created = user.post(AttachmentRouteTest.createRequest("cat.png", PNG.length, "image/png")).body();
        String id = created.path("id").asText();
        URI url = URI.create(created.path("upload_descriptor").path("url").asText());
        // A raw connection, so the upload can stop half way for as long as the test needs.
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: " + url.getAuthority()
                    + "\r\nContent-Type: image/png\r\nContent-Length: " + PNG.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(PNG, 0, 4);
            out.flush();
            // The server has looked the attachment up and is writing its bytes once a temporary file appears.
            awaitTemporaryFile();

            var deleted = user.post("{\"type\":\"attachments.delete\",\"params\":{\"attachment_id\":\"" + id + "\"}}");
            assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
            out.write(PNG, 4, PNG.length - 4);
            out.flush();

            String response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 404").contains("Attachment " + id + " not found");
        }
        assertThat(server.store().knownAttachmentIds(List.of(id))).as("the attachment did not come back").isEmpty();
        assertThat(file(id)).doesNotExist();
    }

    /** {@return one response's head and body}, read as far as its Content-Length says (the server may keep the connection) */
    private static String readResponse(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        var length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static void awaitTemporaryFile() throws IOException, InterruptedException {
        Path dir = server.server().config().dataDir().resolve("attachments");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().startsWith(".upload-"))) return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("The upload never started writing to " + dir);
    }
}
