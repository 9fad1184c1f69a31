package dev.parley.workflow;

import static dev.parley.workflow.Docs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.HostedTool;
import dev.parley.workflow.validate.WorkflowValidator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Publishing against a server's settings: webhook hosts, knowledge bases, environment variables and what the model
 * provider can run. {@link Docs#tools()} uses every tool kind and both tool nodes; each test takes one thing away.
 */
class DeploymentRulesTest {
    private static final String FUNCTION_PROVIDERS = "configure a provider that calls functions (PARLEY_MODEL_PROVIDER="
            + "openai with OPENAI_API_KEY, or PARLEY_MODEL_PROVIDER=openai-compatible with OPENAI_BASE_URL and "
            + "PARLEY_MODEL)";

    /** {@return the errors as "node field | description | fix"} */
    private static List<String> errors(ObjectNode wf, Deployment deployment) {
        return validate(wf, deployment).errors().stream().map(p -> {
            String prefix = "node `" + p.nodeId() + "`, field `" + p.field() + "`: ";
            assertThat(p.message()).startsWith(prefix);
            return p.nodeId() + " " + p.field() + " | " + p.message().substring(prefix.length()) + " | " + p.fix();
        }).toList();
    }

    /** The tools document with only the agent tools at {@code keep} (indexes into its five tools). */
    private static ObjectNode onlyTools(int... keep) {
        ObjectNode wf = tools();
        ArrayNode all = (ArrayNode) node(wf, "assistant").get("tools");
        ArrayNode kept = JSON.createArrayNode();
        for (int i : keep) kept.add(all.get(i));
        node(wf, "assistant").set("tools", kept);
        return wf;
    }

    @Test
    void everyToolKindAndBothNodesPublishOnAServerThatCanRunThem() {
        ValidationReport report = validate(tools(), TestDeployment.permissive());
        assertThat(report.errors()).as(report.toString()).isEmpty();
    }

    @Test
    void theDocumentOnlyCompileLeavesServerSettingsAlone() {
        ObjectNode wf = tools();
        node(wf, "search").set("knowledge_bases", json("{\"k\": [\"nowhere\"]}").get("k"));
        assertThat(WorkflowValidator.compile(WorkflowParser.parse(wf)).report().errors()).isEmpty();
        assertThat(errors(wf, TestDeployment.permissive())).singleElement()
                .satisfies(e -> assertThat(e).startsWith("search knowledge_bases[0] | knowledge base `nowhere`"));
    }

    @Test
    void aWebhookHostTheServerDoesNotAllowCarriesThePolicysText() {
        assertThat(errors(tools(), TestDeployment.permissive().withWebhookHosts("orders.example.com"))).containsExactly(
                "assistant tools[0].url | this server may not call the webhook: the webhook host api.example.com is "
                        + "not allowed; add api.example.com to PARLEY_WEBHOOK_HOSTS (comma-separated) if Parley should "
                        + "call it | point `url` at an endpoint the server allows, or have its operator allow this one.");
    }

    @Test
    void anUnknownKnowledgeBaseSuggestsTheNearestOrListsThoseThatExist() {
        ObjectNode wf = tools();
        node(wf, "search").set("knowledge_bases", json("{\"k\": [\"agency\", \"suport\"]}").get("k"));
        ((ObjectNode) node(wf, "assistant").get("tools").get(2)).set("knowledge_bases", json("{\"k\": [\"faq\"]}").get("k"));
        assertThat(errors(wf, TestDeployment.permissive())).containsExactly(
                "search knowledge_bases[1] | knowledge base `suport` does not exist on this server (it has `agency`, "
                        + "`support`); did you mean `support`? | write `support`.",
                "assistant tools[2].knowledge_bases[0] | knowledge base `faq` does not exist on this server (it has "
                        + "`agency`, `support`) | use one of `agency`, `support`, or add a folder `faq/` of documents "
                        + "under PARLEY_KNOWLEDGE_DIR and restart the server.");

        assertThat(errors(onlyTools(), TestDeployment.permissive().withKnowledgeBases())).containsExactly(
                "search knowledge_bases[0] | knowledge base `agency` does not exist on this server (it has none) | "
                        + "add a folder `agency/` of documents under PARLEY_KNOWLEDGE_DIR and restart the server.",
                "search knowledge_bases[1] | knowledge base `support` does not exist on this server (it has none) | "
                        + "add a folder `support/` of documents under PARLEY_KNOWLEDGE_DIR and restart the server.");
    }

    @Test
    void aMissingEnvironmentVariableIsNamedAndNoValueIsPrinted() {
        ObjectNode wf = tools();
        node(wf, "crm").set("headers", json("{\"X-Api-Key\": {\"env\": \"CRM_KEY\"}}"));
        ValidationReport report = validate(wf, TestDeployment.permissive());
        assertThat(errors(wf, TestDeployment.permissive())).containsExactly(
                "crm headers.X-Api-Key | header `X-Api-Key` is read from environment variable `CRM_KEY`, which is not "
                        + "set on this server | set CRM_KEY to the header's value (e.g. `Bearer …`) in the server's "
                        + "environment before starting it.");
        // CRM_TOKEN is set (to "Bearer secret-value") and read by the agent's MCP tool: its value appears nowhere.
        assertThat(report.toString()).doesNotContain("secret-value");

        assertThat(errors(wf, TestDeployment.permissive().withEnvironment(Map.of()))).contains(
                "assistant tools[3].headers.Authorization | header `Authorization` is read from environment variable "
                        + "`CRM_TOKEN`, which is not set on this server | set CRM_TOKEN to the header's value (e.g. "
                        + "`Bearer …`) in the server's environment before starting it.");
    }

    @Test
    void parleysOwnSettingsCannotBeSentAsAnMcpHeader() {
        ObjectNode wf = tools();
        node(wf, "crm").set("headers", json("{\"Authorization\": {\"env\": \"PARLEY_ADMIN_TOKEN\"}}"));
        assertThat(errors(wf, TestDeployment.permissive())).containsExactly(
                "crm headers.Authorization | header `Authorization` would send `PARLEY_ADMIN_TOKEN`, one of Parley's own "
                        + "settings, to the MCP server | put the server's credential in a variable of its own (e.g. "
                        + "CRM_MCP_TOKEN) and name that.");
    }

    @Test
    void anMcpServerOnAHostTheServerDoesNotAllowIsRefused() {
        ObjectNode wf = tools();
        node(wf, "crm").put("server_url", "https://169.254.169.254/latest");
        assertThat(errors(wf, TestDeployment.permissive())).singleElement().satisfies(e -> assertThat(e)
                .startsWith("crm server_url | this server may not connect to the MCP server: the MCP server host "
                        + "169.254.169.254 is not allowed; add 169.254.169.254 to PARLEY_MCP_HOSTS"));
    }

    @Test
    void functionToolsNeedAProviderThatCallsFunctions() {
        assertThat(errors(onlyTools(0, 1), TestDeployment.permissive().withProvider(TestProvider.nothing()))).containsExactly(
                "assistant tools[0] | the `embedded` model provider cannot choose arguments for function tools, so "
                        + "`get_order_status` would never be called | " + FUNCTION_PROVIDERS + ", or remove the tool.",
                "assistant tools[1] | the `embedded` model provider cannot choose arguments for function tools, so "
                        + "`pick_date` would never be called | " + FUNCTION_PROVIDERS + ", or remove the tool.");
        assertThat(errors(onlyTools(0, 1), TestDeployment.permissive().withEcho())).isEmpty();
    }

    @Test
    void mcpToolsNeedAProviderThatCallsFunctions() {
        assertThat(errors(onlyTools(3), TestDeployment.permissive().withProvider(TestProvider.nothing()))).containsExactly(
                "assistant tools[0] | the `embedded` model provider cannot choose which MCP tool to call or its "
                        + "arguments, so the tools of `calendar` would never be called | " + FUNCTION_PROVIDERS
                        + ", or call one tool with fixed arguments from an `mcp` node before the agent.");
        assertThat(errors(onlyTools(3), TestDeployment.permissive().withEcho())).isEmpty();
    }

    @Test
    void knowledgeBaseSearchNeedsFunctionCallsOrAProviderThatSearchesThemItself() {
        ObjectNode wf = onlyTools(2);
        ((ObjectNode) node(wf, "assistant").get("tools").get(0)).remove("vector_store_id");
        assertThat(errors(wf, TestDeployment.permissive().withProvider(TestProvider.nothing()))).containsExactly(
                "assistant tools[0].knowledge_bases | the `embedded` model provider cannot call a file_search "
                        + "function or search knowledge bases itself | " + FUNCTION_PROVIDERS + ", or search in a "
                        + "`file_search` node before the agent and put its results in the prompt.");
        var groundsItself = new TestProvider("embedded", false, Set.of(HostedTool.KnowledgeSearch.class));
        assertThat(errors(wf, TestDeployment.permissive().withProvider(groundsItself))).isEmpty();
        assertThat(errors(wf, TestDeployment.permissive().withEcho())).isEmpty();
    }

    @Test
    void vectorStoreSearchNeedsAProviderThatRunsIt() {
        ObjectNode wf = onlyTools(2);
        ((ObjectNode) node(wf, "assistant").get("tools").get(0)).remove("knowledge_bases");
        // Echo calls functions, which is not enough: only the provider can reach an OpenAI vector store.
        assertThat(errors(wf, TestDeployment.permissive().withEcho())).containsExactly(
                "assistant tools[0].vector_store_id | the `echo` model provider cannot run file_search over an OpenAI "
                        + "vector store | use PARLEY_MODEL_PROVIDER=openai with OPENAI_API_KEY, or search Parley's "
                        + "knowledge bases instead: `\"knowledge_bases\": [\"agency\"]`.");
    }

    @Test
    void webSearchNeedsAProviderThatRunsIt() {
        assertThat(errors(onlyTools(4), TestDeployment.permissive().withEcho())).containsExactly(
                "assistant tools[0] | the `echo` model provider cannot run web_search (a search OpenAI hosts) | "
                        + "use PARLEY_MODEL_PROVIDER=openai with OPENAI_API_KEY, or remove the tool.");
        var webOnly = new TestProvider("web", false, Set.of(HostedTool.WebSearch.class));
        assertThat(errors(onlyTools(4), TestDeployment.permissive().withProvider(webOnly))).isEmpty();
    }

    @Test
    void theToolNodesRunInParleyAndNeedNoProviderCapability() {
        ObjectNode wf = onlyTools();
        assertThat(errors(wf, TestDeployment.permissive().withProvider(TestProvider.nothing()))).isEmpty();
        // The same server refuses every agent tool, each at its own field.
        assertThat(errors(tools(), TestDeployment.permissive().withProvider(TestProvider.nothing())))
                .extracting(e -> e.substring(0, e.indexOf(" | "))).containsExactly(
                        "assistant tools[0]", "assistant tools[1]", "assistant tools[2].knowledge_bases",
                        "assistant tools[2].vector_store_id", "assistant tools[3]", "assistant tools[4]");
    }

    @Test
    void compileWithADeploymentNeedsOne() {
        Workflow wf = WorkflowParser.parse(tools());
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> WorkflowValidator.compile(wf, null)).withMessage("deployment");
    }
}
