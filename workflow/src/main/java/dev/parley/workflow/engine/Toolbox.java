package dev.parley.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.HostedTool;
import dev.parley.model.ModelProvider;
import dev.parley.model.ToolSpec;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.workflow.AgentTool;
import dev.parley.workflow.Deployment;
import dev.parley.workflow.Node;
import dev.parley.workflow.tools.FileSearchTool;
import dev.parley.workflow.tools.McpHosts;
import dev.parley.workflow.tools.Tool;
import dev.parley.workflow.tools.ToolContext;
import dev.parley.workflow.tools.ToolResult;
import dev.parley.workflow.tools.Webhooks;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What agents' tools can reach on this server: the webhook executor, the knowledge bases, MCP servers and the
 * environment variables their headers name. It is also the {@link Deployment} a publish is checked against, so
 * what validates is exactly what can run.
 */
public final class Toolbox implements Deployment {
    /** The tools one agent offers its model on one turn. */
    record Kit(Map<String, Offered> functions, List<HostedTool> hosted, List<String> problems) {
        List<ToolSpec> specs() {
            return functions.values().stream().map(Offered::spec).toList();
        }

        boolean any() {
            return !functions.isEmpty() || !hosted.isEmpty();
        }
    }

    /** A function the model may call, and where it runs. */
    sealed interface Offered {
        ToolSpec spec();

        /**
         * Runs inside Parley (webhook, knowledge search, MCP).
         *
         * @param activity the progress line shown while it runs
         * @param approval whether the user must allow each call first
         */
        record Server(Tool tool, String activity, boolean approval) implements Offered {
            public ToolSpec spec() {
                return new ToolSpec(tool.name(), tool.description(), tool.parameters());
            }
        }

        /** Runs in the user's browser: the run pauses until the page answers with its output. */
        record Client(ToolSpec spec) implements Offered {}
    }

    private final ModelProvider provider;
    private final Webhooks webhooks;
    private final KnowledgeBases knowledge;
    private final McpConnector mcp;
    private final McpHosts mcpHosts;
    private final Function<String, Optional<String>> environment;
    /** Watches runs for metrics and traces; set once at start-up ({@link #observedBy}). */
    private volatile RunObserver observer = RunObserver.NONE;
    /** Webhook tools compile their parameter schema once: keyed by the tool's definition, which never changes. */
    private final Map<AgentTool.Function, Tool> webhookTools = new ConcurrentHashMap<>();

