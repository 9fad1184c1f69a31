package dev.parley.web;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.Embedder;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.server.ChatKitServer;
import dev.parley.server.Responder;
import dev.parley.store.BlobStore;
import dev.parley.store.CommitListener;
import dev.parley.store.FileBlobStore;
import dev.parley.store.Storage;
import dev.parley.store.Store;
import dev.parley.web.access.AccessFilter;
import dev.parley.web.access.RateLimiter;
import dev.parley.web.admin.AdminService;
import dev.parley.web.admin.HealthService;
import dev.parley.web.admin.KnowledgeService;
import dev.parley.web.admin.ReadinessService;
import dev.parley.web.admin.ServerApiService;
import dev.parley.web.admin.TracePruner;
import dev.parley.web.attachments.AttachmentService;
import dev.parley.web.attachments.AttachmentSweeper;
import dev.parley.web.attachments.DiskAttachmentStore;
import dev.parley.web.auth.AdminAuth;
import dev.parley.web.auth.ClientSecrets;
import dev.parley.web.auth.Revocations;
import dev.parley.web.auth.SecretKeyFile;
import dev.parley.web.chatkit.ChatKitService;
import dev.parley.web.config.AssistantConfig;
import dev.parley.web.console.ConsoleService;
import dev.parley.web.config.HostedConfig;
import dev.parley.web.config.ObservabilityConfig;
import dev.parley.web.config.ParleyConfig;
import dev.parley.web.hosted.HostedSessionService;
import dev.parley.web.hosted.HostedSessions;
import dev.parley.web.http.ConnectionGuard;
import dev.parley.web.http.ErrorResponses;
import dev.parley.web.http.HttpError;
import dev.parley.web.http.TransportErrors;
import dev.parley.web.observe.MetricsService;
import dev.parley.web.observe.Observability;
import dev.parley.web.session.SessionService;
import dev.parley.web.widget.WidgetService;
import dev.parley.workflow.engine.Workflows;
import dev.parley.workflow.evals.Evals;
import dev.parley.workflow.evals.Grading;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

/**
 * A running Parley: the HTTP server with its store, started from a {@link ParleyConfig}. {@link Main} runs one;
 * tests start one on a free port with a temporary data directory.
 *
 * <pre>{@code
 * try (ParleyServer server = ParleyServer.start(ParleyConfig.defaults().withPort(0).withDataDir(dir), new EchoResponder())) {
 *     URI chatkit = server.baseUri().resolve("/chatkit");
 * }
 * }</pre>
 *
 * <p>Routes: {@code POST /chatkit} ({@link ChatKitService}), {@code POST /api/chatkit/session}
 * ({@link SessionService}), {@code PUT|POST /chatkit/attachments/{id}/upload} and
 * {@code GET /chatkit/attachments/{id}/preview} ({@link AttachmentService}), {@code GET /healthz}
 * ({@link HealthService}), {@code /admin/knowledge…} ({@link KnowledgeService}), {@code /admin/…}
 * ({@link AdminService}), {@code /console…} ({@link ConsoleService}). Anything else is a JSON 404.
 *
 * <p>The listener sets TCP_NODELAY: each stream event is flushed on its own, and with Nagle's algorithm on,
 * every small write after the first waits for the client's delayed ACK (about 40 ms per turn, measured).
 *
 * <p>Connections are bounded by a {@link ConnectionGuard} (header, body and idle timeouts, connections per address;
 * {@link dev.parley.web.config.ConnectionLimits}), and requests Helidon refuses before routing are answered by
 * {@link TransportErrors} with the same JSON error body as every other refusal.
 */
public final class ParleyServer implements AutoCloseable {
    static final String DATABASE_FILE = "parley.db";
    static final String ATTACHMENTS_DIR = "attachments";
    /** Helidon's default HTTP/1.1 limits, set explicitly because error messages quote them. */
    static final int MAX_HEADER_BYTES = 16384;
    static final int MAX_REQUEST_LINE_BYTES = 4096;
    private static final System.Logger LOG = System.getLogger(ParleyServer.class.getName());

    private final ParleyConfig config;
    private final WebServer web;
    private final Storage storage;
    private final AtomicBoolean open;
    private final Revocations revocations;
    private final ConnectionGuard guard;
    /** The management port's server ({@code PARLEY_METRICS_PORT}), or null. */
    private WebServer management;
    /** Housekeeping threads stopped before the store closes. */
    private final java.util.List<AutoCloseable> background = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ParleyServer(ParleyConfig config, WebServer web, Storage storage, AtomicBoolean open, Revocations revocations,
            ConnectionGuard guard) {
        this.revocations = revocations;
        this.guard = guard;
        this.config = config;
        this.web = web;
        this.storage = storage;
        this.open = open;
    }

