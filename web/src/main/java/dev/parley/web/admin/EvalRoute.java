package dev.parley.web.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ChatKitJson;
import dev.parley.store.EvalStore;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.Requests;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.evals.CaseResult;
import dev.parley.workflow.evals.Comparison;
import dev.parley.workflow.evals.Dataset;
import dev.parley.workflow.evals.DatasetFormatException;
import dev.parley.workflow.evals.EvalReport;
import dev.parley.workflow.evals.EvalRunner;
import dev.parley.workflow.evals.EvalTarget;
import dev.parley.workflow.evals.Evals;
import dev.parley.workflow.evals.GateRefusedException;
import dev.parley.workflow.evals.Verdict;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Evals, for the operator (behind the admin token or the console's cookie, checked by {@link AdminService}):
 *
 * <pre>{@code
 * curl -s localhost:8080/admin/evals -H "Authorization: Bearer $TOKEN" \
 *      -d '{"workflow_id": "wf_seed_agency", "dataset": "default"}'        # the latest version on its dataset
 * curl -s localhost:8080/admin/evals -H "Authorization: Bearer $TOKEN" \
 *      -d '{"workflow": {...draft...}, "cases": [{"input": "Hi", "expect": {"contains": "hello"}}]}'
 * }</pre>
 *
 * <ul>
 *   <li>{@code POST /admin/evals}: {@code workflow_id} with an optional {@code version} (latest when absent), or a
 *       draft {@code workflow} document; {@code dataset} (a stored dataset's name, default {@code default}) or
 *       inline {@code cases}; optional {@code parallelism}. Runs every case, saves the run, answers 201 with the
 *       summary and the cases.
 *   <li>{@code GET /admin/evals?workflow_id=…&limit=…}: runs newest first, each with its pass rate.
 *   <li>{@code GET /admin/evals/{eval_id}}: one run, whole.
 *   <li>{@code GET /admin/evals/compare?before=…&after=…}: two runs case by case (better, worse, unchanged).
 *   <li>{@code POST /admin/evals/datasets}: {@code {"workflow_id", "name", "cases": [...]}} or with {@code "jsonl"}
 *       text; {@code GET /admin/evals/datasets?workflow_id=…}; {@code GET /admin/evals/datasets/{workflow}/{name}}.
 *   <li>{@code GET /admin/evals/overrides?workflow_id=…}: publishes that overrode a failed eval gate.
 * </ul>
 */
final class EvalRoute {
    static final int DEFAULT_PARALLELISM = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 4);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Evals evals;
    private final Function<ServerRequest, String> body;

    /** @param body reads a request's body within the admin API's limit */
    EvalRoute(Evals evals, Function<ServerRequest, String> body) {
        this.evals = evals;
        this.body = body;
    }

    void routing(HttpRules rules, String prefix) {
        rules.post(prefix + "/evals", listingProblems(this::run))
                .get(prefix + "/evals", this::list)
                .get(prefix + "/evals/compare", this::compare)
                .post(prefix + "/evals/datasets", listingProblems(this::saveDataset))
                .get(prefix + "/evals/datasets", this::datasets)
                .get(prefix + "/evals/datasets/{workflow}/{name}", this::dataset)
                .get(prefix + "/evals/overrides", this::overrides)
                .get(prefix + "/evals/{id}", this::get);
    }

    private void run(ServerRequest req, ServerResponse res) {
        JsonNode in = object(body.apply(req), "Send {\"workflow_id\": \"wf_…\", \"dataset\": \"default\"} or "
                + "{\"workflow\": <a draft document>, \"cases\": [...]}");
        EvalTarget target;
        try {
            if (in.has("workflow")) {
                if (!in.get("workflow").isObject()) throw HttpError.badRequest("invalid_eval", "\"workflow\" must be a workflow document (an object)");
                target = Evals.draft(in.get("workflow").toString());
            } else if (in.path("workflow_id").isTextual()) {
                JsonNode v = in.path("version");
                if (!v.isMissingNode() && !(v.canConvertToInt() && v.asInt() >= 1)) {
                    throw HttpError.badRequest("invalid_eval", "\"version\" must be a published version number (1 or more); leave it out for the latest");
                }
                target = evals.published(in.get("workflow_id").asText(), v.isMissingNode() ? 0 : v.asInt());
            } else {
                throw HttpError.badRequest("invalid_eval", "Name what to evaluate: \"workflow_id\" (with an optional "
                        + "\"version\") or a draft \"workflow\" document");
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("invalid_eval", e.getMessage());
        } catch (NoSuchElementException e) {
            throw HttpError.notFound(e.getMessage());
        }
        String datasetName = null;
        Dataset dataset;
        try {
            if (in.has("cases")) {
                dataset = Dataset.of(in.get("cases"));
            } else {
                datasetName = in.path("dataset").asText(Evals.DEFAULT_DATASET);
                dataset = evals.dataset(target.workflowId(), datasetName);
            }
        } catch (NoSuchElementException e) {
            throw HttpError.notFound(e.getMessage());
        }
        int parallelism = in.path("parallelism").asInt(DEFAULT_PARALLELISM);
        if (parallelism < 1 || parallelism > EvalRunner.MAX_PARALLELISM) {
            throw HttpError.badRequest("invalid_eval", "\"parallelism\" must be from 1 to " + EvalRunner.MAX_PARALLELISM);
        }
        EvalReport report;
        try {
            report = evals.run(target, dataset, datasetName, parallelism);
        } catch (InvalidWorkflowException e) {
            throw new HttpError(422, "invalid_workflow", "The workflow does not validate, so it cannot be evaluated: "
                    + e.report().errors().getFirst());
        }
        res.header(HeaderNames.LOCATION, AdminService.PREFIX + "/evals/" + report.evalId());
        ErrorResponses.json(res, 201, report.toJson());
    }

    private void list(ServerRequest req, ServerResponse res) {
        String workflow = req.query().first("workflow_id").orElse(null);
        int limit = Requests.intParam(req, "limit", 50, 1, 500);
        ArrayNode data = JSON.arrayNode();
        for (EvalStore.Run r : evals.store().runs(workflow, limit)) {
            data.addObject().put("eval_id", r.evalId()).put("workflow_id", r.workflowId()).put("version", r.version())
                    .put("dataset", r.datasetName()).put("started_at", r.startedAt().toString())
                    .put("duration_ms", r.durationMicros() / 1000.0).put("pass_rate", r.passRate())
                    .put("cases", r.caseCount());
        }
        ErrorResponses.json(res, 200, JSON.objectNode().set("data", data));
    }

    private void get(ServerRequest req, ServerResponse res) {
        ErrorResponses.json(res, 200, document(req.path().pathParameters().get("id")));
    }

    private void compare(ServerRequest req, ServerResponse res) {
        String before = req.query().first("before").orElse("");
        String after = req.query().first("after").orElse("");
        if (before.isBlank() || after.isBlank()) {
            throw HttpError.badRequest("invalid_comparison", "Name two eval runs: /admin/evals/compare?before=evl_…&after=evl_…");
        }
        JsonNode a = document(before);
        JsonNode b = document(after);
        if (!a.path("workflow_id").equals(b.path("workflow_id")) || !a.path("dataset").equals(b.path("dataset"))) {
            // Still compared case by case; the answer says so, as the case ids may mean different things.
            ObjectNode out = Comparison.of(a, b);
            out.put("warning", "The runs are of different workflows or datasets; cases are matched by id");
            ErrorResponses.json(res, 200, out);
            return;
        }
        ErrorResponses.json(res, 200, Comparison.of(a, b));
    }

    private void saveDataset(ServerRequest req, ServerResponse res) {
        JsonNode in = object(body.apply(req), "Send {\"workflow_id\": \"wf_…\", \"name\": \"default\", \"cases\": [...]} "
                + "or with \"jsonl\": \"<one case per line>\"");
        String jsonl;
        if (in.path("jsonl").isTextual()) {
            jsonl = in.get("jsonl").asText();
        } else if (in.path("cases").isArray()) {
            var text = new StringBuilder();
            in.get("cases").forEach(c -> text.append(c.toString()).append('\n'));
            jsonl = text.toString();
        } else {
            throw HttpError.badRequest("invalid_dataset", "Give the cases as \"cases\": [ {\"input\": …, \"expect\": {…}}, … ] "
                    + "or as JSON Lines text in \"jsonl\"");
        }
        EvalStore.Dataset d;
        try {
            d = evals.saveDataset(in.path("workflow_id").asText(null), in.path("name").asText(Evals.DEFAULT_DATASET), jsonl);
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("invalid_dataset", e.getMessage());
        }
        res.header(HeaderNames.LOCATION, AdminService.PREFIX + "/evals/datasets/" + d.workflowId() + "/" + d.name());
        ErrorResponses.json(res, 201, datasetJson(d, false));
    }

    private void datasets(ServerRequest req, ServerResponse res) {
        String workflow = req.query().first("workflow_id").orElseThrow(() -> HttpError.badRequest("invalid_request",
                "Name the workflow: /admin/evals/datasets?workflow_id=wf_…"));
        ArrayNode data = JSON.arrayNode();
        evals.store().datasets(workflow).forEach(d -> data.add(datasetJson(d, false)));
        ErrorResponses.json(res, 200, JSON.objectNode().set("data", data));
    }

    private void dataset(ServerRequest req, ServerResponse res) {
        String workflow = req.path().pathParameters().get("workflow");
        String name = req.path().pathParameters().get("name");
        EvalStore.Dataset d = evals.store().dataset(workflow, name).orElseThrow(() -> HttpError.notFound(
                "Workflow " + workflow + " has no dataset \"" + name + "\"; GET /admin/evals/datasets?workflow_id="
                        + workflow + " lists its datasets"));
        ErrorResponses.json(res, 200, datasetJson(d, true));
    }

    private void overrides(ServerRequest req, ServerResponse res) {
        String workflow = req.query().first("workflow_id").orElseThrow(() -> HttpError.badRequest("invalid_request",
                "Name the workflow: /admin/evals/overrides?workflow_id=wf_…"));
        ArrayNode data = JSON.arrayNode();
        for (EvalStore.GateOverride o : evals.store().overrides(workflow)) {
            data.addObject().put("workflow_id", o.workflowId()).put("version", o.version()).put("eval_id", o.evalId())
                    .put("pass_rate", o.passRate()).put("min_pass_rate", o.minPassRate()).put("reason", o.reason())
                    .put("at", o.at().toString());
        }
        ErrorResponses.json(res, 200, JSON.objectNode().set("data", data));
    }

    /** 422 for a publish the eval gate refused: the pass rate, the minimum, and every failing case with why. */
    static void refuse(ServerResponse res, GateRefusedException e) {
        EvalReport r = e.report();
        ObjectNode error = JSON.objectNode().put("code", "eval_gate_failed").put("message", e.getMessage())
                .put("eval_id", r.evalId()).put("dataset", e.gate().dataset()).put("pass_rate", r.passRate())
                .put("min_pass_rate", e.gate().minPassRate());
        ArrayNode failing = error.putArray("failing_cases");
        for (CaseResult c : r.failing()) {
            ObjectNode f = failing.addObject().put("id", c.evalCase().id()).put("input", c.evalCase().messages().getLast())
                    .put("run_id", c.seen().runId());
            ArrayNode why = f.putArray("failures");
            for (Verdict v : c.failures()) why.add(v.kind() + ": " + v.detail());
        }
        ErrorResponses.json(res, 422, JSON.objectNode().set("error", error));
    }

    /** {@return what a publish through the gate adds to its answer} */
    static ObjectNode gateJson(Evals.GatedPublish p) {
        return JSON.objectNode().put("dataset", p.gate().dataset()).put("min_pass_rate", p.gate().minPassRate())
                .put("pass_rate", p.report().passRate()).put("eval_id", p.report().evalId())
                .put("passed", !p.overridden()).put("overridden", p.overridden());
    }

    private JsonNode document(String evalId) {
        EvalStore.Run run = evals.store().run(evalId).orElseThrow(() -> HttpError.notFound(
                "No eval run " + evalId + "; GET /admin/evals lists the runs"));
        try {
            return ChatKitJson.mapper().readTree(run.document());
        } catch (IOException e) {
            throw new IllegalStateException("The stored eval run " + evalId + " is not JSON", e);
        }
    }

    /** A handler whose dataset problems become a 422 listing every one, each naming its line and its fix. */
    private static io.helidon.webserver.http.Handler listingProblems(io.helidon.webserver.http.Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (DatasetFormatException e) {
                ObjectNode error = JSON.objectNode().put("code", "invalid_dataset").put("message", e.getMessage());
                ArrayNode problems = error.putArray("problems");
                e.problems().forEach(problems::add);
                ErrorResponses.json(res, 422, JSON.objectNode().set("error", error));
            }
        };
    }

    private static ObjectNode datasetJson(EvalStore.Dataset d, boolean withCases) {
        ObjectNode o = JSON.objectNode().put("workflow_id", d.workflowId()).put("name", d.name())
                .put("cases", d.caseCount()).put("updated_at", d.updatedAt().toString());
        if (withCases) o.put("jsonl", d.cases());
        return o;
    }

    private static JsonNode object(String text, String how) {
        JsonNode node;
        try {
            node = ChatKitJson.mapper().readTree(text);
        } catch (IOException e) {
            throw HttpError.badRequest("invalid_json", "The body is not valid JSON; " + how);
        }
        if (node == null || !node.isObject()) throw HttpError.badRequest("invalid_json", "The body must be a JSON object; " + how);
        return node;
    }
}
