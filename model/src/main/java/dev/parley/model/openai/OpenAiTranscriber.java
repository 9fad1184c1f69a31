package dev.parley.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.ModelException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Dictation through OpenAI's {@code POST /audio/transcriptions} (or the same route of an OpenAI-compatible server,
 * such as a local Whisper server): the widget's recording goes up as one multipart file, the text comes back.
 *
 * <p>Plain {@link HttpClient} rather than the SDK's audio API: one small multipart request, and the same call works
 * against servers that implement only this route.
 */
public final class OpenAiTranscriber {
    /** OpenAI's smaller speech-to-text model; servers of other makes are told the same name and may ignore it. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini-transcribe";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiSettings settings;
    private final String model;
    private final HttpClient http;

    /** @param model the transcription model; null for {@value #DEFAULT_MODEL} */
    public OpenAiTranscriber(OpenAiSettings settings, String model) {
        this.settings = settings;
        this.model = model == null || model.isBlank() ? DEFAULT_MODEL : model.strip();
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    /**
     * {@return the text spoken in {@code audio}}
     *
     * @param mediaType the recording's type without parameters ({@code audio/webm}, {@code audio/ogg}, {@code audio/mp4})
     * @throws ModelException when the server cannot be reached or refuses the audio (the user message says to type)
     */
    public String transcribe(byte[] audio, String mediaType) {
        String boundary = "parley-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        part(body, boundary, "Content-Disposition: form-data; name=\"model\"\r\n\r\n" + model);
        String extension = switch (mediaType) {
            case "audio/ogg" -> "ogg";
            case "audio/mp4" -> "mp4";
            case "audio/wav", "audio/x-wav" -> "wav";
            default -> "webm";
        };
        part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"dictation." + extension
                + "\"\r\nContent-Type: " + mediaType + "\r\n\r\n");
        body.writeBytes(audio);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(URI.create(settings.effectiveBaseUrl() + "/audio/transcriptions"))
                .timeout(settings.timeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (settings.apiKey() != null) request.header("Authorization", "Bearer " + settings.apiKey());
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure("The transcription server at " + settings.effectiveBaseUrl() + " could not be reached: "
                    + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Transcription was interrupted", true, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw failure("The transcription server answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()), response.statusCode() >= 500 || response.statusCode() == 429, null);
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            return json.path("text").asText("").strip();
        } catch (IOException e) {
            throw failure("The transcription server answered something other than JSON: " + abbreviate(response.body()),
                    false, e);
        }
    }

    private static void part(ByteArrayOutputStream out, String boundary, String headersAndValue) {
        out.writeBytes(("--" + boundary + "\r\n" + headersAndValue).getBytes(StandardCharsets.UTF_8));
        if (!headersAndValue.endsWith("\r\n\r\n")) out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static ModelException failure(String operator, boolean retryable, Throwable cause) {
        return new ModelException(operator, "Dictation did not work this time; please type your message instead.",
                retryable, cause);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
