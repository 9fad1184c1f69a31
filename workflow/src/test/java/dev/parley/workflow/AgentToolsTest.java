package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent's `tools`: read into typed tools, every shape problem named with its field and fix. */
class AgentToolsTest {
    private static ObjectNode withTools(String toolsJson) {
        ObjectNode wf = simple();
        node(wf, "assistant").set("tools", json("{\"t\": " + toolsJson + "}").get("t"));
        return wf;
    }

    private static List<String> formatProblems(String toolsJson) {
        var e = catchThrowableOfType(WorkflowFormatException.class, () -> WorkflowParser.parse(withTools(toolsJson)));
        assertThat(e).as("a format problem").isNotNull();
        // The message repeats node and field first ("node `assistant`, field `…`: "); the rest is what matters here.
        return e.problems().stream().map(p -> p.field() + " | " + description(p) + " | " + p.fix()).toList();
    }

    private static String description(Problem p) {
        String prefix = "node `" + p.nodeId() + "`, field `" + p.field() + "`: ";
        assertThat(p.message()).startsWith(prefix);
        return p.message().substring(prefix.length());
    }

    @Test
    void everyKindIsReadIntoItsRecord() {
        Workflow wf = WorkflowParser.parse(withTools("""
                [{"type": "function", "name": "get_order_status", "description": "Look an order up",
                  "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
                  "runs_on": "webhook", "url": "https://api.example.com/orders", "timeout_ms": 5000},
                 {"type": "function", "name": "pick_date", "parameters": {"type": "object"}, "runs_on": "client"},
                 {"type": "file_search", "knowledge_bases": ["agency"], "max_results": 4},
                 {"type": "mcp", "server_label": "crm", "server_url": "https://mcp.example.com/mcp",
                  "allowed_tools": ["find_contact"], "headers": {"Authorization": {"env": "CRM_TOKEN"}},
                  "require_approval": {"find_contact": "never"}},
                 {"type": "web_search"}]"""));
        List<AgentTool> tools = ((Node.Agent) wf.node("assistant").orElseThrow()).tools();
        assertThat(tools).hasSize(5);
        assertThat(tools.get(0)).isInstanceOfSatisfying(AgentTool.Function.class, f -> {
            assertThat(f.name()).isEqualTo("get_order_status");
            assertThat(f.runsOn()).isEqualTo(AgentTool.RunsOn.WEBHOOK);
            assertThat(f.url()).hasHost("api.example.com");
            assertThat(f.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(f.parameters().path("required").get(0).asText()).isEqualTo("order_id");
        });
        assertThat(tools.get(1)).isInstanceOfSatisfying(AgentTool.Function.class, f -> {
            assertThat(f.runsOn()).isEqualTo(AgentTool.RunsOn.CLIENT);
            assertThat(f.url()).isNull();
        });
        assertThat(tools.get(2)).isEqualTo(new AgentTool.FileSearch(List.of("agency"), null, 4));
        assertThat(tools.get(3)).isInstanceOfSatisfying(AgentTool.Mcp.class, m -> {
            assertThat(m.name()).isEqualTo("crm");
            assertThat(m.allowedTools()).containsExactly("find_contact");
            assertThat(m.headers().get("Authorization").path("env").asText()).isEqualTo("CRM_TOKEN");
        });
        assertThat(tools.get(4)).isInstanceOf(AgentTool.WebSearch.class);
    }

    @Test
    void shapeProblemsNameTheToolFieldAndTheFix() {
        assertThat(formatProblems("""
                [{"type": "functoin"},
                 {"type": "function", "parameters": {"type": "object"}, "runs_on": "server"},
                 {"type": "function", "name": "a", "parameters": {"type": "object"}, "runs_on": "webhook",
                  "url": "https://user:pw@api.example.com/x", "timeout_ms": 120000},
                 {"type": "function", "name": "b", "parameters": {"type": "object"}, "runs_on": "client", "url": "https://x.example"},
                 {"type": "function", "name": "c", "runs_on": "webhook", "url": "ftp://files.example.com"},
                 {"type": "file_search"},
                 {"type": "mcp", "server_label": "crm", "server_url": "https://mcp.example.com",
                  "headers": {"Authorization": "Bearer sk-live-123"}, "require_approval": "sometimes"}]""")).containsExactly(
                "tools[0].type | unknown tool type `functoin` | use one of function, file_search, mcp, web_search.",
                "tools[1].name | required field `name` is missing | add `\"name\"`.",
                "tools[1].runs_on | `runs_on` must be `webhook` or `client`, got `server` | use `webhook` (Parley POSTs to your backend) or `client` (the browser runs it).",
                "tools[2].url | `url` must be an absolute http(s) URL without user info, got `https://user:pw@api.example.com/x` | write e.g. `https://api.example.com/tools/get_order`.",
                "tools[2].timeout_ms | `timeout_ms` must be from 1 to 60000 | give the milliseconds a call may take, e.g. 5000.",
                "tools[3].url | a client tool runs in the browser and has no `url` | remove `url`, or set `runs_on` to `webhook`.",
                "tools[4].parameters | a function tool needs `parameters`, the JSON Schema of its arguments | write `\"parameters\": {\"type\": \"object\", \"properties\": {…}, \"required\": […]}`.",
                "tools[4].url | `url` must be an absolute http(s) URL without user info, got `ftp://files.example.com` | write e.g. `https://api.example.com/tools/get_order`.",
                "tools[5] | a file_search tool needs `knowledge_bases` (ids under PARLEY_KNOWLEDGE_DIR) or an OpenAI `vector_store_id` | write `\"knowledge_bases\": [\"agency\"]`.",
                "tools[6].headers.Authorization | header values must name an environment variable, not hold a literal | write `{\"env\": \"MCP_TOKEN\"}` and set MCP_TOKEN on the server.",
                "tools[6].require_approval | `require_approval` must be `never`, `always` or an object by tool name | e.g. `\"require_approval\": {\"delete_record\": \"always\"}`.");
    }

    @Test
    void publishingChecksNamesAndSchemas() {
        ObjectNode wf = withTools("""
                [{"type": "function", "name": "get order", "parameters": {"type": "object"}, "runs_on": "client"},
                 {"type": "function", "name": "lookup", "parameters": {"type": "objekt"}, "runs_on": "client"},
                 {"type": "function", "name": "lookup", "runs_on": "client",
                  "parameters": {"type": "object", "properties": {"x": {"$ref": "https://evil.example/schema.json"}}}},
                 {"type": "file_search", "knowledge_bases": ["agency"]},
                 {"type": "file_search", "knowledge_bases": ["support"]}]""");
        List<String> errors = validate(wf).errors().stream().map(p -> p.nodeId() + " " + p.field() + ": " + description(p)).toList();
        assertThat(errors).contains(
                "assistant tools[0].name: tool name `get order` is not one a model can call",
                "assistant tools[2].name: two tools of this agent are called `lookup`",
                "assistant tools[2].parameters: the parameters schema refers to a remote `$ref`",
                "assistant tools[4].type: the agent has two `file_search` tools");
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("assistant tools[1].parameters: "));
        assertThat(errors).noneMatch(e -> e.startsWith("assistant tools:"));
    }

