package dev.parley.web.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where {@code POST /api/chatkit/session} gets its client secrets: from Parley itself ({@code self}, the default),
 * or from OpenAI's hosted ChatKit ({@code hosted}), which then runs an Agent Builder workflow published on the
 * OpenAI platform and talks to the browser directly. Read once from the environment by {@link dev.parley.web.Main}, checked
 * when built.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_SESSION_MODE</td><td>self</td><td>{@code self} or {@code hosted}</td></tr>
 *   <tr><td>OPENAI_API_KEY</td><td>(none)</td><td>required in hosted mode; sessions are created with it</td></tr>
 *   <tr><td>OPENAI_BASE_URL</td><td>https://api.openai.com/v1</td><td>where sessions are created</td></tr>
 *   <tr><td>PARLEY_HOSTED_WORKFLOW_ID</td><td>(none)</td><td>required in hosted mode: the published workflow,
 *       {@code wf_…}</td></tr>
 *   <tr><td>PARLEY_HOSTED_WORKFLOW_VERSION</td><td>(latest deployed)</td><td>a version to pin</td></tr>
 *   <tr><td>PARLEY_HOSTED_FILE_UPLOAD</td><td>false</td><td>let users attach files</td></tr>
 *   <tr><td>PARLEY_HOSTED_MAX_FILE_SIZE_MB</td><td>(OpenAI's: 512)</td><td>largest file, 1–512 MB</td></tr>
 *   <tr><td>PARLEY_HOSTED_MAX_FILES</td><td>(OpenAI's: 10)</td><td>files per session, at least 1</td></tr>
 *   <tr><td>PARLEY_HOSTED_HISTORY</td><td>true</td><td>show the user's earlier threads</td></tr>
 *   <tr><td>PARLEY_HOSTED_RECENT_THREADS</td><td>(all)</td><td>how many earlier threads, at least 1</td></tr>
 *   <tr><td>PARLEY_HOSTED_THREAD_TITLING</td><td>true</td><td>let OpenAI title new threads</td></tr>
 *   <tr><td>PARLEY_HOSTED_SECRET_TTL</td><td>(OpenAI's: 600)</td><td>client-secret lifetime, 1–600 seconds</td></tr>
 *   <tr><td>PARLEY_HOSTED_RATE_LIMIT</td><td>(OpenAI's: 10)</td><td>requests per minute a session may make</td></tr>
 *   <tr><td>PARLEY_HOSTED_TIMEOUT</td><td>15</td><td>seconds to wait for OpenAI, 1–120</td></tr>
 * </table>
 *
 * <p>Optional settings left unset are not sent, so OpenAI's own defaults apply. The key never appears in
 * {@link #toString()} or in an error message.
 *
 * @param mode where client secrets come from
 * @param apiKey the OpenAI key; null in self mode when unset
 * @param baseUrl the API base, without a trailing slash
 * @param workflowId the published workflow; null in self mode when unset
 * @param workflowVersion the version to pin, or null for the latest deployed one
 * @param maxFileSizeMb null for OpenAI's default
 * @param maxFiles null for OpenAI's default
 * @param recentThreads null for all of them
 * @param secretTtlSeconds null for OpenAI's default
 * @param maxRequestsPerMinute null for OpenAI's default
 * @param timeout how long a session call may take, connection included
 */
public record HostedConfig(
        Mode mode,
        String apiKey,
        String baseUrl,
        String workflowId,
        String workflowVersion,
        boolean fileUpload,
        Integer maxFileSizeMb,
        Integer maxFiles,
        boolean history,
        Integer recentThreads,
        boolean threadTitling,
        Integer secretTtlSeconds,
        Integer maxRequestsPerMinute,
        Duration timeout) {

    /** Where client secrets come from. */
    public enum Mode {
        /** Parley signs its own secrets and runs the workflow itself. */
        SELF("self"),
        /** OpenAI creates the session and runs a workflow published on its platform. */
        HOSTED("hosted");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Mode parse(String s) {
            for (Mode m : values()) if (m.wireName.equals(s.toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException();
        }
    }

    public static final String SESSION_MODE = "PARLEY_SESSION_MODE";
    public static final String OPENAI_API_KEY = AssistantConfig.OPENAI_API_KEY;
    public static final String OPENAI_BASE_URL = AssistantConfig.OPENAI_BASE_URL;
    public static final String WORKFLOW_ID = "PARLEY_HOSTED_WORKFLOW_ID";
    public static final String WORKFLOW_VERSION = "PARLEY_HOSTED_WORKFLOW_VERSION";
    public static final String FILE_UPLOAD = "PARLEY_HOSTED_FILE_UPLOAD";
    public static final String MAX_FILE_SIZE_MB = "PARLEY_HOSTED_MAX_FILE_SIZE_MB";
    public static final String MAX_FILES = "PARLEY_HOSTED_MAX_FILES";
    public static final String HISTORY = "PARLEY_HOSTED_HISTORY";
    public static final String RECENT_THREADS = "PARLEY_HOSTED_RECENT_THREADS";
    public static final String THREAD_TITLING = "PARLEY_HOSTED_THREAD_TITLING";
    public static final String SECRET_TTL = "PARLEY_HOSTED_SECRET_TTL";
    public static final String RATE_LIMIT = "PARLEY_HOSTED_RATE_LIMIT";
    public static final String TIMEOUT = "PARLEY_HOSTED_TIMEOUT";

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** The ranges OpenAI's session API accepts; checking them here turns a 400 on every visit into a start-up error. */
    static final int MAX_FILE_SIZE_LIMIT_MB = 512;
    static final int MAX_SECRET_TTL_SECONDS = 600;
    private static final Pattern WORKFLOW = Pattern.compile("wf_[A-Za-z0-9_-]{1,120}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final EnvReader.Rule<String> WORKFLOW_RULE = new EnvReader.Rule<>(WORKFLOW_ID, s -> s,
            s -> WORKFLOW.matcher(s).matches(), "the id of a published Agent Builder workflow, such as wf_68e3a1c2b4d5");
    private static final EnvReader.Rule<String> VERSION_RULE = new EnvReader.Rule<>(WORKFLOW_VERSION, s -> s,
            s -> VERSION.matcher(s).matches(), "a version such as 3");

    public HostedConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeout, "timeout");
        if (mode == Mode.HOSTED) {
            if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException(missingKey());
            if (workflowId == null) throw new IllegalArgumentException(missingWorkflow());
        }
        WORKFLOW_RULE.check(workflowId);
        VERSION_RULE.check(workflowVersion);
        inRange(MAX_FILE_SIZE_MB, maxFileSizeMb, 1, MAX_FILE_SIZE_LIMIT_MB);
        inRange(MAX_FILES, maxFiles, 1, Integer.MAX_VALUE);
        inRange(RECENT_THREADS, recentThreads, 1, Integer.MAX_VALUE);
        inRange(SECRET_TTL, secretTtlSeconds, 1, MAX_SECRET_TTL_SECONDS);
        inRange(RATE_LIMIT, maxRequestsPerMinute, 1, Integer.MAX_VALUE);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException(TIMEOUT + " must be positive");
    }

    /** {@return self mode: Parley issues its own secrets and none of the hosted settings apply} */
    public static HostedConfig self() {
        return new HostedConfig(Mode.SELF, null, DEFAULT_BASE_URL, null, null, false, null, null, true, null, true,
                null, null, DEFAULT_TIMEOUT);
    }

    /**
     * {@return the configuration the variables describe}. The hosted settings are checked in either mode, so a
     * typo is found before the mode is switched; the key and workflow id are required only in hosted mode.
     *
     * @throws IllegalArgumentException naming every variable that has a bad value or is missing, and what it
     *     should be
     */
    public static HostedConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        var reader = new EnvReader(env, problems);
        Mode mode = reader.read(SESSION_MODE, Mode.SELF, Mode::parse, "self or hosted");
        String key = reader.read(OPENAI_API_KEY, null, s -> s);
        String baseUrl = reader.read(OPENAI_BASE_URL, DEFAULT_BASE_URL, HostedConfig::checkUrl,
                "an absolute http(s) URL such as " + DEFAULT_BASE_URL);
        String workflow = reader.read(WORKFLOW_RULE, null);
        String version = reader.read(VERSION_RULE, null);
        boolean fileUpload = reader.read(FILE_UPLOAD, false, ParleyConfig::parseBoolean, "true or false");
        Integer maxFileSize = reader.read(MAX_FILE_SIZE_MB, null, s -> between(s, 1, MAX_FILE_SIZE_LIMIT_MB),
                "a number of megabytes from 1 to " + MAX_FILE_SIZE_LIMIT_MB);
        Integer maxFiles = reader.read(MAX_FILES, null, s -> between(s, 1, Integer.MAX_VALUE), "a number from 1 up");
        boolean history = reader.read(HISTORY, true, ParleyConfig::parseBoolean, "true or false");
        Integer recent = reader.read(RECENT_THREADS, null, s -> between(s, 1, Integer.MAX_VALUE), "a number from 1 up");
        boolean titling = reader.read(THREAD_TITLING, true, ParleyConfig::parseBoolean, "true or false");
        Integer ttl = reader.read(SECRET_TTL, null, s -> between(s, 1, MAX_SECRET_TTL_SECONDS),
                "a number of seconds from 1 to " + MAX_SECRET_TTL_SECONDS + " (OpenAI's limit)");
        Integer rate = reader.read(RATE_LIMIT, null, s -> between(s, 1, Integer.MAX_VALUE),
                "a number of requests per minute from 1 up");
        Duration timeout = reader.read(TIMEOUT, DEFAULT_TIMEOUT, s -> Duration.ofSeconds(between(s, 1, 120)),
                "a number of seconds from 1 to 120");
        if (mode == Mode.HOSTED) {
            if (key == null) problems.add(missingKey());
            // A workflow id that is set but malformed has its own problem already.
            if (workflow == null && isBlank(env.get(WORKFLOW_ID))) problems.add(missingWorkflow());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new HostedConfig(mode, key, baseUrl, workflow, version, fileUpload, maxFileSize, maxFiles, history,
                recent, titling, ttl, rate, timeout);
    }

    /** {@return whether sessions are created at OpenAI} */
    public boolean hosted() {
        return mode == Mode.HOSTED;
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "HostedConfig[mode=" + mode.wireName() + ", apiKey=" + (apiKey == null ? "(none)" : "(set)")
                + ", baseUrl=" + baseUrl + ", workflowId=" + workflowId + ", workflowVersion=" + workflowVersion
                + ", fileUpload=" + fileUpload + ", maxFileSizeMb=" + maxFileSizeMb + ", maxFiles=" + maxFiles
                + ", history=" + history + ", recentThreads=" + recentThreads + ", threadTitling=" + threadTitling
                + ", secretTtlSeconds=" + secretTtlSeconds + ", maxRequestsPerMinute=" + maxRequestsPerMinute
                + ", timeout=" + timeout + "]";
    }

    private static String missingKey() {
        return SESSION_MODE + "=hosted needs " + OPENAI_API_KEY + " (a key of the project that owns the workflow); "
                + "set it, or use " + SESSION_MODE + "=self to run workflows in Parley";
    }

    private static String missingWorkflow() {
        return SESSION_MODE + "=hosted needs " + WORKFLOW_ID + ", the id of a published Agent Builder workflow "
                + "(wf_…, shown in Agent Builder under Publish)";
    }

    private static void inRange(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(name + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
                    : "from " + min + " to " + max) + ", got " + value);
        }
    }

    private static int between(String s, int min, int max) {
        int n = Integer.parseInt(s);
        if (n < min || n > max) throw new IllegalArgumentException();
        return n;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String checkUrl(String s) {
        URI uri = URI.create(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException();
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
