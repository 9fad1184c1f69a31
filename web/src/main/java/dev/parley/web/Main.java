package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.workflow.InvalidWorkflowException;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/**
 * Starts Parley from environment variables (see {@link ParleyConfig}) and runs until stopped.
 *
 * <pre>{@code
 * PARLEY_PORT=8080 PARLEY_DATA_DIR=./data java -jar web/target/parley.jar
 * }</pre>
 *
 * <p>Exit status 2 means the configuration is invalid (the message names the variable); 1 means the server
 * could not start (port taken, data directory not writable, …).
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        configureLogging();
        ParleyConfig config;
        AssistantConfig assistant;
        HostedConfig hosted;
        ModelProvider model;
        try {
            config = ParleyConfig.fromEnv(System.getenv());
            assistant = AssistantConfig.fromEnv(System.getenv());
            hosted = HostedConfig.fromEnv(System.getenv());
            model = Providers.open(assistant, config.dataDir());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        ParleyServer server;
        try {
            server = ParleyServer.start(config, assistant, model, hosted);
        } catch (InvalidWorkflowException e) {
            System.err.println("parley: " + AssistantConfig.WORKFLOWS_DIR + " holds a workflow that does not validate:\n"
                    + e.report());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Parley could not start: " + e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.log(System.Logger.Level.INFO, "Stopping Parley");
            server.close();
        }, "parley-shutdown"));
        if (hosted.hosted()) {
            LOG.log(System.Logger.Level.INFO, "Hosted mode: POST /api/chatkit/session creates sessions at OpenAI for "
                    + "workflow {0}; use them with OpenAI''s ChatKit front end (Parley''s own /chatkit answers only its own secrets)",
                    hosted.workflowId());
        }
        LOG.log(System.Logger.Level.INFO, "Answering with workflow {0} through the {1} model provider{2}",
                assistant.workflowId(), model.name(), model.name().equals("embedded")
                        ? " (retrieval and classification, not a generative model; set OPENAI_API_KEY or "
                                + AssistantConfig.MODEL_PROVIDER + " for one)" : "");
        LOG.log(System.Logger.Level.INFO, "Parley is listening on {0} (data in {1})",
                server.baseUri(), config.dataDir().toAbsolutePath().normalize());
    }

    /** Loads the bundled one-line log format, unless the operator chose a logging configuration. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) LogManager.getLogManager().readConfiguration(in);
        } catch (IOException e) {
            System.err.println("parley: could not load logging.properties: " + e.getMessage());
        }
    }
}