    /**
     * Starts Parley as an operator runs it: the SQLite store under the data directory, the workflow engine
     * answering with the latest version of {@code assistant.workflowId()} through {@code model}, the workflows
     * of {@code assistant.workflowsDir()} published if they changed, the bundled seed published if the store
     * has none, and the admin API when a token is set.
     *
     * @throws dev.parley.workflow.InvalidWorkflowException when a file of the workflows folder does not validate
     * @throws UncheckedIOException if the data directory, the workflows folder or the key file cannot be used
     * @throws RuntimeException if the store cannot be opened or the port cannot be bound
     */
    public static ParleyServer start(ParleyConfig config, AssistantConfig assistant, ModelProvider model) {
        return start(config, assistant, model, HostedConfig.self());
    }

    /**
     * As {@link #start(ParleyConfig, AssistantConfig, ModelProvider)}, with the session mode: in hosted mode the
     * session route creates sessions at OpenAI for an Agent Builder workflow instead of minting Parley's own.
     */
    public static ParleyServer start(ParleyConfig config, AssistantConfig assistant, ModelProvider model,
            HostedConfig hosted) {
        return start(config, assistant, model, hosted,
                model instanceof EmbeddedProvider embedded ? embedded.knowledgeBases() : null);
    }

    /**
     * As {@link #start(ParleyConfig, AssistantConfig, ModelProvider, HostedConfig)}, with the knowledge bases the
     * admin API shows and re-indexes (null for none; the embedded provider's own when the other overloads are used).
     */
    public static ParleyServer start(ParleyConfig config, AssistantConfig assistant, ModelProvider model,
            HostedConfig hosted, KnowledgeBases knowledge) {
        return start(config, assistant, model, hosted, knowledge, ObservabilityConfig.off());
    }

