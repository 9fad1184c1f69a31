package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment's webhook executor: one {@link WebhookPolicy} and one HTTP client, shared by every
 * {@link WebhookTool} so that calls reuse connections to the host's backend. Build one at start, close it at
 * shutdown.
 */
public final class Webhooks implements AutoCloseable {
    /** When a tool names no timeout: long enough for a database lookup, short enough for a waiting user. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** A user watching the typing indicator for longer than this has left. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** The most of an answer the model gets; it is paid for in tokens and must fit the model's context. */
    public static final int MAX_RESULT_BYTES = 64 * 1024;

    private final WebhookPolicy policy;
    final HttpClient client;

    public Webhooks(WebhookPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.client = HttpClient.newBuilder()
                // A redirect could lead to a host the policy does not allow; the tool reports it instead.
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/2 over plain http would send an upgrade request every time; hosts' backends speak 1.1.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(MAX_TIMEOUT)
                .build();
    }

    public WebhookPolicy policy() {
        return policy;
    }

    /** {@return empty when tools may call {@code url}, else what is wrong and how to fix it} @see WebhookPolicy#check */
    public Optional<String> check(URI url) {
        return policy.check(url);
    }

    /**
     * {@return a tool posting its arguments to {@code url}}. The URL is checked against the policy on every
     * call, not here: a published workflow whose host was later removed from the setting gets failed calls, not
     * a turn that cannot start. Check it with {@link #check} when publishing.
     *
     * @param timeout how long a call may take from sending to the last byte of the answer; null for
     *                {@link #DEFAULT_TIMEOUT}, at most {@link #MAX_TIMEOUT}
     * @throws IllegalArgumentException when the name, parameters or timeout are not usable, saying why
     */
    public WebhookTool tool(String name, String description, JsonNode parameters, URI url, Duration timeout) {
        return new WebhookTool(this, name, description, parameters, url, timeout == null ? DEFAULT_TIMEOUT : timeout);
    }

    /** Closes idle connections and stops the client's threads; calls in flight fail. */
    @Override
    public void close() {
        client.close();
    }
}
