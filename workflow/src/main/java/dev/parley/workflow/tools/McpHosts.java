package dev.parley.workflow.tools;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which MCP servers agents and {@code mcp} nodes may reach. As with webhooks, whoever publishes a workflow names the
 * URL, so the operator lists the hosts ({@value #SETTING}, same entry syntax as {@link WebhookPolicy}); anything else
 * is refused at publish and before connecting.
 */
public final class McpHosts {
    public static final String SETTING = "PARLEY_MCP_HOSTS";

    private final List<WebhookPolicy.HostPattern> hosts;

    private McpHosts(List<WebhookPolicy.HostPattern> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    /** @throws IllegalArgumentException naming every bad entry and what it should look like */
    public static McpHosts of(List<String> patterns) {
        List<WebhookPolicy.HostPattern> parsed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String p : patterns) {
            try {
                parsed.add(WebhookPolicy.HostPattern.parse(p, SETTING));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return new McpHosts(parsed);
    }

    /** {@return empty when Parley may connect to {@code url}, else what is wrong and how to fix it} */
    public Optional<String> check(URI url) {
        return WebhookPolicy.check(url, hosts, "MCP server", SETTING);
    }
}
