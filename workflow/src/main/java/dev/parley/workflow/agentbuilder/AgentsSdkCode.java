package dev.parley.workflow.agentbuilder;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.Problem;
import dev.parley.workflow.Workflow;
import dev.parley.workflow.WorkflowFormatException;
import dev.parley.workflow.WorkflowParser;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Imports the code Agent Builder's "Code → Agents SDK" export produces, Python or TypeScript, as a Parley workflow.
 *
 * <p>No parser library: Java has no well-kept parser for TypeScript, the Python ones on Maven Central are small and
 * unmaintained or bring a whole interpreter, and the export is not always valid Python anyway (it writes
 * {@code if x:} with an empty body for an unconnected branch). So this reads the export's own shape: a tokeniser
 * per language ({@link PythonLexer}, {@link TypeScriptLexer}) and a small reader into one neutral syntax
 * ({@link AgentsSdkStmt}, {@link AgentsSdkExpr}), then recognisers for what the export writes. Whatever they do not
 * recognise is reported with its line: an error when the run would do something the import does not, a warning
 * otherwise.
 *
 * <p>Node ids come from the export's variable names, which Agent Builder derives from node labels; Agent
 * Builder's own node ids are not in the code. Conditions, transforms and state assignments are read back into
 * the CEL they were exported from. The result is checked as Parley would check it at publish (the document alone);
 * what that check refuses is in the report too, at the line of the node it concerns.
 */
public final class AgentsSdkCode {
    private static final Pattern TYPESCRIPT = Pattern.compile(
            "@openai/agents|\\bnew Agent\\s*\\(|\\bexport\\s+const\\b|\\bconst\\s+\\w+|=>|\\bimport\\s*\\{");
    private static final Pattern WORKFLOW_ID = Pattern.compile("wf_[A-Za-z0-9_]+");

    /** The language of a code export. */
    public enum Language { PYTHON, TYPESCRIPT }

    private AgentsSdkCode() {}

    /** {@return the language {@code source} is written in, told from what each export always contains} */
    public static Language detect(String source) {
        boolean python = source.contains("def run_workflow") || Pattern.compile("(?m)^\\s*(from \\w[\\w.]* import|async def|def |class \\w+\\(BaseModel\\))").matcher(source).find();
        if (python) return Language.PYTHON;
        return TYPESCRIPT.matcher(source).find() ? Language.TYPESCRIPT : Language.PYTHON;
    }

    /**
     * Converts an export. The result's workflow is null only when the code could not be read at all or has no run
     * function; the report then says why.
     */
    public static ImportResult convert(String source) {
        ImportReport.Builder report = new ImportReport.Builder();
        Language language = detect(source);
        List<AgentsSdkStmt> top;
        try {
            top = language == Language.PYTHON ? PythonReader.read(source) : TypeScriptReader.read(source);
        } catch (AgentsSdkToken.Unreadable e) {
            report.error("line " + e.line, "the code could not be read: " + e.getMessage(), "export the workflow "
                    + "again, or fix the code at that line.");
            return new ImportResult(null, report.build());
        }
        report.note("workflow", "read as " + (language == Language.PYTHON ? "Python" : "TypeScript")
                + "; node ids come from the code's variable names (Agent Builder's own node ids are not in the code); "
                + "labels, except agents' names, Set state nodes without assignments and steps not connected to Start "
                + "are not in the code either");
        AgentsSdkDefinitions defs = new AgentsSdkDefinitions(report);
        defs.scan(top);
        if (defs.runBody == null) {
            report.error("workflow", "there is no `" + (language == Language.PYTHON ? "run_workflow" : "runWorkflow")
                    + "` function, which is where the export puts the workflow's steps", "paste the whole export.");
            return new ImportResult(null, report.build());
        }
        AgentsSdkFlow flow = new AgentsSdkFlow(defs, report);
        flow.run();
        ObjectNode doc = document(defs, flow);
        AgentsSdkAlign.apply(doc, flow.graph, report);
        check(doc, flow.graph, report);
        return new ImportResult(doc, report.build());
    }

    private static ObjectNode document(AgentsSdkDefinitions defs, AgentsSdkFlow flow) {
        String name = defs.traceName == null || defs.traceName.isBlank() ? "Imported Agents SDK workflow" : defs.traceName;
        String id = flow.workflowId != null && WORKFLOW_ID.matcher(flow.workflowId).matches() ? flow.workflowId
                : "wf_" + slug(name);
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("id", id).put("name", name);
        doc.put("description", "Imported from Agent Builder's Agents SDK code export.");
        doc.set("state", flow.state);
        doc.set("nodes", flow.graph.nodes);
        doc.set("edges", flow.graph.edges);
        return doc;
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return s.isEmpty() ? "imported" : s;
    }

    /** Runs Parley's document check and adds each error it finds, at the line of the node it names. */
    private static void check(ObjectNode doc, AgentsSdkGraph graph, ImportReport.Builder report) {
        List<Problem> problems;
        try {
            Workflow wf = WorkflowParser.parse(doc);
            problems = WorkflowValidator.compile(wf).report().errors();
        } catch (WorkflowFormatException e) {
            problems = e.problems();
        }
        for (Problem p : problems) {
            Integer line = p.nodeId() == null ? null : graph.lines.get(p.nodeId());
            report.error(line == null ? "workflow" : "line " + line, "Parley's check of the imported workflow: "
                    + p.message(), p.fix());
        }
    }
}
