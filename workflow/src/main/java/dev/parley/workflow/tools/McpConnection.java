package dev.parley.workflow.tools;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;

/**
 * The link to one MCP server as reached with one set of headers: a client made on first use, kept for every
 * later turn, and replaced when it breaks. Which transport the server speaks is found out once (streamable HTTP,
 * else the older HTTP+SSE) and remembered, so a reconnect does not probe again. Thread-safe.
 */
final class McpConnection {
    /** How a server was reached; kept after a drop so that reconnecting skips the probe. */
    enum Transport { STREAMABLE_HTTP, HTTP_SSE }

    /** An initialized client and the HTTP client under it, which the SDK never closes itself. */
    record Live(McpAsyncClient client, HttpClient http, Transport transport) {
        /**
         * Ends the session politely (a streamable server gets its HTTP DELETE), then stops the HTTP client;
         * completes when both are done, never exceptionally.
         */
        CompletableFuture<Void> close() {
            return client.closeGracefully()
                    .timeout(CLOSE_GRACE)
                    .onErrorComplete()
                    // shutdownNow, not close: close() would wait for the server's open event stream to end.
                    .doFinally(signal -> http.shutdownNow())
                    .toFuture();
        }
    }

    /** How long a server gets to acknowledge the end of a session before the connection is cut. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    /** Holds every MCP message in memory while it is decoded; a tool's image or file may be large, no more. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    private final URI url;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration clientRequestTimeout;
    private final AtomicReference<CompletableFuture<Live>> current = new AtomicReference<>();
    private volatile Transport known;
    private volatile boolean closed;

    /** The server's tools as last listed, or null; {@link McpServers} decides when they are stale. */
    volatile McpServers.ToolList tools;

    /**
     * @param connectTimeout       how long connecting and the initialize handshake may take together
     * @param clientRequestTimeout the SDK's own per-request limit; set above every deadline Parley enforces, so
     *                             that Parley's deadlines (and messages) are the ones that apply
     */
    McpConnection(URI url, Map<String, String> headers, Duration connectTimeout, Duration clientRequestTimeout) {
        this.url = url;
        this.headers = headers;
        this.connectTimeout = connectTimeout;
        this.clientRequestTimeout = clientRequestTimeout;
    }

    /**
     * {@return the initialized client, connecting on first use}. Callers that arrive while a connection is being
     * made wait for the same attempt; a failed attempt is forgotten, so the next use tries again.
     */
    CompletableFuture<Live> client() {
        while (true) {
            if (closed) return CompletableFuture.failedFuture(new IllegalStateException("MCP connections are closed"));
            CompletableFuture<Live> existing = current.get();
            if (existing != null && !existing.isCompletedExceptionally()) return existing;
            CompletableFuture<Live> attempt = new CompletableFuture<>();
            if (!current.compareAndSet(existing, attempt)) continue;
            connect().toFuture().whenComplete((live, error) -> {
                if (error != null) {
                    current.compareAndSet(attempt, null);
                    attempt.completeExceptionally(error);
                } else if (closed) {
                    live.close();
                    attempt.completeExceptionally(new IllegalStateException("MCP connections are closed"));
                } else {
                    known = live.transport();
                    attempt.complete(live);
                }
            });
            return attempt;
        }
    }

    /** Forgets {@code broken} (if it is still the current client) and closes it; the next use reconnects. */
    void drop(Live broken) {
        CompletableFuture<Live> now = current.get();
        if (now != null && now.isDone() && !now.isCompletedExceptionally() && now.getNow(null) == broken) {
            current.compareAndSet(now, null);
        }
        broken.close();
    }

    /** {@return done when the current client, if any, is closed}; a connection still being made closes when made */
    CompletableFuture<Void> close() {
        closed = true;
        CompletableFuture<Live> last = current.getAndSet(null);
        if (last == null) return CompletableFuture.completedFuture(null);
        return last.handle((live, error) -> live).thenCompose(live -> live == null
                ? CompletableFuture.completedFuture(null) : live.close());
    }

