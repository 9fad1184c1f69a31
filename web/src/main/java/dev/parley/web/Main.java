package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.Environment;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.workflow.InvalidWorkflowException;

/**
 * Starts Parley from environment variables (read by {@link Environment}; see {@link ParleyConfig}) and runs until stopped.
 *
 * <pre>{@code
 * PARLEY_PORT=8080 PARLEY_DATA_DIR=./data java -jar web/target/parley.jar
 * }</pre>
 *
 * <p>{@code parley import FILE [--out DIR] [--publish]} imports an Agent Builder workflow instead of starting the
 * server (see {@link ImportCommand}).
 *
 * <p>Exit status 2 means the configuration is invalid (the message names the variable); 1 means the server
 * could not start (port taken, data directory not writable, …).
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("import")) {
            // A one-off command: its report goes to the terminal, and the process ends with its verdict.
            int status;
            try {
                status = new ImportCommand(System.out, Environment::read).run(java.util.List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                System.out.println("parley import: " + e.getMessage());
                status = 2;
            }
            System.exit(status);
            return;
        }
        Environment.configureLogging();
        ParleyConfig config;
        AssistantConfig assistant;
        HostedConfig hosted;
        ModelProvider model;
        KnowledgeBases knowledge;
        try {
            Environment.Settings settings = Environment.read();
            config = settings.server();
            assistant = settings.assistant();
            hosted = settings.hosted();
            knowledge = Providers.knowledge(assistant, config.dataDir());
            model = Providers.open(assistant, config.dataDir(), knowledge);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        ParleyServer server;
        try {
            server = ParleyServer.start(config, assistant, model, hosted, knowledge);
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
        if (assistant.providerNote() != null) LOG.log(System.Logger.Level.WARNING, assistant.providerNote());
        LOG.log(System.Logger.Level.INFO, "Answering with workflow {0} through the {1} model provider{2}",
                assistant.workflowId(), model.name(), model.name().equals("embedded")
                        ? " (retrieval and classification, not a generative model; set OPENAI_API_KEY or "
                                + AssistantConfig.MODEL_PROVIDER + " for one)" : "");
        LOG.log(System.Logger.Level.INFO, "Parley is listening on {0} (data in {1}; store: {2})",
                server.baseUri(), config.dataDir().toAbsolutePath().normalize(), server.storage().description());
    }
}
