package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.config.Environment;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ObservabilityConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.logs.JsonLogFormat;
import dev.parley.workflow.InvalidWorkflowException;

/**
 * Starts Parley from environment variables (read by {@link Environment}; see {@link ParleyConfig}) and runs until stopped.
 *
 * <pre>{@code
 * PARLEY_PORT=8080 PARLEY_DATA_DIR=./data java -jar web/target/parley.jar
 * }</pre>
 *
 * <p>{@code parley import FILE [--out DIR] [--publish]} imports an Agent Builder workflow instead of starting the
 * server (see {@link ImportCommand}); {@code parley training-run} runs one chat turn on a throw-away server to train
 * the JVM's ahead-of-time cache (see {@link TrainingRun}).
 *
 * <p>{@code parley eval WORKFLOW_FILE_OR_ID --dataset FILE [--min-pass-rate X]} runs an eval for CI instead (see
 * {@link EvalCommand}).
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
        if (args.length > 0 && args[0].equals("eval")) {
            // For CI: exit 0 when the pass rate is met, 1 when not, 2 when the input is wrong.
            int status;
            try {
                status = new EvalCommand(System.out, Environment::read).run(java.util.List.of(args).subList(1, args.length));
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                System.out.println("parley eval: " + e.getMessage());
                status = 2;
            }
            System.exit(status);
            return;
        }
        if (args.length > 0 && args[0].equals(TrainingRun.COMMAND)) {
            // Run under -XX:AOTCacheOutput by ./parley (see docs/deployment.md): the JVM writes the cache as it exits.
            Environment.configureLogging();
            System.exit(new TrainingRun(System.out).run());
            return;
        }
        Environment.configureLogging();
        ParleyConfig config;
        AssistantConfig assistant;
        HostedConfig hosted;
        ModelProvider model;
        KnowledgeBases knowledge;
        ObservabilityConfig observing;
        try {
            observing = Environment.observability();
            if (observing.jsonLogs()) JsonLogFormat.install();
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
            server = ParleyServer.start(config, assistant, model, hosted, knowledge, observing);
        } catch (InvalidWorkflowException e) {
            System.err.println("parley: " + AssistantConfig.WORKFLOWS_DIR + " holds a workflow that does not validate:\n"
                    + e.report());
            System.exit(2);
            return;
        } catch (dev.parley.workflow.evals.DatasetFormatException e) {
            System.err.println("parley: " + AssistantConfig.WORKFLOWS_DIR + " holds an eval dataset that cannot be read:\n  "
                    + String.join("\n  ", e.problems()));
            System.exit(2);
            return;
        } catch (ParleyServer.ListenException e) {
            System.err.println("parley: " + e.getMessage());
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
            dev.parley.web.logs.ConsoleLog.flushAll();
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
        LOG.log(System.Logger.Level.INFO, "Metrics: {0}; traces: {1}", !observing.metrics() ? "off"
                : server.metricsPort() > 0 ? "/metrics on port " + server.metricsPort()
                : assistant.adminToken() != null ? "/metrics behind the admin token" : "kept, but /metrics needs "
                        + "PARLEY_ADMIN_TOKEN or " + ObservabilityConfig.METRICS_PORT + " to be read",
                observing.tracing() == null ? "off (set " + ObservabilityConfig.OTLP_ENDPOINT + " to export them)"
                        : "OTLP to " + observing.tracing().endpoint());
        if (knowledge != null) {
            // The embedding model loads on first use so that the server answers sooner; loading it now, while no one
            // is waiting, spares the first visitor that second (a message arriving meanwhile waits for the same load).
            Thread.ofPlatform().daemon().name("parley-model-load").start(Embedder.shared()::load);
        }
    }
}
