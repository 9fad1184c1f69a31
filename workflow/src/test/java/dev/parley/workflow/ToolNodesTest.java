package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The file_search and mcp nodes: read into their records, checked at publish, their outputs typed downstream. */
class ToolNodesTest {

    /** {@return every problem as "node field | description | fix"} */
    private static List<String> lines(List<Problem> problems) {
        return problems.stream().map(p -> {
            String prefix = "node `" + p.nodeId() + "`, field `" + p.field() + "`: ";
            assertThat(p.message()).startsWith(prefix);
            return p.nodeId() + " " + p.field() + " | " + p.message().substring(prefix.length()) + " | " + p.fix();
        }).toList();
    }

    private static List<String> formatProblems(ObjectNode wf) {
        var e = catchThrowableOfType(WorkflowFormatException.class, () -> WorkflowParser.parse(wf));
        assertThat(e).as("a format problem").isNotNull();
        return lines(e.problems());
    }

    private static List<String> errors(ObjectNode wf) {
        return lines(validate(wf).errors());
    }

    private static ObjectNode endValue(ObjectNode wf, String property, String type, String expression) {
        ObjectNode end = node(wf, "done");
        ((ObjectNode) end.get("schema").get("properties")).putObject(property).put("type", type);
        ((ObjectNode) end.get("values")).put(property, expression);
        return wf;
    }

    @Test
    void bothNodesAreReadIntoTheirRecords() {
        Workflow wf = WorkflowParser.parse(tools());
        assertThat(wf.node("search").orElseThrow()).isEqualTo(new Node.FileSearch("search", null,
                "Opening hours: {{ workflow.input_as_text }}", List.of("agency", "support"), 3));
        assertThat(wf.node("crm").orElseThrow()).isInstanceOfSatisfying(Node.Mcp.class, m -> {
            assertThat(m.serverLabel()).isEqualTo("crm");
            assertThat(m.url()).hasToString("https://mcp.example.com/mcp");
            assertThat(m.headers().get("Authorization").path("env").asText()).isEqualTo("CRM_TOKEN");
            assertThat(m.tool()).isEqualTo("find_contact");
            assertThat(m.arguments()).containsExactly(Map.entry("user", "sys.user_id"),
                    Map.entry("hits", "size(search.output_parsed.results)"),
                    Map.entry("sources", "search.output_parsed.results.map(r, r.source)"));
        });
    }

    @Test
    void queryAndMaxResultsHaveDefaults() {
        ObjectNode doc = tools();
        node(doc, "search").remove(List.of("query", "max_results"));
        Node.FileSearch f = (Node.FileSearch) WorkflowParser.parse(doc).node("search").orElseThrow();
        assertThat(f.query()).as("null searches for the user's message").isNull();
        assertThat(f.maxResults()).isEqualTo(Node.FileSearch.DEFAULT_MAX_RESULTS).isEqualTo(5);
    }

    @Test
    void shapeProblemsNameTheNodeFieldAndFix() {
        ObjectNode doc = tools();
        node(doc, "search").put("query", 7).put("max_results", 2.5).put("knowledge_bases", "agency");
        ObjectNode crm = node(doc, "crm");
        crm.remove(List.of("server_label", "tool"));
        crm.put("server_url", "https://user:pw@mcp.example.com/mcp");
        crm.set("headers", json("{\"Authorization\": \"Bearer sk-live-123\"}"));
        crm.set("arguments", json("{\"hits\": 5}"));
        assertThat(formatProblems(doc)).containsExactly(
                "search query | `query` must be a non-empty string | quote the value.",
                "search knowledge_bases | `knowledge_bases` must be an array of strings | e.g. `[\"agency\"]`.",
                "search max_results | `max_results` must be a whole number | e.g. `\"max_results\": 5` (the default).",
                "crm server_label | required field `server_label` is missing | add `\"server_label\"`.",
                "crm server_url | `server_url` must be an absolute http(s) URL without user info, got "
                        + "`https://user:pw@mcp.example.com/mcp` | write e.g. `https://mcp.example.com/mcp`.",
                "crm headers.Authorization | header values must name an environment variable, not hold a literal | "
                        + "write `{\"env\": \"MCP_TOKEN\"}` and set MCP_TOKEN on the server.",
                "crm tool | required field `tool` is missing | add `\"tool\"`.",
                "crm arguments.hits | the value must be a string holding a CEL expression | quote it; literal text "
                        + "goes inside the expression, e.g. `\"'A-17'\"`, a number as `\"5\"`.");
    }

    @Test
    void malformedMcpUrlsAndArgumentMapsAreRefused() {
        ObjectNode doc = tools();
        node(doc, "crm").put("server_url", "mcp.example.com/mcp").put("arguments", "sys.user_id");
        assertThat(formatProblems(doc)).containsExactly(
                "crm server_url | `server_url` must be an absolute http(s) URL without user info, got "
                        + "`mcp.example.com/mcp` | write e.g. `https://mcp.example.com/mcp`.",
                "crm arguments | `arguments` must map each argument name to a CEL expression | "
                        + "write `{\"order_id\": \"lookup.output_parsed.order_id\"}`.");
    }