    @Test
    void anAgentWithToolsMustAnswerInText() {
        ObjectNode wf = withTools("[{\"type\": \"file_search\", \"knowledge_bases\": [\"agency\"]}]");
        node(wf, "assistant").put("output_format", "json_schema").set("output_schema", json(
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"], \"additionalProperties\": false}"));
        List<String> errors = validate(wf).errors().stream().map(p -> p.nodeId() + " " + p.field() + ": " + description(p)).toList();
        assertThat(errors).contains("assistant tools: an agent with tools must answer in text; this one has a JSON output format");
    }

    @Test
    void wellFormedToolsOfEveryKindPassTheDocumentChecks() {
        // Tools are no longer refused as such: what remains is checked against the server (DeploymentRulesTest).
        ValidationReport report = validate(tools());
        assertThat(report.errors()).as(report.toString()).isEmpty();
        assertThat(((Node.Agent) WorkflowParser.parse(tools()).node("assistant").orElseThrow()).tools()).hasSize(5);
    }

    @Test
    void headersMustBeSendableAndNameAVariable() {
        assertThat(formatProblems("""
                [{"type": "mcp", "server_label": "crm", "server_url": "https://mcp.example.com",
                  "headers": {"Host": {"env": "CRM_HOST"}, "X Key": {"env": "CRM_KEY"}, "X-Key": {"env": "my token"},
                              "X-Extra": {"env": "A", "default": "b"}, "X-Fine": {"env": "CRM_TOKEN"}}}]""")).containsExactly(
                "tools[0].headers.Host | `Host` is not a header Parley can send | remove it: the HTTP client sets it itself.",
                "tools[0].headers.X Key | `X Key` is not a header Parley can send | use letters, digits and `-`, e.g. `Authorization`.",
                "tools[0].headers.X-Key.env | `my token` is not an environment variable name | use letters, digits and `_`, not starting with a digit, e.g. `MCP_TOKEN`.",
                "tools[0].headers.X-Extra | header values must name an environment variable, not hold a literal | write `{\"env\": \"MCP_TOKEN\"}` and set MCP_TOKEN on the server.");
    }

    @Test
    void anAgentWithoutToolsHasAnEmptyList() {
        Workflow wf = WorkflowParser.parse(simple());
        assertThat(((Node.Agent) wf.node("assistant").orElseThrow()).tools()).isEmpty();
        assertThat(withTools("[]").get("nodes")).isInstanceOf(ArrayNode.class);
    }
}
