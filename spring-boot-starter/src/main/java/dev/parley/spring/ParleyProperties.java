package dev.parley.spring;

import java.nio.file.Path;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every "parley.*" setting of the starter, bound once at start-up and checked as it is bound: a wrong value
 * stops the application with a message that names the property and says what it accepts.
 *
 * @param path         where the ChatKit endpoint is mounted on Spring MVC; its session route is "<path>/session"
 * @param users        whose conversations a request reads and writes: "principal" (the logged-in user of
 *                     Spring Security or the servlet container), "visitor" (an anonymous visitor, remembered
 *                     by a cookie the session route sets) or "auto" (the principal when there is one, else the
 *                     visitor)
 * @param store        where conversations are kept
 * @param model        what the workflows' agents and classifiers run on
 * @param workflowId   the published workflow that answers chat turns; the bundled seed is published on start
 * @param workflowsDir a folder of workflow JSON files, published on start when they changed
 * @param maxBodyBytes the largest request body the endpoint reads (1 KiB to 64 MiB)
 * @param widget       serving of the chat widget's script
 */
@ConfigurationProperties("parley")
public record ParleyProperties(
        @DefaultValue("/chatkit") String path,
        @DefaultValue("auto") Users users,
        @DefaultValue Store store,
        @DefaultValue Model model,
        @DefaultValue("wf_seed_agency") String workflowId,
        Path workflowsDir,
        @DefaultValue("1048576") long maxBodyBytes,
        @DefaultValue Widget widget) {

    /** The properties' prefix. */
    public static final String PREFIX = "parley";

    public ParleyProperties {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("parley.path must be a path such as /chatkit (a leading /, no "
                    + "trailing /, letters, digits and . _ ~ - between slashes), got \"" + path + "\"");
        }
        if (workflowId == null || workflowId.isBlank()) {
            throw new IllegalArgumentException("parley.workflow-id must name a workflow, such as wf_seed_agency");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("parley.max-body-bytes must be between 1024 and 67108864, got "
                    + maxBodyBytes);
        }
    }

    /** Whose conversations a request reads and writes. */
    public enum Users {
        /** The logged-in principal when there is one, else an anonymous visitor with a cookie. */
        AUTO,
        /** Only a logged-in principal; other requests get 401. */
        PRINCIPAL,
        /** Always the visitor cookie, for applications without a login. */
        VISITOR
    }

    /**
     * Where conversations are kept.
     *
     * @param type       "auto" (PostgreSQL on the application's "DataSource" when there is one, else
     *                   SQLite), "postgres" or "sqlite"
     * @param schema     the PostgreSQL schema for Parley's tables and its Flyway history, created if missing; keeps
     *                   them apart from the application's own
     * @param sqliteFile the SQLite file when there is no "DataSource"
     */
    public record Store(@DefaultValue("auto") StoreType type, @DefaultValue("parley") String schema,
            @DefaultValue("data/parley.db") Path sqliteFile) {
        public Store {
            if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("parley.store.schema must be a lower-case SQL name (letters a-z, "
                        + "digits and _, not starting with a digit, at most 63 characters), got \"" + schema + "\"");
            }
        }
    }

    /** Which database keeps the conversations. */
    public enum StoreType { AUTO, POSTGRES, SQLITE }

    /**
     * What the workflows run on.
     *
     * @param provider     "embedded" (offline: MiniLM classification and answers quoted from the knowledge
     *                     bases), "openai", "openai-compatible" (Ollama, vLLM, llama.cpp) or "echo"
     *                     (repeats the message; for load tests)
     * @param apiKey       the API key for "openai"
     * @param baseUrl      the server for "openai-compatible", such as "http://localhost:11434/v1"
     * @param name         the model agents use when their node names none
     * @param knowledgeDir a folder of knowledge bases (the bundled sample when unset)
     * @param cacheDir     where knowledge-base embeddings are cached between starts (none when unset)
     */
    public record Model(@DefaultValue("embedded") Provider provider, String apiKey, String baseUrl, String name,
            Path knowledgeDir, Path cacheDir) {
        public Model {
            if (provider == Provider.OPENAI && (apiKey == null || apiKey.isBlank())) {
                throw new IllegalArgumentException("parley.model.api-key is required when parley.model.provider is "
                        + "openai (or choose embedded, which needs no key)");
            }
            if (provider == Provider.OPENAI_COMPATIBLE && (baseUrl == null || baseUrl.isBlank())) {
                throw new IllegalArgumentException("parley.model.base-url is required when parley.model.provider is "
                        + "openai-compatible, such as http://localhost:11434/v1");
            }
            if (provider == Provider.OPENAI_COMPATIBLE && (name == null || name.isBlank())) {
                throw new IllegalArgumentException("parley.model.name is required when parley.model.provider is "
                        + "openai-compatible: the model the server runs, such as llama3.2");
            }
        }

        @Override
        public String toString() {
            // Never print the key, which Spring may do in a failure report.
            return "Model[provider=" + provider.name().toLowerCase(Locale.ROOT) + ", apiKey="
                    + (apiKey == null ? "unset" : "***") + ", baseUrl=" + baseUrl + ", name=" + name + "]";
        }
    }

    /** The model providers the starter can build; an application may define its own "ModelProvider" bean. */
    public enum Provider { EMBEDDED, OPENAI, OPENAI_COMPATIBLE, ECHO }

    /**
     * Serving of the chat widget.
     *
     * @param enabled whether "GET <path>/widget.js" serves the widget's script
     */
    public record Widget(@DefaultValue("true") boolean enabled) {}
}
