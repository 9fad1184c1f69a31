package dev.parley.web.chatkit;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.web.access.RateLimiter;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.web.http.SseEventSink;
import dev.parley.web.observe.RequestInfo;
import dev.parley.web.observe.TurnWatcher;
import dev.parley.web.session.StateVariables;
import dev.parley.workflow.engine.SessionClaims;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The ChatKit endpoint: {@code POST /chatkit} with a client secret, answered with JSON or a server-sent event
 * stream depending on the request's {@code type}.
 *
 * <pre>{@code
 * curl -sN http://localhost:8080/chatkit -H "Authorization: Bearer $SECRET" -H 'Content-Type: application/json' \
 *   -d '{"type":"threads.create","params":{"input":{"content":[{"type":"input_text","text":"Hi"}],
 *        "attachments":[],"inference_options":{}}}}'
 * }</pre>
 *
 * <p>Order of checks: the secret (401), the user's rate limit (429), the content type (415), the body size (413),
 * then the dispatcher (400, 404, …). An unauthenticated body is never read. Streams are {@code 200 text/event-stream} with one
 * {@code data: {...}\n\n} frame per event, sent as produced (events produced back to back share a write); errors inside a stream are {@code error}
 * events, as in the reference server.
 */
public final class ChatKitService implements HttpService {
    public static final String PATH = "/chatkit";
    private static final System.Logger LOG = System.getLogger(ChatKitService.class.getName());

    /**
     * Bodies must be JSON, but clients that omit the header or send a "simple" type are accepted: curl's
     * {@code -d} sends form-urlencoded, {@code sendBeacon} text/plain. Authentication is by header, so
     * accepting these opens no cross-site request path.
     */
    private static final Set<String> ACCEPTED_TYPES = Set.of("application/json", "text/plain", "application/x-www-form-urlencoded");

    private final ChatKitServer chatKit;
    private final ClientSecrets secrets;
    private final long maxBodyBytes;
    private final URI publicUrl;
    private final RateLimiter perUser;
    private final TurnWatcher turns;

    public ChatKitService(ChatKitServer chatKit, ClientSecrets secrets, long maxBodyBytes, URI publicUrl, RateLimiter perUser) {
        this(chatKit, secrets, maxBodyBytes, publicUrl, perUser, TurnWatcher.NONE);
    }

    /** As above, with {@code turns} watching each stream (turn metrics). */
    public ChatKitService(ChatKitServer chatKit, ClientSecrets secrets, long maxBodyBytes, URI publicUrl, RateLimiter perUser,
            TurnWatcher turns) {
        this.turns = turns;
        this.chatKit = chatKit;
        this.secrets = secrets;
        this.maxBodyBytes = maxBodyBytes;
        this.publicUrl = publicUrl;
        this.perUser = perUser;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PATH, this::handle)
                .options(PATH, this::options)
                .any(PATH, this::wrongMethod);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        ClientSecrets.Verified session = authenticate(req);
        long wait = perUser.acquire(session.userId());
        if (wait > 0) {
            throw new HttpError(429, "rate_limited", "Too many requests for this user (limit " + perUser.perMinute()
                    + " per minute); try again in " + wait + " s", Map.of("Retry-After", Long.toString(wait)));
        }
        String type = Requests.mediaType(req);
        if (type != null && !ACCEPTED_TYPES.contains(type) && !type.endsWith("+json")) {
            throw new HttpError(415, "unsupported_media_type",
                    "Send the request body as Content-Type: application/json (got " + type + ")");
        }
        byte[] body = Requests.readBody(req, maxBodyBytes, "body_too_large",
                "The request body is larger than the limit of " + maxBodyBytes + " bytes");
        var ctx = new RequestContext(session.userId(), Requests.locale(req), Requests.baseUrl(req, publicUrl),
                new SessionClaims(session.workflowVersion(), StateVariables.parse(session.stateVariables())));
        ChatKitRequest request = ChatKitJson.readRequest(body);
        String kind = RequestTypes.of(request);
        RequestInfo.type(kind);
        switch (chatKit.process(request, ctx)) {
            case Result.Json json -> ErrorResponses.json(res, 200, json.body());
            case Result.Stream stream -> stream(res, stream, turns, kind, RequestInfo.started());
        }
    }

    /** Writes a dispatcher's answer for another route (the console's previews): JSON, or events as produced. */
    public static void respond(ServerResponse res, Result result) {
        switch (result) {
            case Result.Json json -> ErrorResponses.json(res, 200, json.body());
            case Result.Stream stream -> stream(res, stream, TurnWatcher.NONE, "preview", System.nanoTime());
        }
    }

    /** {@return the session the request's client secret was issued for} */
    private ClientSecrets.Verified authenticate(ServerRequest req) {
        String secret = Requests.bearer(req).orElseThrow(ClientSecrets.InvalidSecretException::missing);
        return secrets.verify(secret);
    }

    private static void stream(ServerResponse res, Result.Stream stream, TurnWatcher turns, String kind, long started) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderValues.CONNECTION_KEEP_ALIVE);
        // Proxies such as nginx buffer responses by default, which would hold events back.
        res.header("X-Accel-Buffering", "no");
        // The stream body turns every failure into an error event itself (RespondPipeline); nothing to catch here.
        try (OutputStream out = res.outputStream(); var events = new SseEventSink(out);
                var sink = turns.watch(events, kind, started)) {
            stream.body().writeTo(sink);
        } catch (java.io.IOException | RuntimeException e) {
            // Closing failed: the client left after the last event; the response is over either way.
            LOG.log(System.Logger.Level.DEBUG, "Closing a /chatkit stream failed", e);
        }
    }

    private void options(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.ALLOW, "POST, OPTIONS");
        res.status(204).send();
    }

    private void wrongMethod(ServerRequest req, ServerResponse res) {
        throw new HttpError(405, "method_not_allowed",
                "Use POST for " + PATH + " (got " + req.prologue().method().text() + ")", Map.of("Allow", "POST, OPTIONS"));
    }
}
