package dev.parley.workflow.tools;

import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What went wrong talking to an MCP server, sorted from the SDK's exceptions: the kind decides what the model is
 * told and whether the connection is kept; the detail is for the operator.
 *
 * @param code   for {@link Kind#AUTH_REFUSED} and {@link Kind#HTTP_STATUS}: the HTTP status; for
 *               {@link Kind#PROTOCOL_ERROR}: the JSON-RPC error code; else 0
 * @param serverMessage for {@link Kind#PROTOCOL_ERROR}: the JSON-RPC error's message, written by the server for its
 *                      client; null otherwise
 */
record McpFailure(Kind kind, int code, String serverMessage, String detail) {
    enum Kind {
        /** No answer in time; the connection may well be fine. */
        TIMEOUT,
        /** Nothing listens there, the name does not resolve, or connecting timed out. */
        UNREACHABLE,
        /** HTTP 401 or 403: the headers are missing or wrong. */
        AUTH_REFUSED,
        /** Another HTTP error status. */
        HTTP_STATUS,
        /** The server no longer knows the session (it restarted); it did not run the request. */
        SESSION_GONE,
        /** The server answered with a JSON-RPC error (unknown tool, invalid params, its own failure). */
        PROTOCOL_ERROR,
        /** The answer exceeded {@link McpConnection#MAX_MESSAGE_BYTES}. */
        TOO_LARGE,
        /** The connection broke or the server sent something that is not MCP. */
        TRANSPORT,
        /** A bug or an unexpected state in Parley or the SDK. */
        INTERNAL
    }

    // The SDK reports HTTP errors only in its message ("Server Not Found. Status code:404", "Received unexpected
    // status code: 405"); the tests pin the wording by reaching an older server through the fallback.
    private static final Pattern STATUS = Pattern.compile("(?i)status code:\\s*(\\d{3})");
    // The SDK fails a request in flight with this when the server has dropped the session (it restarted); the
    // transport's own McpTransportSessionNotFoundException goes to the SDK's re-initialization, not the caller.
    private static final String SESSION_TERMINATED = "MCP session with server terminated";
    private static final int MAX_DETAIL_CHARS = 500;

    /** Thrown when neither transport worked; the first (streamable HTTP) failure is the one reported. */
    static final class BothTransportsFailed extends RuntimeException {
        final Throwable streamable;
        final Throwable sse;

        BothTransportsFailed(Throwable streamable, Throwable sse) {
            super("streamable HTTP: " + streamable + "; HTTP+SSE: " + sse, streamable, false, false);
            this.streamable = streamable;
            this.sse = sse;
        }
    }

    /**
     * Whether a failed streamable-HTTP initialize means the server may be an older HTTP+SSE one: the spec says
     * a 4xx; an answer that is not MCP at all (an HTML page, an unknown media type) is treated the same. Refused
     * credentials, timeouts, unreachable hosts and 5xx are not: the older transport would fail the same way.
     */
    static boolean suggestsOlderServer(Throwable error) {
        McpFailure f = of(error);
        return switch (f.kind) {
            case HTTP_STATUS -> f.code >= 400 && f.code < 500;
            case TRANSPORT -> true;
            default -> false;
        };
    }

    static McpFailure of(Throwable error) {
        List<Throwable> chain = chain(error);
        for (Throwable t : chain) {
            if (t instanceof BothTransportsFailed both) {
                McpFailure first = of(both.streamable);
                return new McpFailure(first.kind, first.code, first.serverMessage, first.detail
                        + " (then tried the older HTTP+SSE transport: " + of(both.sse).detail + ")");
            }
        }
        for (Throwable t : chain) {
            if (t instanceof TimeoutException || (t instanceof HttpTimeoutException && !(t instanceof HttpConnectTimeoutException))) {
                return new McpFailure(Kind.TIMEOUT, 0, null, "no answer in time");
            }
        }
        for (Throwable t : chain) {
            if (t instanceof McpHttpClientTransportAuthorizationException auth) {
                int status = auth.getResponseInfo() == null ? 0 : auth.getResponseInfo().statusCode();
                return new McpFailure(Kind.AUTH_REFUSED, status, null, "HTTP " + status
                        + ": the server refused the credentials (check the headers the workflow sends, and the"
                        + " environment variables they come from)");
            }
            if (t instanceof McpTransportSessionNotFoundException
                    || (t.getClass() == RuntimeException.class && SESSION_TERMINATED.equals(t.getMessage()))) {
                return new McpFailure(Kind.SESSION_GONE, 0, null, "the server no longer knows the session: " + clip(t));
            }
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException) {
                return new McpFailure(Kind.UNREACHABLE, 0, null, "could not connect: " + clip(t));
            }
            if (t.getClass().getSimpleName().equals("MaxSizeExceededException")) {
                return new McpFailure(Kind.TOO_LARGE, 0, null, "an answer was larger than "
                        + McpConnection.MAX_MESSAGE_BYTES / (1024 * 1024) + " MiB: " + clip(t));
            }
        }
        for (Throwable t : chain) {
            // The SDK also raises McpError without a JSON-RPC error for its own failures; those fall through.
            if (t instanceof McpError mcp && mcp.getJsonRpcError() != null) {
                var rpc = mcp.getJsonRpcError();
                String message = String.valueOf(rpc.message());
                int code = rpc.code() == null ? 0 : rpc.code();
                return new McpFailure(Kind.PROTOCOL_ERROR, code, message, "JSON-RPC error " + code + ": " + clip(message));
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage());
            Matcher m = STATUS.matcher(message);
            if (t instanceof McpTransportException && m.find()) {
                int status = Integer.parseInt(m.group(1));
                if (status == 401 || status == 403) {
                    return new McpFailure(Kind.AUTH_REFUSED, status, null, "HTTP " + status
                            + ": the server refused the credentials: " + clip(t));
                }
                return new McpFailure(Kind.HTTP_STATUS, status, null, "HTTP " + status + ": " + clip(t));
            }
        }
        for (Throwable t : chain) {
            if (t instanceof IOException || t instanceof McpTransportException) {
                return new McpFailure(Kind.TRANSPORT, 0, null, "the connection failed: " + clip(t));
            }
        }
        return new McpFailure(Kind.INTERNAL, 0, null, "unexpected " + clip(error));
    }

    /**
     * {@return whether the client should be dropped, so the next use connects afresh}. Not for a lost session:
     * the SDK starts a new one on the same client by itself, and closing the client under it would fail that.
     */
    boolean breaksConnection() {
        return switch (kind) {
            case TRANSPORT, UNREACHABLE, AUTH_REFUSED, HTTP_STATUS, INTERNAL -> true;
            case SESSION_GONE, TIMEOUT, PROTOCOL_ERROR, TOO_LARGE -> false;
        };
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && chain.size() < 20 && !chain.contains(t); t = t.getCause()) {
            if (!(t instanceof CompletionException || t instanceof ExecutionException) || t.getCause() == null) chain.add(t);
        }
        return chain;
    }

    private static String clip(Object o) {
        String s = String.valueOf(o).strip().replaceAll("\\s+", " ");
        return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
