package dev.parley.web.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * The one place that reads the process's environment and system properties. Everything else is handed the
 * checked configuration records built here, so a test or an embedding application can build them in code.
 */
public final class Environment {
    private Environment() {}

    /** Every setting, one record per concern. */
    public record Settings(ParleyConfig server, AssistantConfig assistant, HostedConfig hosted) {}

    /**
     * {@return the settings of this process's environment variables}
     *
     * @throws IllegalArgumentException naming every variable with a bad value and what it should be
     */
    public static Settings read() {
        return read(System.getenv());
    }

    /** {@return the settings {@code env} describes} @throws IllegalArgumentException as {@link #read()} */
    public static Settings read(Map<String, String> env) {
        return new Settings(ParleyConfig.fromEnv(env), AssistantConfig.fromEnv(env), HostedConfig.fromEnv(env));
    }

    /**
     * {@return metrics, tracing and log settings from this process's environment ({@code PARLEY_METRICS…},
     * {@code OTEL_*})}
     *
     * @throws IllegalArgumentException naming every variable with a bad value and what it should be
     */
    public static ObservabilityConfig observability() {
        return ObservabilityConfig.fromEnv(System.getenv());
    }

    /** Loads the bundled one-line log format, unless the operator chose a logging configuration. */
    public static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = Environment.class.getResourceAsStream("/logging.properties")) {
            if (in != null) LogManager.getLogManager().readConfiguration(in);
        } catch (IOException e) {
            System.err.println("parley: could not load logging.properties: " + e.getMessage());
        }
    }
}