    /**
     * As {@link #start(ParleyConfig, AssistantConfig, ModelProvider, HostedConfig, KnowledgeBases)}, with metrics,
     * traces and logs as {@code observing} sets them up ({@code /metrics}, OpenTelemetry, the access log).
     */
    public static ParleyServer start(ParleyConfig config, AssistantConfig assistant, ModelProvider model,
            HostedConfig hosted, KnowledgeBases knowledge, ObservabilityConfig observing) {
        Objects.requireNonNull(model, "model");
        Observability observability = Observability.start(observing);
        Storage storage;
        BlobStore blobs;
        try {
            storage = openStorage(config, observability.commits());
            blobs = openBlobs(config, storage);
        } catch (RuntimeException e) {
            observability.close();
            throw e;
        }
        Tooling tooling = null;
        try {
            String defaultModel = Readiness.defaultModel(assistant, model);
            model = observability.observe(model, defaultModel);
            tooling = new Tooling(assistant, model, knowledge);
            var toolbox = tooling.toolbox().observedBy(observability.runs());
            var workflows = new Workflows(storage.workflows(), toolbox, ServerId.of(config.dataDir()));
            // Runs this server left running when it was last stopped mid-turn: nothing runs here yet.
            int interrupted = workflows.closeInterrupted(workflows.serverId(), Instant.now().minus(TracePruner.LONGEST_RUN));
            if (interrupted > 0) {
                LOG.log(System.Logger.Level.WARNING, "Closed {0} workflow runs interrupted when the server last stopped",
                        interrupted);
            }
            if (assistant.workflowsDir() != null) {
                for (Workflows.Loaded l : workflows.loadFolder(assistant.workflowsDir())) {
                    LOG.log(System.Logger.Level.INFO, "{0}: {1} v{2}{3}", l.file().getFileName(), l.workflowId(),
                            l.version(), l.changed() ? " published" : " unchanged");
                }
            }
            if (assistant.workflowId().equals(Workflows.SEED_ID)) workflows.publishBundledSeed();
            if (assistant.workflowId().equals(Workflows.SEED_ID)) Evals.installBundled(storage.evals());
            if (assistant.workflowsDir() != null) {
                for (String id : Evals.loadFolder(storage.evals(), assistant.workflowsDir())) {
                    LOG.log(System.Logger.Level.INFO, "Eval dataset of {0} loaded from the workflows folder", id);
                }
            }
            if (workflows.store().latest(assistant.workflowId()).isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "No version of workflow {0} is published: chat turns will "
                        + "answer with an error until one is (put it in {1} or publish it through the admin API)",
                        assistant.workflowId(), AssistantConfig.WORKFLOWS_DIR);
            }
            IntPredicate published = v -> workflows.store().version(assistant.workflowId(), v).isPresent();
            // Contact details visitors leave become leads whichever model answers (GET /admin/leads).
            var responder = new dev.parley.web.leads.LeadCapture(workflows.responder(assistant.workflowId()), storage.leads());
            ParleyServer server = start(config, responder, storage, blobs, workflows,
                    published, assistant.adminToken(), hosted, knowledge, Transcribers.of(assistant), observability,
                    Readiness.checks(storage, assistant, model, defaultModel, knowledge));
            server.background.add(new TracePruner(workflows, assistant.traceRetention()));
            server.background.add(tooling);
            return server;
        } catch (RuntimeException e) {
            if (tooling != null) tooling.close();
            storage.close();
            observability.close();
            throw e;
        }
    }

    /**
     * Opens the SQLite store ({@code <dataDir>/parley.db}) and the attachment directory
     * ({@code <dataDir>/attachments}), then starts listening with a fixed responder and no workflow engine (the
     * admin API answers that it is off). Tests of the protocol use this with scripted responders.
     *
     * @throws UncheckedIOException if the data directory or the key file cannot be used
     * @throws RuntimeException if the store cannot be opened or the port cannot be bound
     */
    public static ParleyServer start(ParleyConfig config, Responder responder) {
        Storage storage = openStorage(config);
        return start(config, responder, storage, openBlobs(config, storage));
    }

    /**
     * Starts listening with the given stores, which the server then owns: {@link #close()} closes the store,
     * and so does a failure to start.
     *
     * @throws UncheckedIOException if the key file cannot be read or created
     */
    public static ParleyServer start(ParleyConfig config, Responder responder, Storage storage, BlobStore blobs) {
        return start(config, responder, storage, blobs, null, null, null, HostedConfig.self(), null, null,
                Observability.off(), Readiness.checks(storage, null, null, null, null));
    }

    /**
     * As {@link #start(ParleyConfig, Responder)}, with {@code transcriber} answering {@code input.transcribe}
     * (the composer's dictation).
     */
    public static ParleyServer start(ParleyConfig config, Responder responder, dev.parley.server.Transcriber transcriber) {
        Storage storage = openStorage(config);
        return start(config, responder, storage, openBlobs(config, storage), null, null, null, HostedConfig.self(), null,
                transcriber, Observability.off(), Readiness.checks(storage, null, null, null, null));
    }

    private static Storage openStorage(ParleyConfig config) {
        return openStorage(config, CommitListener.NONE);
    }

    private static Storage openStorage(ParleyConfig config, CommitListener commits) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the data directory " + config.dataDir().toAbsolutePath(), e);
        }
        return Stores.open(config, commits);
    }

    private static BlobStore openBlobs(ParleyConfig config, Storage storage) {
        try {
            return new FileBlobStore(config.dataDir().resolve(ATTACHMENTS_DIR));
        } catch (IOException e) {
            storage.close();
            throw new UncheckedIOException("Cannot use the data directory " + config.dataDir().toAbsolutePath(), e);
        }
    }

    private static ParleyServer start(ParleyConfig config, Responder responder, Storage storage, BlobStore blobs,
            Workflows workflows, IntPredicate publishedVersion, String adminToken, HostedConfig hosted,
            KnowledgeBases knowledge, dev.parley.server.Transcriber transcriber, Observability observability,
            java.util.List<ReadinessService.Check> readiness) {
        Revocations revocations = null;
        ConnectionGuard guard = null;
        WebServer management = null;
        try {
            Objects.requireNonNull(responder, "responder");
            byte[] key;
            try {
                key = SecretKeyFile.resolve(config);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read or create the signing key in " + config.dataDir().toAbsolutePath(), e);
            }
            Store store = storage.threads();
            revocations = new Revocations(storage.sessions());
            var secrets = new ClientSecrets(key, config.secretTtl(), java.time.Clock.systemUTC(), revocations::isRevoked);
            var attachments = new DiskAttachmentStore(
                    blobs, storage.ids(), key, config.maxAttachmentBytes(), config.attachmentTypes());
            var chatKit = ChatKitServer.builder().store(store).responder(responder).attachments(attachments)
                    .limits(config.access().limits()).transcriber(transcriber).build();
            var open = new AtomicBoolean(true);
            // One check for both admin-token routes, so failures on either count towards the same limit.
            var adminAuth = new AdminAuth(adminToken, config.access().trustProxy(), adminToken == null ? null
                    : new dev.parley.web.auth.ConsoleSessions(key, adminToken, java.time.Clock.systemUTC(), revocations));
            var limits = config.connections();
            // Behind a trusted proxy every connection comes from the proxy: a per-address cap would cap the proxy.
            guard = new ConnectionGuard(limits.headerTimeout(), limits.bodyTimeout(), limits.idleTimeout(),
                    config.access().trustProxy() ? 0 : limits.maxPerAddress());
            var services = new Services(guard.filter(),
                    new AccessFilter(config.access(), java.util.List.of(ChatKitService.PATH, "/api")),
                    new ChatKitService(chatKit, secrets, config.maxBodyBytes(), config.publicUrl(),
                            new RateLimiter(config.access().userRatePerMinute()), observability.turns()),
                    hosted.hosted()
                            ? new HostedSessionService(new HostedSessions(hosted), config.cookie())
                            : new SessionService(secrets, config.cookie(), publishedVersion, revocations),
                    new AttachmentService(store, attachments, secrets),
                    new HealthService(open::get),
                    new WidgetService(),
                    new AdminService(workflows, store, storage.conversations(), adminAuth, config.maxBodyBytes(),
                            workflows == null ? null : new Evals(workflows, store, storage.evals(),
                                    new Grading(Embedder::shared, workflows.toolbox().provider()))),
                    new KnowledgeService(knowledge, adminAuth),
                    new dev.parley.web.leads.LeadsService(storage.leads(), adminAuth),
                    new ServerApiService(adminAuth, chatKit, attachments, secrets, publishedVersion, revocations),
                    new ConsoleService(adminAuth, config.cookie()),
                    observability.requests(), new ReadinessService(open::get, readiness),
                    observability.config().metricsPort() == -1
                            ? observability.metrics().map(m -> new MetricsService(m, (req, res) -> metricsGuard(adminAuth, req)))
                            : java.util.Optional.empty());
            if (observability.config().metricsPort() != -1 && observability.metrics().isPresent()) {
                management = managementServer(config.host(), observability.config().metricsPort(),
                        new MetricsService(observability.metrics().get(), (req, res) -> {}));
            }
            WebServer web = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    // Per-event flushes must leave at once; see the class comment.
                    .connectionOptions(socket -> socket.tcpNoDelay(true))
                    // Memory per open stream (10 000 of them, BENCHMARKS.md): the stream sink already gathers
                    // each write, so Helidon's own output buffer need not be 4 KiB.
                    .writeBufferSize(512)
                    // Helidon's NIO sockets keep two 8 KiB heap buffers per connection for its whole life; the
                    // plain socket keeps one. At 10 000 open streams that is 80 MB of heap (BENCHMARKS.md).
                    .useNio(false)
                    // close() stops the server before closing the store; Helidon's own hook would race with that.
                    .shutdownHook(false)
                    // The guard's HTTP/1.1 selector is the only one, so it sees every connection from its accept.
                    .protocolsDiscoverServices(false)
                    .addConnectionSelector(guard.selector(MAX_HEADER_BYTES, MAX_REQUEST_LINE_BYTES))
                    .directHandlers(new TransportErrors(MAX_HEADER_BYTES, MAX_REQUEST_LINE_BYTES).all())
                    // Helidon's own idle check, as a backstop behind the guard's: never the first to act.
                    .idleConnectionTimeout(limits.idleTimeout().plus(limits.headerTimeout()))
                    .routing(routing -> routing(routing, services))
                    .build()
                    .start();
            if (!web.isRunning() || web.port() < 0) {
                // Helidon logs the bind failure and returns a stopped server rather than throwing.
                web.stop();
                throw new ListenException(config.host(), config.port());
            }
            ParleyServer server = new ParleyServer(config, web, storage, open, revocations, guard);
            server.management = management;
            if (management != null) server.background.add(management::stop);
            server.background.add(observability);
            server.background.add(new AttachmentSweeper(store, blobs));
            return server;
        } catch (RuntimeException e) {
            if (management != null) management.stop();
            observability.close();
            if (guard != null) guard.close();
            if (revocations != null) revocations.close();
            storage.close();
            throw e;
        }
    }

    /** The listener could not be opened: the port is taken, or the host is not this machine's. */
    public static final class ListenException extends RuntimeException {
        ListenException(String host, int port) {
            super("cannot listen on " + host + ":" + port + ": the port is in use by another program or the address "
                    + "is not this machine's; stop the other program, or set PARLEY_PORT (and PARLEY_HOST) to a free one");
        }
    }

    /** The HTTP services, built once from the configuration. */
    record Services(io.helidon.webserver.http.Filter connections, AccessFilter access, ChatKitService chatKit, HttpService session, AttachmentService attachments,
            HealthService health, WidgetService widget, AdminService admin, KnowledgeService knowledge,
            dev.parley.web.leads.LeadsService leads, ServerApiService serverApi, ConsoleService console,
            java.util.Optional<io.helidon.webserver.http.Filter> observe, ReadinessService ready,
            java.util.Optional<MetricsService> metrics) {}

    /** {@code /metrics} on the main port answers the admin token only, and says how to reach it when there is none. */
    private static void metricsGuard(AdminAuth adminAuth, io.helidon.webserver.http.ServerRequest req) {
        if (adminAuth.sessions() == null) {
            throw new HttpError(403, "metrics_protected", "/metrics needs PARLEY_ADMIN_TOKEN (then send it as "
                    + "Authorization: Bearer), or PARLEY_METRICS_PORT to serve it on a management port of its own");
        }
        adminAuth.check(req);
    }

    /** The management port: {@code /metrics} alone, with no token; keep it reachable by Prometheus only. */
    private static WebServer managementServer(String host, int port, MetricsService metrics) {
        return WebServer.builder().host(host).port(port).shutdownHook(false)
                .routing(routing -> routing.register(metrics)
                        .any((req, res) -> {
                            throw HttpError.notFound("The management port serves " + MetricsService.PATH + " only");
                        })
                        .error(Exception.class, new ErrorResponses()))
                .build().start();
    }

    /** Mounts every route; kept separate (as in Helidon's examples) so it reads as the server's table of contents. */
    static void routing(HttpRouting.Builder routing, Services services) {
        routing.addFilter(services.connections());
        // Before the access filter, so refusals (403, 429) are counted, traced and logged too.
        services.observe().ifPresent(routing::addFilter);
        services.metrics().ifPresent(routing::register);
        routing.addFilter(services.access())
                .register(services.ready())
                .register(services.chatKit())
                .register(services.session())
                .register(services.attachments())
                .register(services.health())
                // Before the admin service: its catch-all token check would otherwise answer these routes first.
                .register(services.knowledge())
                .register(services.leads())
                .register(services.admin())
                .register(services.serverApi())
                .register(services.widget())
                .register(services.console())
                .any((req, res) -> {
                    throw HttpError.notFound("No route for " + req.prologue().method().text() + " " + req.path().path());
                })
                .error(Exception.class, new ErrorResponses());
    }

    /** {@return the port the server listens on (the chosen one when configured with 0)} */
    public int port() {
        return web.port();
    }

    /** {@return the management port serving {@code /metrics}, or -1 when {@code /metrics} is on the main port or off} */
    public int metricsPort() {
        return management == null ? -1 : management.port();
    }

    /** {@return the URL to reach this server locally, such as {@code http://localhost:8080}} */
    public URI baseUri() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "localhost";
        else if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port());
    }

    /** {@return the configuration the server runs with} */
    public ParleyConfig config() {
        return config;
    }

    /** {@return the chat store (shared with the server; do not close it)} */
    public Store store() {
        return storage.threads();
    }

    /** {@return all of the server's storage (shared with the server; do not close it)} */
    public Storage storage() {
        return storage;
    }

    /** {@return the listener's settings as Helidon applies them; lets tests check TCP_NODELAY} */
    ListenerConfig listenerConfig() {
        return web.prototype();
    }

    /** Stops accepting requests, waits for running ones, then closes the store. Safe to call twice. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) return;
        try {
            web.stop();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Stopping the HTTP server failed", e);
        } finally {
            for (AutoCloseable task : background) {
                try {
                    task.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "Stopping " + task + " failed", e);
                }
            }
            guard.close();
            revocations.close();
            storage.close();
        }
    }

    @Override
    public String toString() {
        return "ParleyServer[" + baseUri() + ", data in " + config.dataDir() + "]";
    }
}
