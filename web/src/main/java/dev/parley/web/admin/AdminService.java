package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.ChatKitRequest;
import dev.parley.protocol.ThreadItemUpdate;
import dev.parley.protocol.ThreadStreamEvent;
import dev.parley.server.ChatKitServer;
import dev.parley.server.RequestContext;
import dev.parley.server.Result;
import dev.parley.store.ConversationStore;
import dev.parley.store.Store;
import dev.parley.store.WorkflowStore;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.Problem;
import dev.parley.workflow.ValidationReport;
import dev.parley.workflow.engine.Workflows;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workflow admin API, behind {@code Authorization: Bearer $PARLEY_ADMIN_TOKEN}.
 *
 * <pre>{@code
 * curl -s localhost:8080/admin/workflows/validate -H "Authorization: Bearer $TOKEN" --data-binary @wf.json
 * curl -s localhost:8080/admin/workflows          -H "Authorization: Bearer $TOKEN" --data-binary @wf.json  # publish
 * curl -s localhost:8080/admin/workflows/preview  -H "Authorization: Bearer $TOKEN" \
 *      -d '{"workflow": {...}, "message": "We need a new website"}'
 * }</pre>
 *
 * <p>Routes: {@code GET /admin/workflows} (list), {@code POST /admin/workflows} (publish: 201, or 422 with every
 * error), {@code POST /admin/workflows/validate}, {@code POST /admin/workflows/preview} (run a draft against one
 * message), {@code GET /admin/workflows/{id}/versions}, {@code GET /admin/workflows/{id}/versions/{n}}
 * ({@code latest} works for n), {@code GET /admin/workflows/{id}/runs}, {@code GET /admin/runs/{run_id}},
 * {@code POST /admin/workflows/import} (an Agent Builder workflow or code export, see {@link ImportRoute}),
 * {@code GET /admin/threads} and {@code GET /admin/threads/{thread_id}} (every user's conversations, see
 * {@link ConversationsRoute}), {@code /admin/evals…} (datasets, eval runs, comparisons, see {@link EvalRoute}).
 *
 * <p>Publishing a workflow that declares an eval gate ({@code "evals": {"dataset": …, "min_pass_rate": …}}) first
 * evaluates it; below the minimum the answer is 422 with the failing cases, unless {@code ?override=true} (with an
 * optional {@code reason}), which publishes and records the override.
 *
 * <p>Previews run in a real thread of the store under the user {@value #PREVIEW_USER}, so their trace can be
 * fetched like any other; no end user can reach that user's threads.
 */
public final class AdminService implements HttpService {
    static final String PREFIX = "/admin";
    static final String PREVIEW_USER = "admin:preview";
    private static final int MAX_RUNS = 100;

    private final Workflows workflows;
    private final Store store;
    private final AdminAuth auth;
    private final long maxBodyBytes;
    private final ImportRoute imports;
    private final ConversationsRoute conversations;
    private final DraftsRoute drafts;
    private final PreviewsRoute previews;
    /** Evals and the publish gate; null on a server without the workflow engine. */
    private final dev.parley.workflow.evals.Evals evals;
    private final EvalRoute evalRoute;

    /** @param workflows the engine, or null when this server answers with a fixed responder (its routes say so) */
    public AdminService(Workflows workflows, Store store, ConversationStore conversations, AdminAuth auth,
            long maxBodyBytes) {
        this(workflows, store, conversations, auth, maxBodyBytes, null);
    }

    /** @param evals evals and the publish gate, or null for none (publishes then skip the gate) */
    public AdminService(Workflows workflows, Store store, ConversationStore conversations, AdminAuth auth,
            long maxBodyBytes, dev.parley.workflow.evals.Evals evals) {
        this.evals = evals;
        this.evalRoute = evals == null ? null : new EvalRoute(evals, this::body);
        this.workflows = workflows;
        this.store = store;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.imports = new ImportRoute(workflows);
        this.conversations = new ConversationsRoute(conversations);
        this.drafts = workflows == null ? null : new DraftsRoute(workflows.store());
        this.previews = new PreviewsRoute(workflows, store, maxBodyBytes, java.time.Clock.systemUTC());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(PREFIX + "/*", (req, res) -> {
            auth.check(req);
            res.next();
        });
        // A server built around a fixed responder has conversations but no workflows to list, edit or try.
        for (String path : List.of("/workflows", "/workflows/*", "/runs/*", "/drafts", "/previews", "/previews/*")) {
            rules.any(PREFIX + path, (req, res) -> {
                if (workflows == null) {
                    throw new HttpError(404, "workflows_off", "This server answers with a fixed responder, not "
                            + "workflows: there are no workflows, drafts, previews or runs here");
                }
                res.next();
            });
        }
        rules.get(PREFIX + "/workflows", this::list)
                .post(PREFIX + "/workflows", this::publish)
                .post(PREFIX + "/workflows/validate", this::validate)
                .post(PREFIX + "/workflows/preview", this::preview)
                .post(PREFIX + "/workflows/import", (req, res) -> imports.handle(req, res, body(req)))
                .get(PREFIX + "/workflows/{id}/versions", this::versions)
                .get(PREFIX + "/workflows/{id}/versions/{version}", this::version)
                .get(PREFIX + "/workflows/{id}/runs", this::runs)
                .get(PREFIX + "/runs/{run}", this::trace)
                .get(PREFIX + "/threads", conversations::list)
                .get(PREFIX + "/threads/{thread}", conversations::thread)
                .get(PREFIX + "/drafts", (req, res) -> drafts.list(req, res))
                .get(PREFIX + "/workflows/{id}/draft", (req, res) -> drafts.get(req, res))
                .put(PREFIX + "/workflows/{id}/draft", (req, res) -> drafts.put(req, res, parse(body(req))))
                .delete(PREFIX + "/workflows/{id}/draft", (req, res) -> drafts.delete(req, res))
                .post(PREFIX + "/previews", (req, res) -> previews.create(req, res, parse(body(req))))
                .post(PREFIX + "/previews/{id}/chatkit", previews::chat)
                .get(PREFIX + "/previews/{id}/runs", previews::runs);
        if (evalRoute != null) evalRoute.routing(rules, PREFIX);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (WorkflowStore.Summary s : workflows.store().list()) {
            data.addObject().put("workflow_id", s.workflowId()).put("name", s.name())
                    .put("latest_version", s.latestVersion()).put("published_at", s.publishedAt().toString());
        }
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().set("data", data));
    }

    private void validate(ServerRequest req, ServerResponse res) {
        ValidationReport report = workflows.validate(body(req));
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("ok", report.ok());
        out.set("errors", problems(report.errors()));
        out.set("warnings", problems(report.warnings()));
        ErrorResponses.json(res, 200, out);
    }

    private void publish(ServerRequest req, ServerResponse res) {
        String json = body(req);
        try {
            // With evals on, a workflow that declares a gate is evaluated first (see EvalRoute); override=true
            // publishes below the gate's minimum and is recorded.
            var gated = evals == null ? null : gatedPublish(req, json);
            Workflows.Published p = gated == null ? workflows.publish(json) : gated.published();
            ObjectNode out = versionJson(p.version(), false);
            out.set("warnings", problems(p.warnings()));
            if (gated != null && gated.gate() != null) out.set("gate", EvalRoute.gateJson(gated));
            res.header(HeaderNames.LOCATION, PREFIX + "/workflows/" + p.version().workflowId() + "/versions/"
                    + p.version().version());
            ErrorResponses.json(res, 201, out);
        } catch (InvalidWorkflowException e) {
            refuse(res, e.report());
        } catch (dev.parley.workflow.evals.GateRefusedException e) {
            EvalRoute.refuse(res, e);
        }
    }

    private dev.parley.workflow.evals.Evals.GatedPublish gatedPublish(ServerRequest req, String json) {
        String override = req.query().first("override").orElse("false");
        if (!override.equals("true") && !override.equals("false")) {
            throw HttpError.badRequest("invalid_override", "override is true or false, not \"" + override + "\"");
        }
        try {
            return evals.publish(json, override.equals("true"), req.query().first("reason").orElse(""),
                    EvalRoute.DEFAULT_PARALLELISM);
        } catch (IllegalArgumentException e) {
            throw new HttpError(422, "invalid_eval_gate", e.getMessage());
        } catch (java.util.NoSuchElementException e) {
            throw new HttpError(422, "invalid_eval_gate", "The workflow's eval gate names a dataset it does not have: "
                    + e.getMessage());
        } catch (dev.parley.workflow.evals.DatasetFormatException e) {
            throw new HttpError(422, "invalid_eval_gate", "The eval gate's dataset cannot be read: " + e.getMessage());
        }
    }

    private void preview(ServerRequest req, ServerResponse res) {
        JsonNode body = parse(body(req));
        JsonNode draft = body.path("workflow");
        String message = body.path("message").asText("");
        if (!draft.isObject() || message.isBlank()) {
            throw HttpError.badRequest("invalid_preview",
                    "Send {\"workflow\": <the draft workflow document>, \"message\": \"<what the user says>\"}");
        }
        var runId = new AtomicReference<String>();
        ChatKitServer chat;
        try {
            chat = ChatKitServer.builder().store(store)
                    .responder(workflows.draftResponder(draft.toString(), runId::set)).build();
        } catch (InvalidWorkflowException e) {
            refuse(res, e.report());
            return;
        }
        var request = new ChatKitRequest.CreateThread(
                new ChatKitRequest.CreateThreadParams(ChatKitRequest.UserMessageInput.text(message)), null);
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        var reply = new StringBuilder();
        var result = chat.process(request, RequestContext.of(PREVIEW_USER));
        if (!(result instanceof Result.Stream stream)) throw new IllegalStateException("threads.create streams");
        stream.body().writeTo(event -> {
            if (event instanceof ThreadStreamEvent.ItemUpdated(var id, ThreadItemUpdate.TextDelta delta)) {
                reply.append(delta.delta());
            }
            events.add(parse(new String(ChatKitJson.writeEvent(event), StandardCharsets.UTF_8)));
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("reply", reply.toString());
        out.put("run_id", runId.get());
        out.set("trace", runId.get() == null ? null
                : workflows.store().loadTrace(runId.get()).map(t -> parse(t.document())).orElse(null));
        out.set("events", events);
        ErrorResponses.json(res, 200, out);
    }

    private void versions(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        List<WorkflowStore.Version> versions = workflows.store().versions(id);
        if (versions.isEmpty()) throw HttpError.notFound("No workflow " + id + " is published");
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        versions.forEach(v -> data.add(versionJson(v, false)));
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().set("data", data));
    }

    private void version(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        String n = req.path().pathParameters().get("version");
        var version = n.equals("latest") ? workflows.store().latest(id) : number(n).flatMap(v -> workflows.store().version(id, v));
        ErrorResponses.json(res, 200, versionJson(version.orElseThrow(
                () -> HttpError.notFound("Workflow " + id + " has no version " + n)), true));
    }

    private void runs(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        int limit = Requests.intParam(req, "limit", 20, 1, MAX_RUNS);
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (WorkflowStore.Trace t : workflows.store().recentTraces(id, limit)) {
            data.addObject().put("run_id", t.runId()).put("workflow_id", t.workflowId()).put("version", t.version())
                    .put("thread_id", t.threadId()).put("started_at", t.startedAt().toString())
                    .put("duration_ms", t.durationMicros() / 1000.0).put("status", t.status());
        }
        ErrorResponses.json(res, 200, JsonNodeFactory.instance.objectNode().set("data", data));
    }

    private void trace(ServerRequest req, ServerResponse res) {
        String run = req.path().pathParameters().get("run");
        WorkflowStore.Trace t = workflows.store().loadTrace(run)
                .orElseThrow(() -> HttpError.notFound("No run " + run));
        ErrorResponses.json(res, 200, parse(t.document()));
    }

    /** 422: the document is JSON but not a workflow that can run; every error comes with its fix. */
    static void refuse(ServerResponse res, ValidationReport report) {
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("code", "invalid_workflow")
                .put("message", report.errors().size() + " error(s): " + report.errors().getFirst());
        error.set("errors", problems(report.errors()));
        error.set("warnings", problems(report.warnings()));
        ErrorResponses.json(res, 422, JsonNodeFactory.instance.objectNode().set("error", error));
    }

    private static ArrayNode problems(List<Problem> problems) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Problem p : problems) {
            ObjectNode o = out.addObject();
            o.put("node_id", p.nodeId()).put("field", p.field()).put("message", p.message()).put("fix", p.fix());
        }
        return out;
    }

    private static ObjectNode versionJson(WorkflowStore.Version v, boolean withDocument) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("workflow_id", v.workflowId())
                .put("version", v.version()).put("name", v.name()).put("published_at", v.publishedAt().toString());
        if (withDocument) o.set("document", parse(v.document()));
        return o;
    }

    private String body(ServerRequest req) {
        byte[] bytes = Requests.readBody(req, maxBodyBytes, "body_too_large",
                "The request body is larger than the limit of " + maxBodyBytes + " bytes");
        if (bytes.length == 0) throw HttpError.badRequest("empty_body", "Send the workflow document as the body");
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static JsonNode parse(String json) {
        try {
            return ChatKitJson.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpError.badRequest("invalid_json", "The body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static java.util.Optional<Integer> number(String s) {
        try {
            return java.util.Optional.of(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
