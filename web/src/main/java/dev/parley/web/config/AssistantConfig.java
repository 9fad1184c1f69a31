package dev.parley.web.config;

import dev.parley.workflow.tools.McpHosts;
import dev.parley.workflow.tools.WebhookPolicy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What answers the chat: the workflow, where workflows come from, who may administer them, and the model
 * provider. Read once from the environment by {@link dev.parley.web.Main}, checked when built.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>PARLEY_WORKFLOW</td><td>wf_seed_agency</td><td>the workflow id the chat runs (its latest version);
 *       {@code CHATKIT_WORKFLOW_ID}, as the seed guide names it, is read when this is not set</td></tr>
 *   <tr><td>PARLEY_WORKFLOWS_DIR</td><td>(none)</td><td>folder of workflow {@code *.json} files published at start
 *       when they changed</td></tr>
 *   <tr><td>PARLEY_ADMIN_TOKEN</td><td>(none: admin API off)</td><td>bearer token for {@code /admin/…}, at least 24
 *       characters</td></tr>
 *   <tr><td>PARLEY_MODEL_PROVIDER</td><td>openai when OPENAI_API_KEY is set, else openai-compatible when
 *       OPENAI_BASE_URL is set, else embedded</td><td>{@code embedded},
 *       {@code openai}, {@code openai-compatible}, or {@code echo} (instant replies for smoke tests and benchmarks)</td></tr>
 *   <tr><td>OPENAI_API_KEY</td><td>(none)</td><td>key for the OpenAI provider (optional for compatible servers)</td></tr>
 *   <tr><td>OPENAI_BASE_URL</td><td>https://api.openai.com/v1</td><td>API base URL; for Ollama
 *       {@code http://localhost:11434/v1}</td></tr>
 *   <tr><td>PARLEY_MODEL</td><td>gpt-5-nano (openai)</td><td>model for nodes that name none; required for
 *       openai-compatible</td></tr>
 *   <tr><td>PARLEY_MODEL_MAP</td><td>(none)</td><td>openai-compatible: workflow model names to served ones,
 *       {@code gpt-5-nano=llama3.2}; names the server does not serve and this does not map become PARLEY_MODEL</td></tr>
 *   <tr><td>PARLEY_MODEL_TIMEOUT</td><td>60</td><td>seconds a model call may take</td></tr>
 *   <tr><td>PARLEY_MODEL_MAX_RETRIES</td><td>2</td><td>retries of 408/409/429/5xx and connection failures,
 *       with backoff honouring Retry-After</td></tr>
 *   <tr><td>PARLEY_TRACE_RETENTION_DAYS</td><td>30</td><td>run traces older than this are deleted (0: kept
 *       forever)</td></tr>
 *   <tr><td>PARLEY_ECHO_PACE_MS</td><td>0</td><td>for load tests: the echo provider waits this long before each
 *       piece of its reply</td></tr>
 *   <tr><td>PARLEY_KNOWLEDGE_DIR</td><td>(bundled sample as {@code agency})</td><td>knowledge bases: a sub-folder
 *       per base, named by its id ({@code support/}, {@code agency/}), of Markdown, text and HTML files; a folder
 *       that holds documents itself is the one base {@code agency}. The embedded provider answers from
 *       {@code agency} (else the first id)</td></tr>
 *   <tr><td>PARLEY_WEBHOOK_HOSTS</td><td>(none: no webhook tool may be called)</td><td>comma-separated hosts
 *       webhook tools may call: {@code api.example.com}, {@code *.example.com}, {@code http://localhost:8080}
 *       (see docs/tools.md)</td></tr>
 *   <tr><td>PARLEY_WEBHOOK_SECRET</td><td>(none; required with PARLEY_WEBHOOK_HOSTS)</td><td>the key webhook
 *       requests are signed with, at least 32 characters; the host's backend verifies with the same value</td></tr>
 *   <tr><td>PARLEY_MCP_HOSTS</td><td>(none: no MCP server may be reached)</td><td>comma-separated hosts of the
 *       MCP servers agents and {@code mcp} nodes may connect to, in the syntax of PARLEY_WEBHOOK_HOSTS</td></tr>
 *   <tr><td>(any)</td><td></td><td>an MCP server's headers in a workflow name a variable ({@code {"env":
 *       "CRM_TOKEN"}}) instead of holding a secret; its value is read from the environment at start-up</td></tr>
 * </table>
 */