    /**
     * @param webhooks    the webhook executor, or null when no host is allowed
     * @param knowledge   the knowledge bases, or null for none
     * @param mcp         how MCP servers are reached, or null when MCP is off
     * @param mcpHosts    the MCP servers' hosts agents may reach, or null for none
     * @param environment the variables MCP headers may name, read once at start-up
     */
    public Toolbox(ModelProvider provider, Webhooks webhooks, KnowledgeBases knowledge, McpConnector mcp,
            McpHosts mcpHosts, Function<String, Optional<String>> environment) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.webhooks = webhooks;
        this.knowledge = knowledge;
        this.mcp = mcp;
        this.mcpHosts = mcpHosts == null ? McpHosts.of(List.of()) : mcpHosts;
        this.environment = environment == null ? name -> Optional.empty() : environment;
    }

    /** {@return a toolbox with nothing configured: no webhook host, knowledge base, MCP or environment} */
    public static Toolbox none(ModelProvider provider) {
        return new Toolbox(provider, null, null, null, null, null);
    }

    /**
     * Lets {@code observer} watch every run of this server's workflows (metrics, OpenTelemetry spans). Called once
     * by the wiring, before the first turn.
     *
     * @return this toolbox
     */
    public Toolbox observedBy(RunObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** {@return who watches runs; {@link RunObserver#NONE} unless the wiring set one} */
    RunObserver observer() {
        return observer;
    }

    @Override
    public Optional<String> webhookProblem(URI url) {
        if (webhooks == null) {
            return Optional.of("no webhook host is allowed on this server: add " + (url == null ? "the host" : url.getHost())
                    + " to PARLEY_WEBHOOK_HOSTS (and set PARLEY_WEBHOOK_SECRET) before starting it");
        }
        return webhooks.check(url);
    }

    @Override
    public Optional<String> mcpProblem(URI url) {
        return mcpHosts.check(url);
    }

    @Override
    public Set<String> knowledgeBases() {
        return knowledge == null ? Set.of() : Set.copyOf(knowledge.ids());
    }

    @Override
    public Optional<String> environmentVariable(String name) {
        return environment.apply(name);
    }

    @Override
    public ModelProvider provider() {
        return provider;
    }

    KnowledgeBases knowledge() {
        return knowledge;
    }

    McpConnector mcp() {
        return mcp;
    }

    McpHosts mcpHosts() {
        return mcpHosts;
    }

    /** {@return the tools {@code agent} offers on this turn; an MCP server that cannot be reached is a problem, not a failure} */
    Kit kit(Node.Agent agent) {
        Map<String, Offered> functions = new LinkedHashMap<>();
        List<HostedTool> hosted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (AgentTool t : agent.tools()) {
            switch (t) {
                case AgentTool.Function f when f.runsOn() == AgentTool.RunsOn.CLIENT ->
                        functions.put(f.name(), new Offered.Client(new ToolSpec(f.name(), f.description(), f.parameters())));
                case AgentTool.Function f -> functions.put(f.name(), new Offered.Server(webhookTool(f),
                        "Calling " + f.name() + "…", false));
                case AgentTool.FileSearch fs -> fileSearch(fs, functions, hosted, problems);
                case AgentTool.Mcp m -> {
                    Optional<String> refused = mcpHosts.check(m.url());
                    if (mcp == null || refused.isPresent()) {
                        problems.add("MCP server " + m.serverLabel() + ": " + refused.orElse("MCP is off on this server"));
                        continue;
                    }
                    McpConnector.Listing listing = mcp.tools(m, environment);
                    switch (listing) {
                        case McpConnector.Listing.Available a -> {
                            for (Tool tool : a.tools()) {
                                // Two servers may both have a `search`; the first keeps the name, as the model sees it.
                                if (functions.containsKey(tool.name())) {
                                    problems.add("MCP server " + m.serverLabel() + ": its tool " + tool.name()
                                            + " is left out, another tool of this agent has that name");
                                    continue;
                                }
                                functions.put(tool.name(), new Offered.Server(tool, "Calling " + m.serverLabel() + ": "
                                        + tool.name() + "…", approvalNeeded(m, tool.name())));
                            }
                        }
                        case McpConnector.Listing.Unavailable u ->
                                problems.add("MCP server " + m.serverLabel() + " is unavailable: " + u.detail());
                    }
                }
                case AgentTool.WebSearch w -> hosted.add(new HostedTool.WebSearch());
            }
        }
        return new Kit(functions, hosted, problems);
    }

    private void fileSearch(AgentTool.FileSearch fs, Map<String, Offered> functions, List<HostedTool> hosted,
            List<String> problems) {
        int max = fs.maxResults() == null ? FileSearchTool.DEFAULT_MAX_RESULTS : fs.maxResults();
        if (fs.vectorStoreId() != null) {
            hosted.add(new HostedTool.VectorStoreSearch(List.of(fs.vectorStoreId()), max));
            return;
        }
        var grounded = new HostedTool.KnowledgeSearch(fs.knowledgeBases(), max);
        if (provider.runs(grounded)) {
            hosted.add(grounded);
        } else if (knowledge == null) {
            problems.add("file_search: this server has no knowledge bases");
        } else {
            functions.put(FileSearchTool.NAME, new Offered.Server(new FileSearchTool(knowledge, fs.knowledgeBases(), max),
                    "Searching the knowledge base…", false));
        }
    }

    private Tool webhookTool(AgentTool.Function f) {
        return webhookTools.computeIfAbsent(f, def -> webhooks == null
                ? new Unreachable(def)
                : webhooks.tool(def.name(), def.description(), def.parameters(), def.url(), def.timeout()));
    }

    /** {@code require_approval}: {@code never}, {@code always} (the default, as at OpenAI), or per tool name. */
    static boolean approvalNeeded(AgentTool.Mcp m, String tool) {
        var rule = m.requireApproval();
        if (rule == null || rule.isNull()) return true;
        if (rule.isTextual()) return !"never".equals(rule.asText());
        var forTool = rule.get(tool);
        return forTool == null || !"never".equals(forTool.asText());
    }

    /** A webhook tool on a server whose webhook setting was removed after the workflow was published. */
    private record Unreachable(AgentTool.Function def) implements Tool {
        public String name() { return def.name(); }
        public String description() { return def.description(); }
        public JsonNode parameters() { return def.parameters(); }

        public ToolResult call(JsonNode arguments,
                ToolContext context) {
            return new ToolResult.Failed("The tool " + def.name() + " is not available right now.",
                    "no webhook host is allowed on this server (PARLEY_WEBHOOK_HOSTS is empty)");
        }
    }
}
