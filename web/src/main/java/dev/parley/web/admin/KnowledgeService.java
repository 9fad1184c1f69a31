package dev.parley.web.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.embedded.KnowledgeBase;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * The knowledge bases in the admin API, behind {@code Authorization: Bearer $PARLEY_ADMIN_TOKEN}.
 *
 * <pre>{@code
 * curl -s localhost:8080/admin/knowledge                       -H "Authorization: Bearer $TOKEN"
 * curl -s localhost:8080/admin/knowledge/agency/documents      -H "Authorization: Bearer $TOKEN"
 * curl -s -X POST localhost:8080/admin/knowledge/agency/reindex -H "Authorization: Bearer $TOKEN"
 * }</pre>
 *
 * <p>Listing shows each base as last indexed and never reads its files; a search re-indexes a base whose files
 * changed by itself (at most every {@link KnowledgeBases#DEFAULT_CHECK_INTERVAL}), and {@code reindex} does it now.
 */
public final class KnowledgeService implements HttpService {
    static final String PREFIX = "/admin/knowledge";

    private final KnowledgeBases knowledge;
    private final AdminAuth auth;

    /** @param knowledge the server's knowledge bases, or null when it has none (the routes then say how to get them) */
    public KnowledgeService(KnowledgeBases knowledge, AdminAuth auth) {
        this.knowledge = knowledge;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PREFIX, this::list)
                .get(PREFIX + "/{id}/documents", this::documents)
                .post(PREFIX + "/{id}/reindex", this::reindex);
    }

    /** An empty list when there are none: the console asks for it to offer bases, and "none" is an answer. */
    private void list(ServerRequest req, ServerResponse res) {
        auth.check(req);
        if (knowledge == null) {
            ObjectNode none = JsonNodeFactory.instance.objectNode().putNull("default").put("off", OFF);
            none.putArray("data");
            ErrorResponses.json(res, 200, none);
            return;
        }
        KnowledgeBases bases = knowledge;
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (String id : bases.ids()) data.add(summary(bases, id, bases.current(id)));
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("default", bases.defaultId());
        out.set("data", data);
        ErrorResponses.json(res, 200, out);
    }

    private void documents(ServerRequest req, ServerResponse res) {
        KnowledgeBases bases = checked(req);
        String id = req.path().pathParameters().get("id");
        KnowledgeBase kb = known(() -> bases.current(id));
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (KnowledgeBase.Document d : kb.documents()) {
            data.addObject().put("location", d.location()).put("title", d.title()).put("passages", d.passages())
                    .put("bytes", d.bytes()).put("modified_at", d.modified() == null ? null : d.modified().toString());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("id", id).put("indexed_at", kb.indexedAt().toString());
        out.set("data", data);
        ErrorResponses.json(res, 200, out);
    }

    private void reindex(ServerRequest req, ServerResponse res) {
        KnowledgeBases bases = checked(req);
        String id = req.path().pathParameters().get("id");
        KnowledgeBase kb;
        try {
            kb = known(() -> bases.reindex(id));
        } catch (UncheckedIOException e) {
            throw new HttpError(409, "knowledge_unreadable", e.getMessage()
                    + "; the previous index of " + id + " is still in use. Restore the folder, or restart without it");
        }
        ObjectNode out = summary(bases, id, kb).put("embedded", kb.embeddedAtLoad()).put("from_cache", kb.cachedAtLoad());
        ErrorResponses.json(res, 200, out);
    }

    private static final String OFF = "This server has no knowledge bases: they are loaded with the embedded model "
            + "provider, or with any provider when PARLEY_KNOWLEDGE_DIR is set";

    private KnowledgeBases checked(ServerRequest req) {
        auth.check(req);
        if (knowledge == null) {
            throw new HttpError(404, "knowledge_off", OFF);
        }
        return knowledge;
    }

    private static ObjectNode summary(KnowledgeBases bases, String id, KnowledgeBase kb) {
        return JsonNodeFactory.instance.objectNode().put("id", id)
                .put("source", bases.folder(id).map(p -> p.toAbsolutePath().toString()).orElse("bundled sample"))
                .put("documents", kb.documents().size()).put("passages", kb.size())
                .put("indexed_at", kb.indexedAt().toString());
    }

    private static KnowledgeBase known(java.util.function.Supplier<KnowledgeBase> lookup) {
        try {
            return lookup.get();
        } catch (NoSuchElementException e) {
            throw HttpError.notFound(e.getMessage());
        }
    }
}
