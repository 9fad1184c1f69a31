package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.protocol.Order;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.AttachmentStore;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.Store;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.auth.Revocations;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.web.http.SseEventSink;
import dev.parley.web.session.StateVariables;
import dev.parley.workflow.engine.SessionClaims;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the host site's backend can do for its users, behind the admin token: hand a logged-in user a client
 * secret (so the host's login replaces the anonymous cookie), post a message into a user's thread and run the
 * workflow (a reminder, a notification, a form the backend received), list a user's threads, and delete them all
 * with their attachments (when the user closes their account or asks for their data to be erased).
 *
 * <pre>{@code
 * curl -s localhost:8080/admin/users/alice/sessions -H "Authorization: Bearer $TOKEN" -d '{"state_variables":{"plan":"pro"}}'
 * curl -s localhost:8080/admin/users/alice/messages -H "Authorization: Bearer $TOKEN" -d '{"text":"Your order shipped"}'
 * curl -s localhost:8080/admin/users/alice/threads  -H "Authorization: Bearer $TOKEN"
 * curl -s -X DELETE localhost:8080/admin/users/alice/threads -H "Authorization: Bearer $TOKEN"
 * }</pre>
 *
 * <p>User ids: a host user id {@code alice} is stored as {@code ext:alice}, apart from anonymous visitors; an id
 * that starts with {@code usr_} is a cookie visitor's id as the store knows it (from a trace or a thread) and is
 * used as is.
 */
public final class ServerApiService implements HttpService {
    /** Largest page of threads; the dispatcher returns no more than this anyway. */
    private static final int MAX_PAGE = 100;
    static final String PREFIX = "/admin/users/{user}";
    private static final Pattern HOST_USER = Pattern.compile("[A-Za-z0-9._@:+-]{1,200}");
    private static final long MAX_BODY_BYTES = 256 * 1024;
    private static final System.Logger LOG = System.getLogger(ServerApiService.class.getName());

    private final AdminAuth auth;
    private final ChatKitServer chatKit;
    private final AttachmentStore attachments;
    private final ClientSecrets secrets;
    private final java.util.function.IntPredicate publishedVersion;
    private final Revocations revocations;

    /** @param attachments where attachment bytes are deleted; null when attachments are off */
    public ServerApiService(AdminAuth auth, ChatKitServer chatKit, AttachmentStore attachments, ClientSecrets secrets,
            java.util.function.IntPredicate publishedVersion, Revocations revocations) {
        this.auth = auth;
        this.chatKit = chatKit;
        this.attachments = attachments;
        this.secrets = secrets;
        this.publishedVersion = publishedVersion;
        this.revocations = revocations;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(PREFIX + "/sessions", this::session)
                .post(PREFIX + "/messages", this::message)
                .get(PREFIX + "/threads", this::threads)
                .delete(PREFIX + "/threads", this::deleteThreads)
                .post("/admin/sessions/{session}/cancel", this::cancel);
    }

    /** {@return the store's user id for the path's user} */
    static String storeUser(String user) {
        if (user.startsWith("usr_")) return user;
        if (!HOST_USER.matcher(user).matches()) {
            throw HttpError.badRequest("invalid_user", "A user id has 1 to 200 letters, digits or . _ @ : + -");
        }
        return "ext:" + user;
    }

    private void session(ServerRequest req, ServerResponse res) {
        auth.check(req);
        String user = storeUser(req.path().pathParameters().get("user"));
        JsonNode body = body(req);
        int version = body.path("workflow").path("version").asInt(0);
        if (version < 0 || (version > 0 && (publishedVersion == null || !publishedVersion.test(version)))) {
            throw HttpError.badRequest("unknown_workflow_version", "Workflow version " + version + " is not published");
        }
        ObjectNode state = StateVariables.check(body.get("state_variables"), StateVariables.Rules.WORKFLOW);
        ClientSecrets.Issued issued = secrets.issue(user, version, state.isEmpty() ? "" : state.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_secret", issued.secret());
        out.put("expires_after", secrets.ttl().toSeconds());
        out.put("expires_at", issued.expiresAt().getEpochSecond());
        out.put("user", user);
        out.put("session_id", issued.sessionId());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ErrorResponses.json(res, 200, out);
    }

    /**
     * Runs one turn for the user: {@code {"text", "thread_id"?, "state_variables"?, "stream"?}}. Without a thread
     * id a new thread is started. The reply comes back as JSON, or as the same event stream a browser gets when
     * {@code stream} is true.
     */
    private void message(ServerRequest req, ServerResponse res) {
        auth.check(req);
        String user = storeUser(req.path().pathParameters().get("user"));
        JsonNode body = body(req);
        String text = body.path("text").asText("");
        if (text.isBlank()) throw HttpError.badRequest("missing_text", "Send {\"text\": \"…\"}: the message to post");
        String thread = body.path("thread_id").asText(null);
        Map<String, JsonNode> state = new LinkedHashMap<>();
        StateVariables.check(body.get("state_variables"), StateVariables.Rules.WORKFLOW).properties()
                .forEach(e -> state.put(e.getKey(), e.getValue()));
        var input = ChatKitRequest.UserMessageInput.text(text);
        ChatKitRequest request = thread == null
                ? new ChatKitRequest.CreateThread(new ChatKitRequest.CreateThreadParams(input), null)
                : new ChatKitRequest.AddUserMessage(new ChatKitRequest.AddUserMessageParams(thread, input), null);
        var ctx = new RequestContext(user, null, "", new SessionClaims(0, state));
        Result result = chatKit.process(request, ctx);
        if (!(result instanceof Result.Stream stream)) throw new IllegalStateException("A new message streams");
        if (body.path("stream").asBoolean(false)) {
            stream(res, stream);
            return;
        }
        var reply = new StringBuilder();
        var out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        String[] error = {null};
        stream.body().writeTo(event -> {
            switch (event) {
                case ThreadStreamEvent.ThreadCreated c -> out.put("thread_id", c.thread().id());
                case ThreadStreamEvent.ItemDone d -> items.add(json(d.item()));
                case ThreadStreamEvent.ItemUpdated(var id, ThreadItemUpdate.TextDelta delta) -> reply.append(delta.delta());
                case ThreadStreamEvent.Error e -> error[0] = e.message() != null ? e.message() : e.code();
                default -> { }
            }
        });
        if (!out.has("thread_id")) out.put("thread_id", thread);
        out.put("user", user);
        out.put("reply", reply.toString());
        if (error[0] != null) out.put("error", error[0]);
        out.set("items", items);
        ErrorResponses.json(res, 200, out);
    }

    /** Cancels a session minted here (its {@code session_id}), e.g. when the host site logs the user out. */
    private void cancel(ServerRequest req, ServerResponse res) {
        auth.check(req);
        String session = req.path().pathParameters().get("session");
        if (!session.matches("[a-z]{1,8}_[0-9a-f]{8,64}")) {
            throw HttpError.badRequest("invalid_session", "Not a session id: " + session);
        }
        // The secret's own expiry is unknown here; the longest lifetime a secret can have bounds it.
        revocations.revoke(session, java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
        ErrorResponses.json(res, 200, Map.of("id", session, "status", "cancelled"));
    }

    private void threads(ServerRequest req, ServerResponse res) {
        auth.check(req);
        String user = storeUser(req.path().pathParameters().get("user"));
        var request = new ChatKitRequest.ListThreads(new ChatKitRequest.ListThreadsParams(
                Requests.intParam(req, "limit", 20, 1, MAX_PAGE), Order.DESC, req.query().first("after").orElse(null)), null);
        Result result = chatKit.process(request, RequestContext.of(user));
        if (!(result instanceof Result.Json json)) throw new IllegalStateException("threads.list answers JSON");
        ErrorResponses.json(res, 200, json.body());
    }

    /**
     * Deletes every thread of the user with its items and feedback, and every attachment of the user, sent in a
     * message or not, with its bytes: {@code {"user", "deleted_threads", "deleted_attachments"}}. The rows go in
     * one commit, so no link reaches the bytes afterwards; bytes that fail to delete are left to the sweep.
     */
    private void deleteThreads(ServerRequest req, ServerResponse res) {
        auth.check(req);
        String user = storeUser(req.path().pathParameters().get("user"));
        Store.Deleted deleted = chatKit.store().deleteAllThreads(user);
        RequestContext ctx = RequestContext.of(user);
        for (Attachment a : attachments == null ? List.<Attachment>of() : deleted.attachments()) {
            try {
                attachments.delete(a, ctx);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Deleting the bytes of attachment " + a.id() + " of " + user
                        + " failed; the attachment sweep will delete them", e);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user);
        out.put("deleted_threads", deleted.threads());
        out.put("deleted_attachments", deleted.attachments().size());
        ErrorResponses.json(res, 200, out);
    }

    private static void stream(ServerResponse res, Result.Stream stream) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        try (OutputStream out = res.outputStream(); var events = new SseEventSink(out)) {
            stream.body().writeTo(events);
        } catch (IOException | RuntimeException e) {
            // The caller left; the turn has kept what it produced.
        }
    }

    private static JsonNode json(Object item) {
        try {
            return ChatKitJson.mapper().readTree(ChatKitJson.writeWire(item));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode body(ServerRequest req) {
        byte[] bytes = Requests.readBody(req, MAX_BODY_BYTES, "body_too_large", "The body is larger than 256 KiB");
        if (bytes.length == 0) return JsonNodeFactory.instance.objectNode();
        try {
            JsonNode node = ChatKitJson.mapper().readTree(bytes);
            if (!node.isObject()) throw HttpError.badRequest("invalid_json", "The body must be a JSON object");
            return node;
        } catch (IOException e) {
            throw HttpError.badRequest("invalid_json", "The body is not valid JSON");
        }
    }
}
