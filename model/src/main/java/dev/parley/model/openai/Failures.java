package dev.parley.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import dev.parley.model.ModelException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns what the SDK throws into {@link ModelException}s: an operator message that says what happened and what
 * to check, a chat-safe user message, and whether trying again may help. Each failure is logged here exactly
 * once, so callers should not log the operator message again above DEBUG.
 */
final class Failures {
    static final System.Logger LOG = System.getLogger("dev.parley.model.openai");

    static final String UNAVAILABLE = "The assistant is not available right now. Please try again later.";
    /** For failures only the operator can fix (a bad key, an unknown model): trying again would not help. */
    static final String NOT_SET_UP = "The assistant cannot answer right now: it is not set up correctly. The team "
            + "running this site needs to fix that; trying again will not help.";
    static final String BUSY = "The assistant is busy right now. Please try again in a moment.";
    static final String SLOW = "The assistant is taking too long to answer. Please try again.";
    static final String INTERRUPTED = "The reply was interrupted. Please try again.";
    static final String NO_VALID_ANSWER = "The assistant could not produce a valid answer. Please try again.";

    private final String service;
    private final Duration timeout;
    private final int maxRetries;

    /** @param service how operator messages name the other side, such as "OpenAI" */
    Failures(String service, Duration timeout, int maxRetries) {
        this.service = service;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
    }

    /**
     * {@return whether OpenAI refused to stream because the organization is not verified for this model} It
     * answers such requests with a 400 on {@code param: stream}; the same request without streaming works.
     */
    static boolean streamingNeedsVerification(OpenAIException e) {
        if (!(e instanceof BadRequestException bad)) return false;
        String message = providerMessage(bad).toLowerCase(Locale.ROOT);
        return message.contains("verified to stream")
                || ("stream".equals(bad.param().orElse(null)) && "unsupported_value".equals(bad.code().orElse(null))
                        && message.contains("verif"));
    }

    /** {@return the failure of a call that never produced a reply} */
    ModelException of(OpenAIException e, String model) {
        if (e instanceof UnauthorizedException u) {
            return logged(Level.ERROR, service + " rejected the API key (401): " + providerMessage(u)
                    + "; check OPENAI_API_KEY", UNAVAILABLE, false, e);
        }
        if (e instanceof PermissionDeniedException p) {
            return logged(Level.ERROR, service + " refused access (403) to model '" + model + "': " + providerMessage(p)
                    + "; check that the key's project may use it", UNAVAILABLE, false, e);
        }
        if (e instanceof NotFoundException n) {
            return logged(Level.ERROR, service + " does not know model '" + model + "' or the endpoint (404): "
                    + providerMessage(n) + "; check PARLEY_MODEL, the node's model and OPENAI_BASE_URL",
                    UNAVAILABLE, false, e);
        }
        if (e instanceof RateLimitException r) {
            if ("insufficient_quota".equals(r.code().orElse(null))) {
                return logged(Level.ERROR, service + " says the quota is used up (429 insufficient_quota): "
                        + providerMessage(r) + "; check the billing of the key's project", UNAVAILABLE, false, e);
            }
            return logged(Level.WARNING, service + " is rate limiting (429) and still was after " + maxRetries
                    + " retries: " + providerMessage(r), BUSY, true, e);
        }
        if (e instanceof InternalServerException s) {
            return logged(Level.WARNING, service + " failed (" + s.statusCode() + ") and still did after "
                    + maxRetries + " retries: " + providerMessage(s), UNAVAILABLE, true, e);
        }
        if (e instanceof BadRequestException || e instanceof UnprocessableEntityException) {
            var s = (OpenAIServiceException) e;
            String param = s.param().map(p -> " (param: " + p + ")").orElse("");
            return logged(Level.ERROR, service + " rejected the request for model '" + model + "' ("
                    + s.statusCode() + "): " + providerMessage(s) + param, UNAVAILABLE, false, e);
        }
        if (e instanceof OpenAIServiceException s) {
            int status = s.statusCode();
            boolean transientStatus = status == 408 || status == 409 || status >= 500;
            return logged(transientStatus ? Level.WARNING : Level.ERROR, service + " answered " + status + ": "
                    + providerMessage(s), UNAVAILABLE, transientStatus, e);
        }
        if (e instanceof OpenAIIoException io) {
            if (timedOut(io)) {
                return logged(Level.WARNING, service + " did not answer within " + seconds(timeout)
                        + " (PARLEY_MODEL_TIMEOUT), tried " + (maxRetries == 0 ? "once" : (maxRetries + 1) + " times"),
                        SLOW, true, e);
            }
            return logged(Level.WARNING, "Could not reach " + service + ": " + describe(io), UNAVAILABLE, true, e);
        }
        if (e instanceof OpenAIInvalidDataException) {
            return logged(Level.ERROR, service + " sent a reply Parley could not read: " + e.getMessage(),
                    UNAVAILABLE, true, e);
        }
        return logged(Level.ERROR, service + " call failed: " + describe(e), UNAVAILABLE, false, e);
    }

