package dev.parley.model.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * How to reach OpenAI or an OpenAI-compatible server. Built once from the environment by the web module's
 * configuration; every check happens here, so a bad value stops the server at start-up with a message that
 * names the variable to fix.
 *
 * @param apiKey       the bearer key ({@code OPENAI_API_KEY}); required by {@link OpenAiProvider}, optional for
 *                     local servers that ignore it
 * @param baseUrl      the API root including {@code /v1} ({@code OPENAI_BASE_URL}); null means OpenAI's
 *                     {@value #OPENAI_BASE_URL}, and {@link CompatibleProvider} requires it
 * @param defaultModel the model for nodes that name none ({@code PARLEY_MODEL})
 * @param timeout      how long to wait in silence: to connect, for the first byte of an answer, and between
 *                     pieces of a stream ({@code PARLEY_MODEL_TIMEOUT}); a non-streamed answer must arrive whole
 *                     within it. Each retry gets its own.
 * @param maxRetries   how often the SDK retries 408, 409, 429, 5xx and connection failures, with backoff that
 *                     honours {@code Retry-After} ({@code PARLEY_MODEL_MAX_RETRIES})
 */
public record OpenAiSettings(String apiKey, String baseUrl, String defaultModel, Duration timeout, int maxRetries) {
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 2;
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final int MAX_RETRIES = 10;

    public OpenAiSettings {
        if (apiKey != null) {
            if (apiKey.isBlank()) apiKey = null;
            else if (apiKey.strip().chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(
                        "OPENAI_API_KEY contains spaces or line breaks; paste the key as one word");
            } else apiKey = apiKey.strip();
        }
        if (baseUrl != null) baseUrl = baseUrl.isBlank() ? null : checkedUrl(baseUrl.strip());
        if (defaultModel == null || defaultModel.isBlank()) {
            throw new IllegalArgumentException(
                    "PARLEY_MODEL must name the default model, such as gpt-5-nano for OpenAI or llama3.2 for Ollama");
        }
        defaultModel = defaultModel.strip();
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "PARLEY_MODEL_TIMEOUT must be more than zero and at most one hour, got " + timeout);
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
            throw new IllegalArgumentException(
                    "PARLEY_MODEL_MAX_RETRIES must be from 0 to " + MAX_RETRIES + ", got " + maxRetries);
        }
    }

    /** Settings with the default timeout and retries. */
    public OpenAiSettings(String apiKey, String baseUrl, String defaultModel) {
        this(apiKey, baseUrl, defaultModel, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES);
    }

    /** {@return the request's model, or the default one when the node names none} */
    public String modelFor(String requested) {
        return requested == null || requested.isBlank() ? defaultModel : requested.strip();
    }

    /** {@return the base URL to call: the configured one, or OpenAI's} */
    String effectiveBaseUrl() {
        return baseUrl == null ? OPENAI_BASE_URL : baseUrl;
    }

    /** Keeps the key out of logs and exception messages that print the settings. */
    @Override
    public String toString() {
        return "OpenAiSettings[apiKey=" + (apiKey == null ? "none" : "***") + ", baseUrl=" + baseUrl
                + ", defaultModel=" + defaultModel + ", timeout=" + timeout + ", maxRetries=" + maxRetries + "]";
    }

    private static String checkedUrl(String url) {
        String hint = "OPENAI_BASE_URL must be an absolute http(s) URL such as " + OPENAI_BASE_URL
                + " or http://localhost:11434/v1, got '" + url + "'";
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(hint);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(hint, e);
        }
        // The SDK appends "/responses" or "/chat/completions"; a trailing slash would double it.
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