    private Mono<Live> connect() {
        Mono<Live> attempt = known == Transport.HTTP_SSE ? start(Transport.HTTP_SSE)
                // The MCP spec's procedure for servers of either kind: POST initialize; a 4xx means an older
                // server, which is then reached by opening its event stream with GET on the same URL.
                : start(Transport.STREAMABLE_HTTP).onErrorResume(McpFailure::suggestsOlderServer, first ->
                        start(Transport.HTTP_SSE).onErrorMap(second -> new McpFailure.BothTransportsFailed(first, second)));
        return attempt.timeout(connectTimeout);
    }

    private Mono<Live> start(Transport transport) {
        return Mono.defer(() -> {
            CapturingBuilder http = new CapturingBuilder();
            McpClientTransport wire = transport == Transport.STREAMABLE_HTTP ? streamable(http) : sse(http);
            McpAsyncClient client = McpClient.async(wire)
                    .clientInfo(new McpSchema.Implementation("parley", "Parley", "1"))
                    // No sampling, roots or elicitation: a server gets nothing from Parley but tool calls.
                    .capabilities(McpSchema.ClientCapabilities.builder().build())
                    .initializationTimeout(connectTimeout)
                    .requestTimeout(clientRequestTimeout)
                    .build();
            Live live = new Live(client, http.built, transport);
            return client.initialize().thenReturn(live).doOnError(e -> live.close()).doOnCancel(live::close);
        });
    }

    private McpClientTransport streamable(CapturingBuilder http) {
        return HttpClientStreamableHttpTransport.builder(origin())
                .endpoint(pathAndQuery())
                .clientBuilder(http)
                .connectTimeout(connectTimeout)
                .httpRequestCustomizer(withHeaders())
                .maxResponseSize(MAX_MESSAGE_BYTES)
                .build();
    }

    private McpClientTransport sse(CapturingBuilder http) {
        return HttpClientSseClientTransport.builder(origin())
                .sseEndpoint(pathAndQuery())
                .clientBuilder(http)
                .connectTimeout(connectTimeout)
                .httpRequestCustomizer(withHeaders())
                .maxResponseSize(MAX_MESSAGE_BYTES)
                .build();
    }

    private McpSyncHttpClientRequestCustomizer withHeaders() {
        return (request, method, uri, body, context) -> headers.forEach(request::setHeader);
    }

    private String origin() {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private String pathAndQuery() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    /**
     * The SDK builds its HTTP client from a builder and keeps it to itself; this one remembers what it built so
     * that a dropped connection's client can be shut down instead of idling until garbage collection.
     */
    private static final class CapturingBuilder implements HttpClient.Builder {
        private final HttpClient.Builder delegate = HttpClient.newBuilder()
                // A redirect could take the headers (credentials) to another host.
                .followRedirects(HttpClient.Redirect.NEVER)
                // Plain-http servers would get an h2c upgrade attempt on every request otherwise.
                .version(HttpClient.Version.HTTP_1_1);
        private volatile HttpClient built;

        @Override public HttpClient.Builder cookieHandler(CookieHandler h) { delegate.cookieHandler(h); return this; }
        @Override public HttpClient.Builder connectTimeout(Duration d) { delegate.connectTimeout(d); return this; }
        @Override public HttpClient.Builder sslContext(SSLContext c) { delegate.sslContext(c); return this; }
        @Override public HttpClient.Builder sslParameters(SSLParameters p) { delegate.sslParameters(p); return this; }
        @Override public HttpClient.Builder executor(Executor e) { delegate.executor(e); return this; }
        /** Pinned to NEVER above, whatever a later SDK version asks for. */
        @Override public HttpClient.Builder followRedirects(HttpClient.Redirect r) { return this; }
        @Override public HttpClient.Builder version(HttpClient.Version v) { delegate.version(v); return this; }
        @Override public HttpClient.Builder priority(int p) { delegate.priority(p); return this; }
        @Override public HttpClient.Builder proxy(ProxySelector p) { delegate.proxy(p); return this; }
        @Override public HttpClient.Builder authenticator(Authenticator a) { delegate.authenticator(a); return this; }
        @Override public HttpClient.Builder localAddress(InetAddress a) { delegate.localAddress(a); return this; }

        @Override
        public HttpClient build() {
            HttpClient client = delegate.build();
            built = client;
            return client;
        }
    }

    @Override
    public String toString() {
        // No query string: it may hold a key.
        return "McpConnection[" + origin() + url.getRawPath() + ", headers=" + List.copyOf(headers.keySet()) + ", " + known + "]";
    }
}
