package dev.parley.web.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.web.http.ErrorResponses;
import dev.parley.workflow.InvalidWorkflowException;
import dev.parley.workflow.Problem;
import dev.parley.workflow.agentbuilder.AgentBuilderImport;
import dev.parley.workflow.agentbuilder.ImportReport;
import dev.parley.workflow.agentbuilder.ImportResult;
import dev.parley.workflow.engine.Workflows;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/**
 * {@code POST /admin/workflows/import[?publish=true]}: an Agent Builder workflow, as JSON or as its Agents SDK code
 * export, becomes a Parley document with a report. Without {@code publish} nothing is stored: {@code 200} with the
 * document and the report, errors or not, so the console can show both. With it, {@code 201} and the version when
 * the import and the publish checks pass, else {@code 422} with everything that stood in the way.
 */
final class ImportRoute {
    private final Workflows workflows;

    ImportRoute(Workflows workflows) {
        this.workflows = workflows;
    }

    void handle(ServerRequest req, ServerResponse res, String body) {
        ImportResult result = AgentBuilderImport.importFile(body);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("workflow", result.workflow());
        out.set("report", report(result.report()));
        boolean publish = req.query().first("publish").map("true"::equalsIgnoreCase).orElse(false);
        if (!publish) {
            ErrorResponses.json(res, 200, out);
            return;
        }
        if (!result.report().ok() || result.workflow() == null) {
            refuse(res, out, result.report().errors().size() + " error(s) stop the import: "
                    + first(result.report().errors()));
            return;
        }
        try {
            Workflows.Published p = workflows.publish(result.workflow().toString());
            out.put("version", p.version().version());
            ArrayNode warnings = (ArrayNode) out.path("report").path("warnings");
            // The server's own checks (knowledge bases, allowed hosts, the provider) speak in Parley's terms.
            for (Problem w : p.warnings()) warnings.add(entry(w));
            res.header(HeaderNames.LOCATION, AdminService.PREFIX + "/workflows/" + p.version().workflowId()
                    + "/versions/" + p.version().version());
            ErrorResponses.json(res, 201, out);
        } catch (InvalidWorkflowException e) {
            ArrayNode errors = (ArrayNode) out.path("report").path("errors");
            for (Problem p : e.report().errors()) errors.add(entry(p));
            refuse(res, out, "The imported workflow cannot be published on this server: " + e.report().errors().getFirst());
        }
    }

    private static void refuse(ServerResponse res, ObjectNode out, String message) {
        out.putObject("error").put("code", "import_refused").put("message", message);
        ErrorResponses.json(res, 422, out);
    }

    private static String first(List<ImportReport.Entry> errors) {
        if (errors.isEmpty()) return "the input could not be read";
        ImportReport.Entry e = errors.getFirst();
        return e.source() + ": " + e.message();
    }

    static ObjectNode report(ImportReport report) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("errors", entries(report.errors()));
        out.set("warnings", entries(report.warnings()));
        out.set("notes", entries(report.notes()));
        return out;
    }

    private static ArrayNode entries(List<ImportReport.Entry> entries) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ImportReport.Entry e : entries) {
            ObjectNode o = out.addObject().put("source", e.source()).put("message", e.message());
            if (e.fix() != null) o.put("fix", e.fix());
        }
        return out;
    }

    private static ObjectNode entry(Problem p) {
        return JsonNodeFactory.instance.objectNode().put("source", p.nodeId() == null ? "workflow" : p.nodeId())
                .put("message", (p.field() == null ? "" : p.field() + ": ") + p.message()).put("fix", p.fix());
    }
}
