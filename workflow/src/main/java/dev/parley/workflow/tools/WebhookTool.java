package dev.parley.workflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A function that runs on the host's backend: the validated arguments are POSTed as JSON to the tool's URL,
 * signed with the deployment's key, and the answer's body is the result the model reads. The request format
 * and how to verify it are in {@code docs/tools.md}. Made by {@link Webhooks#tool}; thread-safe.
 */
public final class WebhookTool implements Tool {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int EXCERPT_CHARS = 200;
    private static final int MAX_VIOLATIONS_SHOWN = 3;
    private static final String GIVE_UP = " Tell the user it could not be done right now; do not guess the result.";

    private final Webhooks webhooks;
    private final String name;
    private final String description;
    private final JsonNode parameters;
    private final Schema schema;
    private final URI url;
    private final Duration timeout;

    WebhookTool(Webhooks webhooks, String name, String description, JsonNode parameters, URI url, Duration timeout) {
        this.webhooks = webhooks;
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name must be 1 to 64 letters, digits, _ or -, got \"" + name + "\"");
        }
        this.name = name;
        this.description = Objects.requireNonNullElse(description, "");
        if (parameters == null || !parameters.isObject()) {
            throw new IllegalArgumentException("tool " + name + ": parameters must be a JSON Schema object such as"
                    + " {\"type\":\"object\",\"properties\":{…}}");
        }
        this.parameters = parameters.deepCopy();
        try {
            // Jackson 2 tree in, Jackson 3 inside networknt: going through text keeps the two apart.
            this.schema = SCHEMAS.getSchema(parameters.toString(), InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool " + name + ": parameters is not a usable JSON Schema: " + e.getMessage(), e);
        }
        this.url = Objects.requireNonNull(url, "url");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Webhooks.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("tool " + name + ": timeout_ms must be from 1 to "
                    + Webhooks.MAX_TIMEOUT.toMillis() + ", got " + timeout.toMillis());
        }
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public JsonNode parameters() {
        return parameters.deepCopy();
    }

    public URI url() {
        return url;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        try {
            return run(arguments == null || arguments.isNull() ? JsonNodeFactory.instance.objectNode() : arguments,
                    context == null ? ToolContext.NONE : context);
        } catch (RuntimeException e) {
            // A bug here must cost one tool result, not the user's turn.
            return failed("something went wrong inside Parley.", "unexpected " + e);
        }
    }

    private ToolResult run(JsonNode arguments, ToolContext context) {
        List<String> violations = violations(arguments);
        if (!violations.isEmpty()) {
            String shown = String.join("; ", violations.subList(0, Math.min(MAX_VIOLATIONS_SHOWN, violations.size())));
            return new ToolResult.Failed("The tool " + name + " was not called: its arguments do not match its"
                    + " parameters (" + shown + "). Call it again with arguments that match the schema.",
                    "invalid arguments, not sent: " + String.join("; ", violations));
        }
        Optional<String> refused = webhooks.policy().check(url);
        if (refused.isPresent()) {
            return new ToolResult.Failed("The tool " + name + " is not available: Parley is not allowed to call it."
                    + GIVE_UP, "refused before connecting: " + refused.get());
        }

        byte[] body = arguments.toString().getBytes(StandardCharsets.UTF_8);
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Parley-Webhook/1")
                .header("Parley-Timestamp", Long.toString(timestamp))
                .header("Parley-Signature", webhooks.policy().signature(timestamp, body))
                .header("Parley-Tool", name)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        optionalHeader(request, "Parley-Run", context.runId());
        optionalHeader(request, "Parley-User", context.userId());
        optionalHeader(request, "Parley-Thread", context.threadId());

        CompletableFuture<HttpResponse<CappedBody>> pending =
                webhooks.client.sendAsync(request.build(), CappedBody.handler(Webhooks.MAX_RESULT_BYTES));
        HttpResponse<CappedBody> response;
        try {
            // The request timeout stops at the answer's headers; this bounds the body too.
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return timedOut();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return failed("the call was stopped.", "interrupted while waiting for " + url);
        } catch (ExecutionException e) {
            return connectionFailed(e.getCause());
        }
        return answered(response);
    }

    private List<String> violations(JsonNode arguments) {
        List<Error> errors = schema.validate(arguments.toString(), InputFormat.JSON);
        if (errors.isEmpty()) return List.of();
        Set<String> distinct = new LinkedHashSet<>(); // one bad keyword can yield several identical errors
        for (Error e : errors) {
            String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            distinct.add((at.isEmpty() ? "/" : at) + ": " + e.getMessage());
        }
        return new ArrayList<>(distinct);
    }

    private ToolResult answered(HttpResponse<CappedBody> response) {
        int status = response.statusCode();
        CappedBody body = response.body();
        String text = new String(body.bytes(), StandardCharsets.UTF_8);
        if (status >= 200 && status < 300) {
            if (body.truncated()) {
                text += "\n\n[Parley: the answer was longer than " + Webhooks.MAX_RESULT_BYTES / 1024
                        + " KiB and was cut here; the rest is missing.]";
            }
            return new ToolResult.Ok(text.isEmpty() ? "(the tool answered with no content)" : text);
        }
        String excerpt = excerpt(text);
        String detail = "HTTP " + status + " from " + url + (excerpt.isEmpty() ? "" : ": " + excerpt);
        if (status >= 300 && status < 400) {
            String to = response.headers().firstValue("Location").orElse("(no Location)");
            return failed("its service answered with a redirect Parley does not follow.", "HTTP " + status
                    + " redirect from " + url + " to " + to + "; redirects are not followed because one could lead"
                    + " outside " + WebhookPolicy.HOSTS_SETTING + ": set the tool's url to the final address");
        }
        if (status >= 400 && status < 500) {
            // The host wrote this answer for the caller: "no order 123" lets the model correct itself.
            return new ToolResult.Failed("The tool " + name + " failed: its service refused the request (HTTP "
                    + status + (excerpt.isEmpty() ? "" : ": " + excerpt) + "). If the arguments were wrong, call it"
                    + " again with corrected ones; otherwise tell the user it could not be done right now.", detail);
        }
        // A 5xx page is the host's internals (stack traces, proxy pages): the trace gets it, the model does not.
        return failed("its service had an error (HTTP " + status + ").", detail);
    }

    private ToolResult timedOut() {
        return failed("it did not answer within " + seconds(timeout) + ".",
                "no complete answer from " + url + " within " + timeout.toMillis() + " ms (timeout_ms)");
    }

    private ToolResult connectionFailed(Throwable cause) {
        if (cause instanceof HttpTimeoutException) return timedOut();
        if (cause instanceof ConnectException) {
            return failed("its service could not be reached.", "could not connect to " + url + ": " + cause);
        }
        if (cause instanceof IOException) {
            return failed("the connection to its service failed.", "connection to " + url + " failed: " + cause);
        }
        return failed("something went wrong inside Parley.", "unexpected " + cause);
    }

    private ToolResult.Failed failed(String what, String detail) {
        return new ToolResult.Failed("The tool " + name + " failed: " + what + GIVE_UP, detail);
    }

    /** Ids come from the host's sessions and may hold any character; headers may not. */
    private static void optionalHeader(HttpRequest.Builder request, String header, String value) {
        if (value != null && !value.isEmpty()) request.header(header, URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= EXCERPT_CHARS ? flat : flat.substring(0, EXCERPT_CHARS) + "…";
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    @Override
    public String toString() {
        return "WebhookTool[" + name + " → " + url + ", timeout=" + timeout.toMillis() + " ms]";
    }
}