    @Test
    void fileSearchFieldsAreCheckedAtPublish() {
        ObjectNode doc = tools();
        node(doc, "search").put("query", "{{ workflow.input_as_txt }}").put("max_results", 21)
                .set("knowledge_bases", json("{\"k\": []}").get("k"));
        assertThat(errors(doc)).containsExactly(
                "search query | `workflow.input_as_txt`: `workflow` has no field `input_as_txt` (it has "
                        + "`input_as_text`, `tool_choice`) | did you mean `workflow.input_as_text`?",
                "search knowledge_bases | a file_search node needs `knowledge_bases`, the ids of the knowledge bases "
                        + "to search | write `\"knowledge_bases\": [\"agency\"]`; the ids are the folders under "
                        + "PARLEY_KNOWLEDGE_DIR.",
                "search max_results | `max_results` is 21; it must be from 1 to 20 | e.g. `\"max_results\": 5` (the default).");

        node(doc, "search").put("query", "{{ workflow.input_as_text }}").put("max_results", 0)
                .set("knowledge_bases", json("{\"k\": [\"agency\", \"agency\"]}").get("k"));
        assertThat(errors(doc)).containsExactly(
                "search knowledge_bases[1] | knowledge base `agency` is listed twice | remove the second `agency`.",
                "search max_results | `max_results` is 0; it must be from 1 to 20 | e.g. `\"max_results\": 5` (the default).");
    }

    @Test
    void mcpToolNameAndArgumentsAreCheckedAtPublish() {
        ObjectNode doc = tools();
        node(doc, "crm").put("tool", "find contact").set("arguments", json("""
                {"hits": "size(serch.output_parsed.results)", "user": "sys.user_id +", "": "1",
                 "later": "assistant.output_text"}"""));
        List<String> errors = errors(doc);
        assertThat(errors).contains(
                "crm tool | `find contact` is not an MCP tool name | write the tool's name as the server lists it "
                        + "(1 to 128 letters, digits, `_`, `-` or `.`), e.g. `\"tool\": \"search_contacts\"`.",
                "crm arguments | an argument has an empty name | name it as the tool's input schema does, e.g. "
                        + "`\"query\": \"workflow.input_as_text\"`.");
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("crm arguments.hits | ")
                .contains("refers to `serch`").endsWith("write `search.output_parsed.results`."));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("crm arguments.user | "));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("crm arguments.later | ")
                .contains("`assistant` is not upstream of `crm`"));
        assertThat(errors).hasSize(5);

        // Dots are fine in MCP tool names (servers group tools that way), though not in function names.
        node(doc, "crm").put("tool", "contacts.find-by_email").set("arguments", json("{\"user\": \"sys.user_id\"}"));
        assertThat(errors(doc)).isEmpty();
    }

    @Test
    void fileSearchResultsAreTypedForLaterNodes() {
        ValidationReport ok = validate(tools());
        assertThat(ok.errors()).as(ok.toString()).isEmpty();
        assertThat(ok.warnings()).as(ok.toString()).isEmpty();

        assertThat(errors(endValue(tools(), "title", "string", "search.output_parsed.results[0].title")))
                .singleElement().satisfies(e -> assertThat(e).startsWith("done values.title | ").contains("title"));
        assertThat(errors(endValue(tools(), "best", "string", "search.output_parsed.results[0].score")))
                .containsExactly("done values.best | `search.output_parsed.results[0].score` is of type double "
                        + "(number) but the schema says string | convert it with "
                        + "`string(search.output_parsed.results[0].score)`, or map a string field.");
        assertThat(errors(endValue(tools(), "hits", "string", "search.output_parsed.hits")))
                .singleElement().satisfies(e -> assertThat(e).contains("`search.output_parsed` has no property `hits`")
                        .contains("outputs `results`"));
    }

    @Test
    void mcpOutputIsUntyped() {
        ValidationReport report = validate(endValue(tools(), "who", "string", "crm.output_parsed.contact.name"));
        assertThat(report.errors()).as(report.toString()).isEmpty();
        assertThat(lines(report.warnings())).singleElement().satisfies(w -> assertThat(w)
                .startsWith("done values.who | `crm.output_parsed.contact.name` has no static type (dyn)"));
    }

    @Test
    void compiledWorkflowKeepsTheQueryTemplateAndArgumentExpressions() {
        CompiledWorkflow compiled = WorkflowValidator.compile(WorkflowParser.parse(tools()), TestDeployment.permissive());
        assertThat(compiled.report().ok()).as(compiled.report().toString()).isTrue();
        assertThat(compiled.template("search", "query")).get()
                .satisfies(t -> assertThat(t.segments()).extracting(CompiledWorkflow.Segment::source)
                        .containsExactly(null, "workflow.input_as_text"));
        assertThat(compiled.expression("crm", "arguments.hits")).isPresent();
        assertThat(compiled.expression("crm", "arguments.sources")).isPresent();
    }
}