    /**
     * {@return the failure of a stream that stopped before its end} The pieces already handed on stay with the
     * caller; trying again may give a whole reply.
     */
    ModelException cut(int deliveredChars, Throwable cause) {
        String why = cause == null ? "the server closed the stream without its final event"
                : timedOut(cause) ? "no data for " + seconds(timeout) + " (PARLEY_MODEL_TIMEOUT)" : describe(cause);
        return logged(Level.WARNING, service + " cut the stream after " + deliveredChars
                + " characters of the reply: " + why, INTERRUPTED, true, cause);
    }

    /** {@return the failure the model itself reported mid-stream or in a finished response} */
    ModelException reported(String what, String code, String message, boolean retryable) {
        return logged(retryable ? Level.WARNING : Level.ERROR, service + " " + what
                + (code == null ? "" : " (" + code + ")") + ": " + message, retryable ? INTERRUPTED : UNAVAILABLE,
                retryable, null);
    }

    /** {@return the failure of a model that declined to answer} */
    ModelException refused(String model, String refusal) {
        return logged(Level.WARNING, "Model '" + model + "' refused: " + refusal, NO_VALID_ANSWER, false, null);
    }

    /** {@return the failure of structured output that stayed invalid after the repair attempt} */
    ModelException invalidOutput(String schemaName, String model, java.util.List<String> violations) {
        return logged(Level.WARNING, "Model '" + model + "' output for schema '" + schemaName
                + "' is still invalid after one repair attempt: " + String.join("; ", violations),
                NO_VALID_ANSWER, true, null);
    }

    /** {@return the refusal of a hosted tool this provider does not run} */
    ModelException notRun(String provider, dev.parley.model.HostedTool tool) {
        ModelException e = ModelException.hostedToolNotRun(provider, tool);
        LOG.log(Level.ERROR, e.getMessage());
        return e;
    }

    static void info(String message) {
        LOG.log(Level.INFO, message);
    }

    private static ModelException logged(Level level, String operator, String user, boolean retryable, Throwable e) {
        LOG.log(level, operator);
        // "Please try again later" under a reply without a retry button would be a promise nobody keeps.
        String shown = !retryable && user.equals(UNAVAILABLE) ? NOT_SET_UP : user;
        return new ModelException(operator, shown, retryable, e);
    }

    /** {@return the {@code error.message} of an OpenAI error body, or the exception's own message} */
    static String providerMessage(OpenAIServiceException e) {
        try {
            JsonNode body = e.body().convert(JsonNode.class);
            JsonNode message = body == null ? null : body.path("error").path("message");
            if (message == null || !message.isTextual()) message = body == null ? null : body.path("message");
            if (message != null && message.isTextual() && !message.asText().isBlank()) {
                // Operator messages append "; check …", which reads badly after OpenAI's closing full stop.
                String text = message.asText().strip();
                return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
            }
        } catch (RuntimeException ignored) {
            // An unreadable body is described by the exception message below.
        }
        return String.valueOf(e.getMessage());
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // OkHttp reports a read timeout as SocketTimeoutException and its call timeout as
            // InterruptedIOException("timeout"); a plain InterruptedIOException is a thread interrupt.
            if (t instanceof SocketTimeoutException) return true;
            if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) return true;
        }
        return false;
    }

    /**
     * Carries an exception thrown by the caller's delta consumer through the provider's stream handling, so that
     * it reaches the caller unchanged instead of being taken for a broken stream.
     */
    static final class Downstream extends RuntimeException {
        Downstream(RuntimeException cause) {
            super(cause);
        }

        RuntimeException unwrap() {
            return (RuntimeException) getCause();
        }
    }

    /**
     * Hands {@code delta} to the caller's sink, marking anything it throws as the caller's own, and
     * {@return whether the caller wants more}
     */
    static boolean deliver(dev.parley.model.TextSink onDelta, String delta) {
        try {
            return onDelta.accept(delta);
        } catch (RuntimeException e) {
            throw new Downstream(e);
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
