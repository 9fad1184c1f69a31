package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.parley.model.openai.OpenAiSettings;
import dev.parley.model.openai.OpenAiTranscriber;
import dev.parley.server.EchoResponder;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.ParleyConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code input.transcribe} over HTTP: through a stand-in for OpenAI's {@code /audio/transcriptions} on loopback, its
 * failures as a 502 the widget can show, and a server without a transcriber saying what to configure.
 */
class TranscriptionRouteTest {
    private static final String AUDIO = Base64.getEncoder().encodeToString("pretend this is opus".getBytes(StandardCharsets.UTF_8));
    private static final String REQUEST = "{\"type\":\"input.transcribe\",\"params\":{\"audio_base64\":\"" + AUDIO
            + "\",\"mime_type\":\"audio/webm;codecs=opus\"}}";

    /** A stand-in transcription server answering {@code status} with {@code body}; what it received lands in {@code got}. */
    private static HttpServer standIn(int status, String body, AtomicReference<Map<String, String>> got) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/v1/audio/transcriptions", exchange -> {
            String upload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            got.set(Map.of("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")), "body", upload));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        http.start();
        return http;
    }

    private static TestServer parley(HttpServer standIn) throws IOException {
        var settings = new OpenAiSettings("sk-test-key", "http://127.0.0.1:" + standIn.getAddress().getPort() + "/v1", "gpt-5-nano");
        ParleyConfig config = ParleyConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withDataDir(Files.createTempDirectory("parley-transcribe-"));
        return TestServer.of(ParleyServer.start(config, new EchoResponder(), Transcribers.through(new OpenAiTranscriber(settings, null))));
    }

    @Test
    void theRecordingGoesToTheProviderAndItsTextComesBack() throws IOException {
        var got = new AtomicReference<Map<String, String>>();
        HttpServer http = standIn(200, "{\"text\":\" Book a call for Tuesday \"}", got);
        try (TestServer server = parley(http)) {
            TestServer.Response r = server.newUser().post(REQUEST);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("text").asText()).isEqualTo("Book a call for Tuesday");
            assertThat(got.get().get("auth")).isEqualTo("Bearer sk-test-key");
            assertThat(got.get().get("type")).startsWith("multipart/form-data; boundary=");
            assertThat(got.get().get("body")).contains("filename=\"dictation.webm\"").contains("Content-Type: audio/webm")
                    .contains("pretend this is opus").contains("gpt-4o-mini-transcribe");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aProviderFailureIsA502ThatSaysToType() throws IOException {
        HttpServer http = standIn(400, "{\"error\":{\"message\":\"Audio file might be corrupted\"}}", new AtomicReference<>());
        try (TestServer server = parley(http)) {
            TestServer.Response r = server.newUser().post(REQUEST);
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.errorCode()).isEqualTo("transcription_failed");
            assertThat(r.errorMessage()).contains("please type your message instead").doesNotContain("Exception");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void withoutATranscriberTheServerSaysWhatToConfigure() {
        assertThat(Transcribers.of(AssistantConfig.defaults())).as("the embedded provider has no speech-to-text").isNull();
        try (TestServer server = TestServer.start(new EchoResponder())) {
            TestServer.Response r = server.newUser().post(REQUEST);
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.errorCode()).isEqualTo("transcription_disabled");
            assertThat(r.errorMessage()).contains("no transcriber is configured").contains("OPENAI_API_KEY")
                    .contains("dictation");
        }
    }
}
