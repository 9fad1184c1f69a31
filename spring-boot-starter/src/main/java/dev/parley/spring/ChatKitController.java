package dev.parley.spring;

import dev.parley.embed.ErrorResponse;
import dev.parley.embed.Parley;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.server.sse.SseEventWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The ChatKit endpoint on Spring MVC: {@code POST ${parley.path}} answers with JSON or a server-sent event stream,
 * written and flushed event by event on the request's thread (with {@code spring.threads.virtual.enabled=true}
 * a turn holds a virtual thread, not a platform one). {@code POST ${parley.path}/session} is what the widget
 * calls first: it establishes the user (a visitor cookie when there is no login) and returns a client secret the
 * widget sends back, which this endpoint does not need, because the user comes from the application's own
 * session on every request.
 *
 * <p>Checks, in order: a user (401), the content type, which must be JSON so that no cross-site form can post
 * here (415), the body size (413), then the dispatcher (400, 404, …). Errors have Parley's JSON error body and
 * never a stack trace.
 */
@Controller
@RequestMapping("${parley.path:/chatkit}")
public class ChatKitController {
    private static final System.Logger LOG = System.getLogger(ChatKitController.class.getName());
    /** What the session route returns as the secret: the widget needs one, the endpoint authenticates otherwise. */
    private static final String SESSION_MARKER = "spring-session";

    /** Each request record's wire {@code type}, for the metrics' tag; read from the protocol's own mapping. */
    private static final Map<Class<?>, String> TYPE_NAMES = java.util.Arrays.stream(
                    ChatKitRequest.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(t -> t.value(), t -> t.name()));

    private final Parley parley;
    private final ParleyUsers users;
    private final ParleyMetrics metrics;
    private final long maxBodyBytes;

    public ChatKitController(Parley parley, ParleyUsers users, ParleyMetrics metrics, ParleyProperties properties) {
        this.parley = parley;
        this.users = users;
        this.metrics = metrics;
        this.maxBodyBytes = properties.maxBodyBytes();
    }

    @PostMapping
    public void chatKit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        String type = "invalid";
        String outcome;
        try {
            Optional<String> user = users.user(request);
            if (user.isEmpty()) {
                outcome = error(response, new ErrorResponse(401, "unauthenticated", "Sign in first, or call POST "
                        + request.getRequestURI() + "/session to start a visitor session"));
                return;
            }
            String contentType = request.getContentType();
            String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (!media.equals("application/json") && !media.endsWith("+json")) {
                outcome = error(response, new ErrorResponse(415, "unsupported_media_type",
                        "Send the request body as Content-Type: application/json (got "
                                + (contentType == null ? "none" : contentType) + ")"));
                return;
            }
            byte[] body = read(request.getInputStream());
            if (body == null) {
                outcome = error(response, new ErrorResponse(413, "body_too_large",
                        "The request body is larger than the limit of " + maxBodyBytes + " bytes (parley.max-body-bytes)"));
                return;
            }
            ChatKitRequest parsed = ChatKitJson.readRequest(body);
            type = TYPE_NAMES.getOrDefault(parsed.getClass(), "invalid");
            var context = new RequestContext(user.get(), locale(request), "");
            outcome = switch (parley.chatKit().process(parsed, context)) {
                case Result.Json json -> {
                    send(response, 200, ChatKitJson.writeWire(json.body()));
                    yield "200";
                }
                case Result.Stream stream -> stream(response, stream);
            };
        } catch (RuntimeException e) {
            outcome = error(response, ErrorResponse.of(e).orElseGet(() -> {
                String ref = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                LOG.log(System.Logger.Level.ERROR, "ChatKit request failed (ref " + ref + ")", e);
                return ErrorResponse.internal(ref);
            }));
        }
        metrics.request(type, outcome, Duration.ofNanos(System.nanoTime() - start));
    }

    @PostMapping("/session")
    public void session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> user = users.startSession(request, response);
        if (user.isEmpty()) {
            error(response, new ErrorResponse(401, "unauthenticated", "Sign in first: this application's chat is "
                    + "for logged-in users (parley.users=principal)"));
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        send(response, 200, ChatKitJson.writeWire(Map.of("client_secret", SESSION_MARKER)));
    }

    private static String stream(HttpServletResponse response, Result.Stream stream) throws IOException {
        response.setStatus(200);
        response.setContentType(SseEventWriter.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        // Proxies such as nginx buffer responses by default, which would hold events back.
        response.setHeader("X-Accel-Buffering", "no");
        var writer = new SseEventWriter(response.getOutputStream());
        // The body turns every failure inside the turn into an error event itself; nothing to catch here.
        stream.body().writeTo(writer);
        return writer.isOpen() ? "200" : "client_gone";
    }

    /** {@return the body, or null when it is larger than the limit} */
    private byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        return body.length > maxBodyBytes ? null : body;
    }

    private static String locale(HttpServletRequest request) {
        String header = request.getHeader("Accept-Language");
        if (header == null || header.isBlank()) return null;
        return header.split(",")[0].split(";")[0].trim();
    }

    private static String error(HttpServletResponse response, ErrorResponse error) throws IOException {
        if (error.status() == 401) response.setHeader("WWW-Authenticate", "Bearer");
        send(response, error.status(), error.json());
        return Integer.toString(error.status());
    }

    private static void send(HttpServletResponse response, int status, byte[] json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