public record AssistantConfig(
        String workflowId,
        Path workflowsDir,
        String adminToken,
        Provider provider,
        String apiKey,
        String baseUrl,
        String model,
        Duration modelTimeout,
        int modelMaxRetries,
        Path knowledgeDir,
        Duration echoPace,
        Duration traceRetention,
        List<String> webhookHosts,
        String webhookSecret,
        List<String> mcpHosts,
        Map<String, String> environment) {

    /** Which model provider answers agent and classifier nodes. */
    public enum Provider {
        /** Retrieval and zero-shot classification with a bundled embedding model; no key, no network. */
        EMBEDDED("embedded"),
        /** OpenAI's Responses API. */
        OPENAI("openai"),
        /** Any server speaking OpenAI's Chat Completions: Ollama, vLLM, llama.cpp's server. */
        OPENAI_COMPATIBLE("openai-compatible"),
        /** Instant "You said: …" replies, for smoke tests and load benchmarks; not an assistant. */
        ECHO("echo");

        private final String wireName;

        Provider(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Provider parse(String s) {
            for (Provider p : values()) if (p.wireName.equals(s.toLowerCase(Locale.ROOT))) return p;
            throw new IllegalArgumentException();
        }
    }

    public static final String WORKFLOW = "PARLEY_WORKFLOW";
    public static final String WORKFLOWS_DIR = "PARLEY_WORKFLOWS_DIR";
    /** What the seed guide (and Agent Builder's ChatKit starter) calls the workflow; read when PARLEY_WORKFLOW is not set. */
    public static final String CHATKIT_WORKFLOW_ID = "CHATKIT_WORKFLOW_ID";
    public static final String ADMIN_TOKEN = "PARLEY_ADMIN_TOKEN";
    public static final String MODEL_PROVIDER = "PARLEY_MODEL_PROVIDER";
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    public static final String MODEL = "PARLEY_MODEL";
    /** Workflow model names → models a local server serves: {@code gpt-5-nano=llama3.2,gpt-5=qwen2.5:14b}. */
    public static final String MODEL_MAP = dev.parley.model.openai.ModelNames.MAP_SETTING;
    public static final String MODEL_TIMEOUT = "PARLEY_MODEL_TIMEOUT";
    public static final String MODEL_MAX_RETRIES = "PARLEY_MODEL_MAX_RETRIES";
    public static final String KNOWLEDGE_DIR = "PARLEY_KNOWLEDGE_DIR";
    public static final String ECHO_PACE_MS = "PARLEY_ECHO_PACE_MS";
    public static final String TRACE_RETENTION_DAYS = "PARLEY_TRACE_RETENTION_DAYS";
    public static final String WEBHOOK_HOSTS = WebhookPolicy.HOSTS_SETTING;
    public static final String WEBHOOK_SECRET = "PARLEY_WEBHOOK_SECRET";
    public static final String MCP_HOSTS = McpHosts.SETTING;

    public static final String SEED_WORKFLOW = "wf_seed_agency";
    public static final String DEFAULT_OPENAI_MODEL = "gpt-5-nano";
    private static final int MIN_TOKEN_CHARS = 24;
    private static final Pattern WORKFLOW_ID = Pattern.compile("wf_[A-Za-z0-9_-]{1,120}");

    private static final EnvReader.Rule<String> WORKFLOW_RULE = new EnvReader.Rule<>(WORKFLOW, s -> s,
            s -> WORKFLOW_ID.matcher(s).matches(), "a workflow id such as wf_support (wf_ then letters, digits, _ or -)");
    private static final EnvReader.Rule<String> CHATKIT_WORKFLOW_RULE = new EnvReader.Rule<>(CHATKIT_WORKFLOW_ID,
            s -> s, s -> WORKFLOW_ID.matcher(s).matches(), WORKFLOW_RULE.expected());
    private static final EnvReader.Rule<String> TOKEN_RULE = new EnvReader.Rule<>(ADMIN_TOKEN, s -> s,
            s -> s.length() >= MIN_TOKEN_CHARS, "at least " + MIN_TOKEN_CHARS
                    + " characters (try: openssl rand -base64 32), or unset to turn the admin API off");
    private static final EnvReader.Rule<String> WEBHOOK_SECRET_RULE = new EnvReader.Rule<>(WEBHOOK_SECRET, s -> s,
            s -> s.length() >= WebhookPolicy.MIN_KEY_BYTES, "at least " + WebhookPolicy.MIN_KEY_BYTES
                    + " characters (try: openssl rand -hex 32), the same value the host's backend verifies with");
    private static final EnvReader.Rule<Integer> RETRIES_RULE =
            EnvReader.Rule.intRange(MODEL_MAX_RETRIES, 0, 10, "a number from 0 to 10");

    public AssistantConfig {
        WORKFLOW_RULE.check(Objects.requireNonNull(workflowId, "workflowId"));
        TOKEN_RULE.check(adminToken);
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelTimeout, "modelTimeout");
        Objects.requireNonNull(echoPace, "echoPace");
        Objects.requireNonNull(traceRetention, "traceRetention");
        RETRIES_RULE.check(modelMaxRetries);
        webhookHosts = List.copyOf(Objects.requireNonNull(webhookHosts, "webhookHosts"));
        mcpHosts = mcpHosts == null ? List.of() : List.copyOf(mcpHosts);
        McpHosts.of(mcpHosts);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        webhookHosts.forEach(WebhookPolicy.HostPattern::parse);
        WEBHOOK_SECRET_RULE.check(webhookSecret);
        if (!webhookHosts.isEmpty() && webhookSecret == null) throw new IllegalArgumentException(secretNeeded());
        if (provider == Provider.OPENAI && (apiKey == null || apiKey.isBlank())) {
            throw new IllegalArgumentException(MODEL_PROVIDER + "=openai needs " + OPENAI_API_KEY
                    + "; set it, or use " + MODEL_PROVIDER + "=embedded to run without a key");
        }
        if (provider == Provider.OPENAI_COMPATIBLE && (baseUrl == null || model == null)) {
            throw new IllegalArgumentException(MODEL_PROVIDER + "=openai-compatible needs " + OPENAI_BASE_URL
                    + " (e.g. http://localhost:11434/v1 for Ollama) and " + MODEL + " (e.g. llama3.2)");
        }
    }

    /** {@return the defaults: the seed workflow, the embedded provider, no admin API} */
    public static AssistantConfig defaults() {
        return new AssistantConfig(SEED_WORKFLOW, null, null, Provider.EMBEDDED, null, null, null,
                Duration.ofSeconds(60), 2, null, Duration.ZERO, Duration.ofDays(30), List.of(), null, List.of(), Map.of());
    }

    /**
     * {@return the configuration the variables describe}
     *
     * @throws IllegalArgumentException naming every variable that has a bad value and what it should be
     */
    public static AssistantConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        var reader = new EnvReader(env, problems);
        // A team moving from Agent Builder keeps its CHATKIT_WORKFLOW_ID: imports keep the workflow's id, so the same
        // variable names the same workflow here. PARLEY_WORKFLOW wins when both are set.
        String workflow = reader.read(WORKFLOW_RULE, reader.read(CHATKIT_WORKFLOW_RULE, SEED_WORKFLOW));
        Path dir = reader.read(WORKFLOWS_DIR, null, s -> existingDir(Path.of(s)), "an existing folder");
        String token = reader.read(TOKEN_RULE, null);
        String key = reader.read(OPENAI_API_KEY, null, s -> s);
        String baseUrl = reader.read(OPENAI_BASE_URL, null, AssistantConfig::checkUrl,
                "an absolute http(s) URL such as http://localhost:11434/v1");
        // A server URL without a key is a local model server (Ollama, vLLM, llama.cpp): they speak Chat Completions.
        Provider provider = reader.read(MODEL_PROVIDER, key != null ? Provider.OPENAI
                : baseUrl != null ? Provider.OPENAI_COMPATIBLE : Provider.EMBEDDED,
                Provider::parse, "one of embedded, openai, openai-compatible, echo");
        String model = reader.read(MODEL, null, s -> s);
        reader.read(MODEL_MAP, null, s -> dev.parley.model.openai.ModelNames.parse("default", s),
                "workflow-model=served-model pairs separated by commas, such as gpt-5-nano=llama3.2");
        if (provider == Provider.OPENAI_COMPATIBLE && baseUrl != null && (model == null || model.isBlank())
                && env.get(MODEL_PROVIDER) == null) {
            problems.add(OPENAI_BASE_URL + " is set without " + OPENAI_API_KEY + ", so Parley talks to it as a local "
                    + "model server (openai-compatible) and needs " + MODEL + ": the model it serves, such as llama3.2 "
                    + "(for Ollama, `ollama list` shows them). Or unset " + OPENAI_BASE_URL + " to answer offline");
        }
        Duration timeout = reader.read(MODEL_TIMEOUT, Duration.ofSeconds(60), s -> {
            long n = Long.parseLong(s);
            if (n < 1 || n > 3600) throw new IllegalArgumentException();
            return Duration.ofSeconds(n);
        }, "a number of seconds from 1 to 3600");
        int retries = reader.read(RETRIES_RULE, 2);
        Path knowledge = reader.read(KNOWLEDGE_DIR, null, s -> existingDir(Path.of(s)), "an existing folder");
        Duration pace = reader.read(ECHO_PACE_MS, Duration.ZERO, s -> {
            long ms = Long.parseLong(s);
            if (ms < 0 || ms > 60_000) throw new IllegalArgumentException();
            return Duration.ofMillis(ms);
        }, "a number of milliseconds from 0 to 60000");
        Duration retention = reader.read(TRACE_RETENTION_DAYS, Duration.ofDays(30), s -> {
            long days = Long.parseLong(s);
            if (days < 0 || days > 36_500) throw new IllegalArgumentException();
            return Duration.ofDays(days);
        }, "a number of days (0 keeps traces forever)");
        List<String> hooks = reader.read(WEBHOOK_HOSTS, List.<String>of(), AssistantConfig::splitList);
        for (String entry : hooks) {
            try {
                WebhookPolicy.HostPattern.parse(entry);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        String hookSecret = reader.read(WEBHOOK_SECRET_RULE, null);
        List<String> mcp = reader.read(MCP_HOSTS, List.<String>of(), AssistantConfig::splitList);
        try {
            McpHosts.of(mcp);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String rawSecret = env.get(WEBHOOK_SECRET);
        if (!hooks.isEmpty() && (rawSecret == null || rawSecret.isBlank())) { // a short one is reported above
            problems.add(secretNeeded());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new AssistantConfig(workflow, dir, token, provider, key, baseUrl, model, timeout, retries, knowledge, pace,
                retention, hooks, hookSecret, mcp, env);
    }

    /** {@return {@value #MODEL_MAP} as set (checked when read), or null} */
    public String modelMap() {
        return environment.get(MODEL_MAP);
    }

    /**
     * {@return why the provider is not the one the model variables suggest, for the start-up log; null when there
     * is nothing to explain}
     */
    public String providerNote() {
        if (baseUrl == null) return null;
        return switch (provider) {
            case OPENAI -> OPENAI_BASE_URL + " and " + OPENAI_API_KEY + " are both set, so " + baseUrl + " is called "
                    + "as OpenAI's Responses API; for a local Chat Completions server (Ollama, vLLM, llama.cpp) set "
                    + MODEL_PROVIDER + "=openai-compatible";
            case EMBEDDED, ECHO -> MODEL_PROVIDER + "=" + provider.wireName() + " is set, so nothing is sent to "
                    + OPENAI_BASE_URL + " (" + baseUrl + "); unset " + MODEL_PROVIDER + " to answer through it";
            case OPENAI_COMPATIBLE -> null;
        };
    }

    /** {@return this configuration with the variables MCP headers may name ({@code {"env": "NAME"}})} */
    public AssistantConfig withEnvironment(Map<String, String> variables) {
        return new AssistantConfig(workflowId, workflowsDir, adminToken, provider, apiKey, baseUrl, model, modelTimeout, modelMaxRetries, knowledgeDir, echoPace, traceRetention, webhookHosts, webhookSecret, mcpHosts, variables);
    }

    public AssistantConfig withAdminToken(String token) {
        return new AssistantConfig(workflowId, workflowsDir, token, provider, apiKey, baseUrl, model, modelTimeout, modelMaxRetries, knowledgeDir, echoPace, traceRetention, webhookHosts, webhookSecret, mcpHosts, environment);
    }

    public AssistantConfig withWorkflowsDir(Path dir) {
        return new AssistantConfig(workflowId, dir, adminToken, provider, apiKey, baseUrl, model, modelTimeout, modelMaxRetries, knowledgeDir, echoPace, traceRetention, webhookHosts, webhookSecret, mcpHosts, environment);
    }

    public AssistantConfig withWorkflowId(String id) {
        return new AssistantConfig(id, workflowsDir, adminToken, provider, apiKey, baseUrl, model, modelTimeout, modelMaxRetries, knowledgeDir, echoPace, traceRetention, webhookHosts, webhookSecret, mcpHosts, environment);
    }

    /** Keeps the key and token out of logs. */
    @Override
    public String toString() {
        return "AssistantConfig[workflow=" + workflowId + ", workflowsDir=" + workflowsDir + ", admin="
                + (adminToken == null ? "off" : "on") + ", provider=" + provider.wireName() + ", apiKey="
                + (apiKey == null ? "(none)" : "(set)") + ", baseUrl=" + baseUrl + ", model=" + model
                + ", modelTimeout=" + modelTimeout + ", modelMaxRetries=" + modelMaxRetries + ", knowledgeDir="
                + knowledgeDir + ", webhookHosts=" + webhookHosts + ", webhookSecret="
                + (webhookSecret == null ? "(none)" : "(set)") + ", mcpHosts=" + mcpHosts + ", environment=(" + environment.size() + " variables)]";
    }

    private static String secretNeeded() {
        return WEBHOOK_HOSTS + " is set, so " + WEBHOOK_SECRET + " is needed to sign webhook requests: at least "
                + WebhookPolicy.MIN_KEY_BYTES + " characters (try: openssl rand -hex 32), the same value the host's"
                + " backend verifies with (see docs/tools.md)";
    }

    private static List<String> splitList(String s) {
        List<String> entries = new ArrayList<>();
        for (String part : s.split(",")) if (!part.isBlank()) entries.add(part.strip());
        return List.copyOf(entries);
    }

    private static Path existingDir(Path p) {
        if (!Files.isDirectory(p)) throw new IllegalArgumentException();
        return p;
    }

    private static String checkUrl(String s) {
        URI uri = URI.create(s);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) throw new IllegalArgumentException();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
