package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.store.Store;
import dev.parley.web.chatkit.ChatKitService;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.engine.Workflows;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chatting with a draft before it is published: the console's preview panel runs the widget against a ChatKit
 * endpoint of its own that answers with the draft instead of the published workflow.
 *
 * <ul>
 *   <li>{@code POST /admin/previews} with {@code {"workflow": <draft>}}: compiles the draft (a {@code 422} with
 *       every error when it cannot run) → {@code 201 {"preview_id", "chatkit_url", "expires_at"}}.
 *   <li>{@code POST /admin/previews/{id}/chatkit}: the full ChatKit protocol (threads, history, retry, feedback)
 *       for the user {@code admin:preview:<id>}, so a preview's threads are its own and no visitor's.
 *   <li>{@code GET /admin/previews/{id}/runs}: the runs of the preview, newest first, to draw each turn's trace.
 * </ul>
 *
 * <p>Previews live in this server's memory only (a few dozen, each for two hours after its last use): a draft is
 * a moment of editing, not something to keep. A preview that is gone answers {@code 404} with what to do.
 */
final class PreviewsRoute {
    static final String USER_PREFIX = AdminService.PREVIEW_USER + ":";
    private static final int MAX_PREVIEWS = 32;
    private static final int MAX_RUNS = 50;
    private static final Duration IDLE = Duration.ofHours(2);
    private static final Pattern ID = Pattern.compile("pv_[0-9a-f]{24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Workflows workflows;
    private final Store store;
    private final long maxBodyBytes;
    private final Clock clock;
    private final Map<String, Preview> previews = new LinkedHashMap<>(16, 0.75f, true);

    /** One draft being tried: its own dispatcher, and the runs its turns made (the engine reports each). */
    private static final class Preview {
        final Deque<String> runs = new ArrayDeque<>();
        ChatKitServer chat;
        Instant usedAt;

        void ran(String runId) {
            synchronized (runs) {
                runs.addFirst(runId);
                while (runs.size() > MAX_RUNS) runs.removeLast();
            }
        }
    }

    PreviewsRoute(Workflows workflows, Store store, long maxBodyBytes, Clock clock) {
        this.workflows = workflows;
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    void create(ServerRequest req, ServerResponse res, JsonNode body) {
        JsonNode draft = body.path("workflow");
        if (!draft.isObject()) {
            throw HttpError.badRequest("invalid_preview", "Send {\"workflow\": <the draft workflow document>}");
        }
        String id = "pv_" + HexFormat.of().formatHex(bytes(12));
        Preview preview = new Preview();
        try {
            preview.chat = ChatKitServer.builder().store(store)
                    .responder(workflows.draftResponder(draft.toString(), preview::ran)).build();
        } catch (InvalidWorkflowException e) {
            AdminService.refuse(res, e.report());
            return;
        }
        preview.usedAt = clock.instant();
        synchronized (previews) {
            sweep();
            previews.put(id, preview);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("preview_id", id)
                .put("chatkit_url", AdminService.PREFIX + "/previews/" + id + "/chatkit")
                .put("expires_at", preview.usedAt.plus(IDLE).toString());
        ErrorResponses.json(res, 201, out);
    }

    void chat(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Preview preview = find(id);
        byte[] body = Requests.readBody(req, maxBodyBytes, "body_too_large",
                "The request body is larger than the limit of " + maxBodyBytes + " bytes");
        var ctx = new RequestContext(USER_PREFIX + id, Requests.locale(req), Requests.baseUrl(req, null));
        ChatKitService.respond(res, preview.chat.process(body, ctx));
    }

    void runs(ServerRequest req, ServerResponse res) {
        Preview preview = find(req.path().pathParameters().get("id"));
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        List<String> runs;
        synchronized (preview.runs) {
            runs = List.copyOf(preview.runs);
        }
        runs.forEach(data::add);
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().set("data", data));
    }

    private Preview find(String id) {
        synchronized (previews) {
            sweep();
            Preview p = id != null && ID.matcher(id).matches() ? previews.get(id) : null;
            if (p == null) {
                throw HttpError.notFound("No preview " + id + " (previews end two hours after their last use, when "
                        + "the server restarts, or on another server); start a new one with POST /admin/previews");
            }
            p.usedAt = clock.instant();
            return p;
        }
    }

    /** Drops idle previews, then the least recently used beyond the limit; callers hold the lock. */
    private void sweep() {
        Instant cutoff = clock.instant().minus(IDLE);
        previews.values().removeIf(p -> p.usedAt.isBefore(cutoff));
        Iterator<String> eldest = previews.keySet().iterator();
        while (previews.size() >= MAX_PREVIEWS && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
