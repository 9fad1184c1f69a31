package dev.parley.workflow.tools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The deployment's MCP client: one per deployment, like {@link Webhooks}. It connects to MCP servers over
 * streamable HTTP, or the older HTTP+SSE transport for servers that do not speak it, keeps one connection per
 * server URL and header set across turns, lists their tools for agents ({@link #tools}) and calls a tool directly
 * for the {@code mcp} node ({@link #call}). Nothing here throws for a server's faults: listing gives
 * {@link Listing.Unavailable}, calling gives {@link McpCallResult.Failed}. Thread-safe; close it at shutdown.
 */
public final class McpServers implements AutoCloseable {
    /** When a call names no deadline: a tool that searches or computes, short enough for a waiting user. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** MCP tools may run code or browse; past this the user has left anyway. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    /** The most of an answer the model gets, as for webhooks: it is paid for in tokens and must fit the context. */
    public static final int MAX_RESULT_BYTES = Webhooks.MAX_RESULT_BYTES;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ARGUMENTS = new TypeReference<>() {};
    /** A server that pages its tool list forever must not hold a turn. */
    private static final int MAX_TOOL_PAGES = 20;

    /**
     * @param callTimeout    how long a tool call may take when the caller names no deadline
     * @param connectTimeout how long connecting, the MCP handshake and listing the tools may take together; a
     *                       turn waits for it before the model starts
     * @param toolListTtl    how long a server's tool list is reused before it is asked again
     */
    public record Settings(Duration callTimeout, Duration connectTimeout, Duration toolListTtl) {
        public static final Settings DEFAULTS = new Settings(DEFAULT_TIMEOUT, Duration.ofSeconds(10), Duration.ofSeconds(60));

        public Settings {
            positive("callTimeout", callTimeout);
            positive("connectTimeout", connectTimeout);
            positive("toolListTtl", toolListTtl);
            if (callTimeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("callTimeout must be at most " + MAX_TIMEOUT.toSeconds() + " s");
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /**
     * An MCP server as an agent or node names it.
     *
     * @param label   the document's {@code server_label}: how traces and messages name the server
     * @param url     the server's MCP endpoint, http(s)
     * @param headers sent on every request, values already resolved from the environment (such as
     *                {@code Authorization: Bearer …}); never shown in {@link #toString()}
     */
    public record Server(String label, URI url, Map<String, String> headers) {
        private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        /** Set by the HTTP client or by the MCP transports themselves; a document must not override them. */
        private static final Set<String> RESERVED = Set.of("host", "connection", "content-length", "expect", "upgrade",
                "accept", "content-type", "mcp-session-id", "mcp-protocol-version", "last-event-id");

        public Server {
            if (label == null || label.isBlank()) throw new IllegalArgumentException("an MCP server needs a label");
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null
                    || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("MCP server " + label + ": the URL must be an absolute http(s) URL"
                        + " such as https://mcp.example.com/mcp");
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("MCP server " + label + ": put credentials in a header, not the URL");
            }
            Map<String, String> copy = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((name, value) -> {
                    if (name == null || !TOKEN.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("MCP server " + label + ": " + name + " cannot be sent as a header");
                    }
                    if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                        throw new IllegalArgumentException("MCP server " + label + ": the value of header " + name
                                + " is missing or has a line break");
                    }
                    copy.put(name, value);
                });
            }
            headers = Collections.unmodifiableMap(copy);
        }

        public Server(String label, URI url) {
            this(label, url, Map.of());
        }

        /** {@return where the server is, for traces: without the query string, which may hold a key} */
        public String where() {
            return "MCP server " + label + " (" + url.getScheme() + "://" + url.getRawAuthority()
                    + (url.getRawPath() == null ? "" : url.getRawPath()) + ")";
        }

        @Override
        public String toString() {
            return "Server[" + where() + ", headers=" + headers.keySet() + "]";
        }
    }

    /** What listing a server's tools gave. */
    public sealed interface Listing {
        /**
         * @param tools the tools to offer, in the server's order
         * @param notes for the operator: tools left out and why, allowed names the server does not have
         */
        record Available(List<Tool> tools, List<String> notes) implements Listing {
            public Available {
                tools = List.copyOf(tools);
                notes = List.copyOf(notes);
            }
        }

        /** @param detail for the operator: which server, and what went wrong (down, credentials refused, timeout) */
        record Unavailable(String detail) implements Listing {
            public Unavailable {
                Objects.requireNonNull(detail, "detail");
            }
        }
    }

    /** A server's tools as last listed: those usable (by name) and why others are not. */
    record ToolList(Map<String, McpTool.Spec> usable, Map<String, String> unusable, long listedAtNanos) {}

    private record Key(URI url, Map<String, String> headers) {}

    /** Carries a failure up through the blocking helpers; never leaves this class. */
    private static final class Down extends Exception {
        final McpFailure failure;

        Down(McpFailure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }
    }

    private final Settings settings;
    private final ConcurrentHashMap<Key, McpConnection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public McpServers() {
        this(Settings.DEFAULTS);
    }

    public McpServers(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * {@return the server's tools, or why they cannot be had}. Connects on first use; the list is reused for
     * {@link Settings#toolListTtl()}. Tools whose names a model cannot call (MCP allows dots and 128 characters)
     * or whose input schema Parley cannot use are left out, with a note.
     *
     * @param allowedTools the names to offer; null or empty offers every tool
     */
    public Listing tools(Server server, List<String> allowedTools) {
        Objects.requireNonNull(server, "server");
        ToolList list;
        try {
            list = toolList(server, System.nanoTime() + settings.connectTimeout().toNanos());
        } catch (Down d) {
            String what = d.failure.kind() == McpFailure.Kind.TIMEOUT
                    ? "no answer within " + settings.connectTimeout().toMillis() + " ms (connecting and listing tools)"
                    : d.failure.detail();
            return new Listing.Unavailable(server.where() + ": " + what);
        } catch (RuntimeException e) {
            return new Listing.Unavailable(server.where() + ": unexpected " + e);
        }
        boolean all = allowedTools == null || allowedTools.isEmpty();
        Set<String> allowed = all ? Set.of() : new HashSet<>(allowedTools);
        List<Tool> tools = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        list.usable().forEach((name, spec) -> {
            if (!all && !allowed.contains(name)) return;
            if (spec.modelCallable) {
                tools.add(new McpTool(this, server, spec));
            } else {
                notes.add("tool " + name + " of " + server.where() + " is left out: its name is not one a model can"
                        + " call (1 to 64 letters, digits, _ or -); an mcp node can still call it");
            }
        });
        list.unusable().forEach((name, why) -> {
            if (all || allowed.contains(name)) notes.add("tool " + name + " of " + server.where() + " is left out: " + why);
        });
        if (!all) {
            for (String name : new LinkedHashSet<>(allowedTools)) {
                if (!list.usable().containsKey(name) && !list.unusable().containsKey(name)) {
                    notes.add("allowed_tools names " + name + ", which " + server.where() + " does not offer");
                }
            }
        }
        return new Listing.Available(tools, notes);
    }

    /**
     * Calls one tool directly, for the {@code mcp} node: the arguments are checked against the tool's input
     * schema first (the tool list is fetched when not cached), and nothing is sent when they do not match.
     * The tool needs no name a model could call, since no model calls it.
     *
     * @param context not sent: MCP servers may be third parties, which should not learn Parley's user ids
     * @param timeout for listing (when not cached) and calling together; null for {@link Settings#callTimeout()},
     *                at most {@link #MAX_TIMEOUT}
     * @throws IllegalArgumentException when the timeout is out of range
     */
    public McpCallResult call(Server server, String toolName, JsonNode arguments, ToolContext context, Duration timeout) {
        Objects.requireNonNull(server, "server");
        Duration limit = timeout(timeout);
        long deadline = System.nanoTime() + limit.toNanos();
        String tool = String.valueOf(toolName);
        try {
            ToolList list;
            Duration listLimit = limit.compareTo(settings.connectTimeout()) < 0 ? limit : settings.connectTimeout();
            try {
                list = toolList(server, System.nanoTime() + listLimit.toNanos());
            } catch (Down d) {
                return McpResults.failed(tool, server.where(), d.failure, listLimit);
            }
            McpTool.Spec spec = list.usable().get(tool);
            if (spec == null) {
                String why = list.unusable().get(tool);
                return McpResults.give(tool, "its server does not offer it.", server.where() + ": "
                        + (why != null ? "tool " + tool + " cannot be called: " + why
                        : "no tool " + tool + "; it offers " + list.usable().keySet()));
            }
            return invoke(server, spec, arguments, deadline, limit);
        } catch (RuntimeException e) {
            // A bug here must cost one node's output, not the run.
            return McpResults.give(tool, "something went wrong inside Parley.", server.where() + ": unexpected " + e);
        }
    }

    /** Runs a listed tool for {@link McpTool#call}; never throws. */
    McpCallResult invoke(Server server, McpTool.Spec spec, JsonNode arguments, Duration timeout) {
        Duration limit = timeout(timeout);
        try {
            return invoke(server, spec, arguments, System.nanoTime() + limit.toNanos(), limit);
        } catch (RuntimeException e) {
            return McpResults.give(spec.name, "something went wrong inside Parley.", server.where() + ": unexpected " + e);
        }
    }

    private McpCallResult invoke(Server server, McpTool.Spec spec, JsonNode arguments, long deadline, Duration limit) {
        if (closed) return McpResults.give(spec.name, "Parley is shutting down.", server.where() + ": closed");
        JsonNode args = arguments == null || arguments.isNull() ? JSON.createObjectNode() : arguments;
        List<String> violations = args.isObject() ? spec.violations(args) : List.of("/: the arguments must be a JSON object");
        if (!violations.isEmpty()) return McpResults.invalidArguments(spec.name, violations);
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(spec.name, JSON.convertValue(args, ARGUMENTS));
        String where = server.where() + ", tool " + spec.name;

        McpConnection connection = connection(server);
        for (int attempt = 1; ; attempt++) {
            McpConnection.Live live;
            try {
                live = await(connection.client(), deadline, false);
            } catch (Down d) {
                return McpResults.failed(spec.name, where, d.failure, limit);
            }
            try {
                McpSchema.CallToolResult result = await(live.client().callTool(request).toFuture(), deadline, true);
                return McpResults.answered(spec.name, where + over(live), result);
            } catch (Down d) {
                if (d.failure.breaksConnection()) connection.drop(live);
                // A server that lost the session did not run the call, so sending it once more is safe.
                if (d.failure.kind() == McpFailure.Kind.SESSION_GONE && attempt == 1 && System.nanoTime() < deadline) {
                    continue;
                }
                return McpResults.failed(spec.name, where + over(live), d.failure, limit);
            }
        }
    }

    private ToolList toolList(Server server, long deadline) throws Down {
        if (closed) throw new Down(new McpFailure(McpFailure.Kind.INTERNAL, 0, null, "Parley is shutting down"));
        McpConnection connection = connection(server);
        ToolList cached = connection.tools;
        if (cached != null && System.nanoTime() - cached.listedAtNanos() < settings.toolListTtl().toNanos()) return cached;
        for (int attempt = 1; ; attempt++) {
            McpConnection.Live live = await(connection.client(), deadline, false);
            try {
                List<McpSchema.Tool> all = new ArrayList<>();
                McpSchema.ListToolsResult page = await(live.client().listTools().toFuture(), deadline, true);
                for (int pages = 1; ; pages++) {
                    if (page.tools() != null) all.addAll(page.tools());
                    if (page.nextCursor() == null || pages >= MAX_TOOL_PAGES) break;
                    page = await(live.client().listTools(page.nextCursor()).toFuture(), deadline, true);
                }
                ToolList list = sorted(all);
                connection.tools = list;
                return list;
            } catch (Down d) {
                if (d.failure.breaksConnection()) connection.drop(live);
                if (d.failure.kind() == McpFailure.Kind.SESSION_GONE && attempt == 1) continue;
                throw new Down(new McpFailure(d.failure.kind(), d.failure.code(), d.failure.serverMessage(),
                        d.failure.detail() + over(live)));
            }
        }
    }

    private static ToolList sorted(List<McpSchema.Tool> tools) {
        Map<String, McpTool.Spec> usable = new LinkedHashMap<>();
        Map<String, String> unusable = new LinkedHashMap<>();
        for (McpSchema.Tool t : tools) {
            String name = String.valueOf(t.name());
            if (usable.containsKey(name) || unusable.containsKey(name)) {
                unusable.put(name, "the server lists two tools of this name");
                usable.remove(name);
                continue;
            }
            try {
                usable.put(name, McpTool.Spec.of(t));
            } catch (IllegalArgumentException e) {
                unusable.put(name, e.getMessage());
            }
        }
        return new ToolList(usable, unusable, System.nanoTime());
    }

    McpConnection connection(Server server) {
        Key key = new Key(server.url(), server.headers());
        return connections.computeIfAbsent(key, k -> new McpConnection(k.url(), k.headers(), settings.connectTimeout(),
                // The SDK's own limit must never be the one that fires: Parley's deadlines say what happened.
                MAX_TIMEOUT.plus(settings.connectTimeout()).plusSeconds(5)));
    }

    private Duration timeout(Duration timeout) {
        if (timeout == null) return settings.callTimeout();
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("an MCP call's timeout must be from 1 ms to " + MAX_TIMEOUT.toSeconds()
                    + " s, got " + timeout.toMillis() + " ms");
        }
        return timeout;
    }

    /**
     * Waits for {@code pending} until the deadline.
     *
     * @param cancel whether to cancel it on timeout: yes for a request, no for a connection other callers share
     */
    private static <T> T await(CompletableFuture<T> pending, long deadline, boolean cancel) throws Down {
        try {
            return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (cancel) pending.cancel(true);
            throw new Down(McpFailure.of(e));
        } catch (InterruptedException e) {
            if (cancel) pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Down(new McpFailure(McpFailure.Kind.INTERNAL, 0, null, "interrupted while waiting"));
        } catch (ExecutionException | CancellationException e) {
            throw new Down(McpFailure.of(e instanceof ExecutionException ? e.getCause() : e));
        }
    }

    private static String over(McpConnection.Live live) {
        return live.transport() == McpConnection.Transport.HTTP_SSE ? " (over HTTP+SSE)" : "";
    }

    /**
     * Ends every connection, waiting briefly for servers to acknowledge; later listings are unavailable and
     * later calls fail.
     */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<?>[] closing = connections.values().stream().map(McpConnection::close)
                .toArray(CompletableFuture[]::new);
        connections.clear();
        try {
            CompletableFuture.allOf(closing).get(McpConnection.CLOSE_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Each connection stops its HTTP client whatever the server did; nothing is left to wait for.
        }
    }
}
