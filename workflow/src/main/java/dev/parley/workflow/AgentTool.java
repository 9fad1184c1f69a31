package dev.parley.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A tool an {@code agent} node offers its model ({@code tools: [...]}). One record per kind; see docs/tools.md.
 * The engine runs them through {@code dev.parley.workflow.tools}. Publishing checks each against the server it will
 * run on ({@code WorkflowValidator.compile(Workflow, Deployment)}), so a turn never meets a tool that cannot run.
 */
public sealed interface AgentTool {
    /** {@return the tool's kind as written in the document} */
    String type();

    /** {@return the name the model calls it by} */
    String name();

    /** Where a function tool runs: the host's backend, or the browser through ChatKit's client-tool flow. */
    enum RunsOn { WEBHOOK, CLIENT }

    /**
     * A function the model calls with arguments of {@code parameters}' shape.
     *
     * @param url     for {@link RunsOn#WEBHOOK}: where the arguments are POSTed; null for client tools
     * @param timeout for webhooks: how long a call may take; null for the default
     */
    record Function(String name, String description, JsonNode parameters, RunsOn runsOn, URI url, Duration timeout)
            implements AgentTool {
        public String type() { return "function"; }
    }

    /**
     * Searches knowledge bases by id, or (on OpenAI) an OpenAI vector store.
     *
     * @param maxResults 1–50; null for {@link #DEFAULT_MAX_RESULTS}
     */
    record FileSearch(List<String> knowledgeBases, String vectorStoreId, Integer maxResults) implements AgentTool {
        /** The same default as the {@code file_search} node, so moving a search between the two keeps its size. */
        public static final int DEFAULT_MAX_RESULTS = Node.FileSearch.DEFAULT_MAX_RESULTS;

        public String type() { return "file_search"; }
        public String name() { return "file_search"; }

        /** {@return how many passages a search may return: {@code max_results}, or the default} */
        public int maxResultsOrDefault() {
            return maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
        }
    }

    /**
     * The tools of an MCP server.
     *
     * @param headers         header name → {@code {"env": "NAME"}}: secrets come from the environment, never the document
     * @param requireApproval {@code never}, {@code always}, or per tool name
     */
    record Mcp(String serverLabel, URI url, List<String> allowedTools, Map<String, JsonNode> headers,
               JsonNode requireApproval) implements AgentTool {
        public String type() { return "mcp"; }
        public String name() { return serverLabel; }
    }

    /** OpenAI's hosted web search. */
    record WebSearch() implements AgentTool {
        public String type() { return "web_search"; }
        public String name() { return "web_search"; }
    }
}
