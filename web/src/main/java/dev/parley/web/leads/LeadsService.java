package dev.parley.web.leads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.store.LeadStore;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.Requests;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Locale;

/**
 * The lead list in the admin API, behind {@code Authorization: Bearer $PARLEY_ADMIN_TOKEN}: the e-mail addresses
 * and phone numbers visitors left in the chat ({@link LeadCapture}), newest first, each with the message it came in.
 *
 * <pre>{@code
 * curl -s 'localhost:8080/admin/leads?limit=50' -H "Authorization: Bearer $TOKEN"
 * }</pre>
 * <pre>{@code
 * {"data":[{"contact":"anna@example.com","kind":"email","user_id":"usr_…","thread_id":"thr_…",
 *           "message":"Sure, my email is anna@example.com","created_at":"2026-11-26T15:02:11.123Z"}]}
 * }</pre>
 */
public final class LeadsService implements HttpService {
    static final String PATH = "/admin/leads";
    static final int DEFAULT_LIMIT = 100;

    private final LeadStore leads;
    private final AdminAuth auth;

    public LeadsService(LeadStore leads, AdminAuth auth) {
        this.leads = leads;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        auth.check(req);
        int limit = Requests.intParam(req, "limit", DEFAULT_LIMIT, 1, LeadStore.MAX_LIMIT);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode data = out.putArray("data");
        for (LeadStore.Lead l : leads.recent(limit)) {
            data.addObject().put("contact", l.contact()).put("kind", l.kind().name().toLowerCase(Locale.ROOT))
                    .put("user_id", l.userId()).put("thread_id", l.threadId()).put("message", l.message())
                    .put("created_at", l.createdAt().toString());
        }
        ErrorResponses.json(res, 200, out);
    }
}
