package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ThreadItem;
import dev.parley.store.ConversationStore;
import dev.parley.store.Feedback;
import dev.parley.store.NotFoundException;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The conversations of every user, for the operator (behind the admin token or the console's cookie, checked by
 * {@link AdminService}):
 *
 * <ul>
 *   <li>{@code GET /admin/threads?limit=50&after=<thread_id>&feedback=negative}: threads newest first, each
 *       {@code {thread_id, user_id, title, created_at, last_item_at?, negative_feedback}}; {@code after} is the
 *       {@code after} of the previous page; {@code feedback=negative} keeps threads with a negative feedback.
 *   <li>{@code GET /admin/threads/{thread_id}}: the thread, its items oldest first as ChatKit sends them, each with
 *       the feedback it received and, for an assistant message, the {@code run_id} of the run that produced it.
 * </ul>
 *
 * <p>A run is linked by time: the run of the same thread whose trace started last at or before the message (items
 * do not record their run). Each turn is one run that starts before it writes its reply, so the link is exact as
 * long as the run's trace has not been pruned; an assistant message older than every kept trace has no run_id.
 */
final class ConversationsRoute {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_ITEMS = 500;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final ConversationStore conversations;

    ConversationsRoute(ConversationStore conversations) {
        this.conversations = conversations;
    }

    void list(ServerRequest req, ServerResponse res) {
        int limit = Requests.intParam(req, "limit", DEFAULT_LIMIT, 1, ConversationStore.MAX_LIMIT);
        Optional<String> after = req.query().first("after").asOptional();
        if (after.isPresent() && !ID.matcher(after.get()).matches()) {
            throw HttpError.badRequest("invalid_after", "after must be the after of the previous page (a thread id)");
        }
        Optional<String> feedback = req.query().first("feedback").asOptional();
        if (feedback.isPresent() && !feedback.get().equals("negative")) {
            throw HttpError.badRequest("invalid_feedback", "feedback can only be \"negative\" (or left out for every thread)");
        }
        ConversationStore.ThreadPage page;
        try {
            page = conversations.threads(limit, after.orElse(null), feedback.isPresent());
        } catch (NotFoundException e) {
            throw HttpError.badRequest("invalid_after", "after names no thread (it may have been deleted): start again "
                    + "without it");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode data = out.putArray("data");
        page.data().forEach(s -> data.add(summary(s)));
        out.put("has_more", page.hasMore());
        out.put("after", page.after());
        ErrorResponses.json(res, 200, out);
    }

    void thread(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("thread");
        if (!ID.matcher(id).matches()) throw HttpError.badRequest("invalid_thread_id", "That is not a thread id");
        ConversationStore.Conversation c = conversations.conversation(id, MAX_ITEMS + 1)
                .orElseThrow(() -> HttpError.notFound("No thread " + id));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("thread", summary(c.thread()));
        ArrayNode items = out.putArray("items");
        List<ThreadItem> shown = c.items().size() > MAX_ITEMS ? c.items().subList(0, MAX_ITEMS) : c.items();
        for (ThreadItem item : shown) {
            ObjectNode o = items.addObject();
            o.set("item", wire(item));
            String run = c.runIds().get(item.id());
            if (run != null) o.put("run_id", run);
            ArrayNode kinds = o.putArray("feedback");
            for (Feedback f : c.feedback()) {
                if (f.itemIds().contains(item.id())) kinds.add(f.kind());
            }
        }
        out.put("items_truncated", c.items().size() > MAX_ITEMS);
        ArrayNode feedback = out.putArray("feedback");
        for (Feedback f : c.feedback()) {
            ObjectNode o = feedback.addObject().put("kind", f.kind()).put("created_at", f.createdAt().toString());
            f.itemIds().forEach(o.putArray("item_ids")::add);
        }
        ErrorResponses.json(res, 200, out);
    }

    private static ObjectNode summary(ConversationStore.ThreadSummary s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("thread_id", s.threadId()).put("user_id", s.userId())
                .put("title", s.title()).put("created_at", ChatKitJson.formatTime(s.createdAt()));
        if (s.lastItemAt() != null) o.put("last_item_at", ChatKitJson.formatTime(s.lastItemAt()));
        return o.put("negative_feedback", s.negativeFeedback());
    }

    private static JsonNode wire(ThreadItem item) {
        try {
            return ChatKitJson.mapper().readTree(ChatKitJson.writeWire(item));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
