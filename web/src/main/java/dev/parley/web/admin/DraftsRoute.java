package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.WorkflowStore;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.regex.Pattern;

/**
 * Drafts kept on the server, one per workflow, so an edit survives a closed tab and another operator's browser
 * sees it. A draft is not validated: it is work in progress, and the console shows its problems as it is edited.
 *
 * <ul>
 *   <li>{@code GET /admin/drafts}: every kept draft, {@code {"data": [{workflow_id, base_version, saved_at}]}}.
 *   <li>{@code GET /admin/workflows/{id}/draft}: the draft with its {@code document}; {@code 404} when none.
 *   <li>{@code PUT /admin/workflows/{id}/draft} with {@code {"document": {…}, "base_version": 2}}: saves it
 *       ({@code base_version} is the version the edit started from, 0 for a workflow never published).
 *   <li>{@code DELETE /admin/workflows/{id}/draft}: {@code 204}, or {@code 404} when there was none.
 * </ul>
 */
final class DraftsRoute {
    private static final Pattern WORKFLOW_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final WorkflowStore workflows;

    DraftsRoute(WorkflowStore workflows) {
        this.workflows = workflows;
    }

    void list(ServerRequest req, ServerResponse res) {
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (WorkflowStore.Draft d : workflows.drafts()) data.add(summary(d));
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().set("data", data));
    }

    void get(ServerRequest req, ServerResponse res) {
        String id = id(req);
        WorkflowStore.Draft d = workflows.draft(id).orElseThrow(() -> HttpError.notFound("Workflow " + id
                + " has no saved draft; save one with PUT /admin/workflows/" + id + "/draft"));
        ObjectNode out = summary(d);
        out.set("document", AdminService.parse(d.document()));
        ErrorResponses.json(res, 200, out);
    }

    void put(ServerRequest req, ServerResponse res, JsonNode body) {
        String id = id(req);
        JsonNode document = body.path("document");
        JsonNode base = body.path("base_version");
        if (!document.isObject()) {
            throw HttpError.badRequest("invalid_draft",
                    "Send {\"document\": <the draft workflow document, an object>, \"base_version\": <its version or 0>}");
        }
        if (!base.isMissingNode() && !(base.canConvertToInt() && base.isIntegralNumber() && base.asInt() >= 0)) {
            throw HttpError.badRequest("invalid_base_version",
                    "base_version must be the version the draft started from (a whole number, 0 when never published)");
        }
        ErrorResponses.json(res, 200, summary(workflows.saveDraft(id, base.asInt(0), document.toString())));
    }

    void delete(ServerRequest req, ServerResponse res) {
        String id = id(req);
        if (!workflows.deleteDraft(id)) throw HttpError.notFound("Workflow " + id + " has no saved draft");
        res.status(204).send();
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!WORKFLOW_ID.matcher(id).matches()) {
            throw HttpError.badRequest("invalid_workflow_id",
                    "A workflow id is 1 to 128 letters, digits, '_', '.', ':' or '-' (got " + quoted(id) + ")");
        }
        return id;
    }

    private static String quoted(String s) {
        return ChatKitJson.mapper().valueToTree(s.length() > 40 ? s.substring(0, 40) + "…" : s).toString();
    }

    private static ObjectNode summary(WorkflowStore.Draft d) {
        return JsonNodeFactory.instance.objectNode().put("workflow_id", d.workflowId())
                .put("base_version", d.baseVersion()).put("saved_at", d.savedAt().toString());
    }
}
