package dev.parley.embed;

import dev.parley.model.ModelProvider;
import dev.parley.model.embedded.EmbeddedProvider;
import dev.parley.model.embedded.KnowledgeBases;
import dev.parley.server.ChatKitServer;
import dev.parley.server.Limits;
import dev.parley.server.RequestContext;
import dev.parley.server.Responder;
import dev.parley.server.Result;
import dev.parley.store.IdGenerator;
import dev.parley.store.Storage;
import dev.parley.store.postgres.PostgresStore;
import dev.parley.store.sqlite.SqliteStore;
import dev.parley.workflow.engine.Toolbox;
import dev.parley.workflow.engine.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Parley inside a host application: a store, the workflow engine (or the host's own {@link Responder}) and the
 * ChatKit dispatcher, assembled from plain settings, with no HTTP server of its own. The host reads the request,
 * says who the user is, and writes the answer.
 *
 * <pre>{@code
 * Parley parley = Parley.builder().sqlite(Path.of("data/parley.db")).build();   // the seed workflow, offline
 * // in the host's handler for POST /chatkit:
 * switch (parley.process(body, RequestContext.of(userId))) {
 *     case Result.Json json -> send(200, "application/json", ChatKitJson.writeWire(json.body()));
 *     case Result.Stream stream -> stream.body().writeTo(new SseEventWriter(responseBody));   // text/event-stream
 * }
 * }</pre>
 *
 * <p>{@link #process} throws for a request it refuses before answering; {@link ErrorResponse#of} turns that into
 * the status and JSON body Parley's own server sends. A failure inside a streamed turn is an {@code error} event
 * in the stream, never an exception.
 *
 * <p>One instance serves every user and is safe to call from many threads at once; a streamed turn runs on the
 * thread that calls {@code writeTo}, so a host on virtual threads needs no pool of its own. Close it when the
 * application stops: it closes the store it opened (but never a host's {@link DataSource}).
 */
public final class Parley implements AutoCloseable {
    /** Workflow runs older than this were left behind by a stopped process; starting closes them. */
    private static final Duration LONGEST_RUN = Duration.ofHours(1);

    private final ChatKitServer chatKit;
    private final Storage storage;
    private final Workflows workflows;
    private final ModelProvider model;

    private Parley(ChatKitServer chatKit, Storage storage, Workflows workflows, ModelProvider model) {
        this.chatKit = chatKit;
        this.storage = storage;
        this.workflows = workflows;
        this.model = model;
    }

    /** {@return a builder; choose a store, everything else has a default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles one ChatKit request body for {@code context}'s user.
     *
     * @return a JSON answer, or a stream to write with {@link dev.parley.server.sse.SseEventWriter}
     * @throws dev.parley.protocol.InvalidRequestException for a body that cannot be understood (400)
     * @throws dev.parley.store.NotFoundException for a thread or item this user does not have (404)
     * @throws dev.parley.server.ChatKitException for any other refusal, with its status
     */
    public Result process(byte[] body, RequestContext context) {
        return chatKit.process(body, context);
    }

    /** {@return the dispatcher, for hosts that parse requests themselves} */
    public ChatKitServer chatKit() {
        return chatKit;
    }

    /** {@return everything Parley stores (owned by this instance: do not close it)} */
    public Storage storage() {
        return storage;
    }

    /** {@return the workflow engine, or null when a host's {@link Responder} answers instead} */
    public Workflows workflows() {
        return workflows;
    }

    /** {@return the model provider the workflows run on, or null when a host's {@link Responder} answers} */
    public ModelProvider model() {
        return model;
    }

    /** Closes the store (a host's {@link DataSource} stays open). Safe to call twice. */
    @Override
    public void close() {
        storage.close();
    }

    /** Collects the settings; {@link #build()} checks them and opens everything. */
    public static final class Builder {
        private Supplier<Storage> storage;
        private ModelProvider model;
        private Responder responder;
        private String workflowId = Workflows.SEED_ID;
        private Path workflowsDir;
        private Path knowledgeDir;
        private Path cacheDir;
        private Limits limits = Limits.DEFAULTS;
        private String serverId;

        private Builder() {}

        /** Keeps conversations in a SQLite file, created (with its folder) if missing. */
        public Builder sqlite(Path file) {
            Objects.requireNonNull(file, "file");
            this.storage = () -> {
                createParent(file);
                return SqliteStore.open(file).storage();
            };
            return this;
        }

        /**
         * Keeps conversations in a schema of the host's PostgreSQL database, created and migrated if needed (see
         * {@link PostgresStore#open(DataSource, String, IdGenerator)}); the data source stays the host's.
         *
         * @param schema a lower-case SQL name such as {@value PostgresStore#DEFAULT_SCHEMA}
         */
        public Builder postgres(DataSource dataSource, String schema) {
            Objects.requireNonNull(dataSource, "dataSource");
            this.storage = () -> PostgresStore.open(dataSource, schema, IdGenerator.timeOrdered()).storage();
            return this;
        }

        /** Uses storage the host opened; {@link Parley#close()} closes it. */
        public Builder storage(Storage storage) {
            Objects.requireNonNull(storage, "storage");
            this.storage = () -> storage;
            return this;
        }

        /**
         * The model the workflows run on; by default Parley's embedded provider, which needs no key or network
         * (MiniLM classification and answers quoted from the {@linkplain #knowledge knowledge bases}).
         */
        public Builder model(ModelProvider model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Answers every turn with the host's own responder instead of the workflow engine. */
        public Builder responder(Responder responder) {
            this.responder = Objects.requireNonNull(responder, "responder");
            return this;
        }

        /** The workflow that answers, by id; {@value Workflows#SEED_ID} (published on start) by default. */
        public Builder workflowId(String workflowId) {
            if (workflowId == null || workflowId.isBlank()) throw new IllegalArgumentException("workflowId is required");
            this.workflowId = workflowId;
            return this;
        }

        /** A folder of workflow JSON files, published on start when they changed. */
        public Builder workflowsDir(Path dir) {
            this.workflowsDir = dir;
            return this;
        }

        /**
         * A folder of knowledge bases for the embedded provider and the file-search tool (null, the default, for
         * the bundled sample), and where their embeddings are cached between starts (null: embed on every start).
         */
        public Builder knowledge(Path dir, Path cacheDir) {
            this.knowledgeDir = dir;
            this.cacheDir = cacheDir;
            return this;
        }

        /** What one user message may hold; {@link Limits#DEFAULTS} otherwise. */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * This process's lasting identity (the same across restarts), so that a restart closes the workflow runs it
         * left behind at once; without it they are closed by age.
         */
        public Builder serverId(String serverId) {
            this.serverId = serverId;
            return this;
        }

        /**
         * Opens the store, migrating it if needed, publishes the workflows, and returns a ready Parley.
         *
         * @throws IllegalStateException if no store was chosen
         * @throws dev.parley.store.StoreException if the store cannot be opened or migrated
         * @throws dev.parley.workflow.InvalidWorkflowException if a file of the workflows folder does not validate
         * @throws UncheckedIOException if a folder cannot be read or created
         */
        public Parley build() {
            if (storage == null) {
                throw new IllegalStateException("Choose where Parley keeps conversations: sqlite(Path), "
                        + "postgres(DataSource, schema) or storage(Storage)");
            }
            Storage opened = storage.get();
            try {
                if (responder != null) {
                    return new Parley(chatKit(opened, responder), opened, null, null);
                }
                KnowledgeBases knowledge = null;
                ModelProvider provider = model;
                if (provider == null) {
                    knowledge = KnowledgeBases.open(knowledgeDir, cacheDir);
                    provider = EmbeddedProvider.open(knowledge);
                } else if (knowledgeDir != null) {
                    knowledge = KnowledgeBases.open(knowledgeDir, cacheDir);
                }
                var toolbox = new Toolbox(provider, null, knowledge, null, null, null);
                var workflows = new Workflows(opened.workflows(), toolbox,
                        serverId != null ? serverId : Workflows.newServerId());
                workflows.closeInterrupted(workflows.serverId(), Instant.now().minus(LONGEST_RUN));
                if (workflowsDir != null) workflows.loadFolder(workflowsDir);
                if (workflowId.equals(Workflows.SEED_ID)) workflows.publishBundledSeed();
                return new Parley(chatKit(opened, workflows.responder(workflowId)), opened, workflows, provider);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }

        private ChatKitServer chatKit(Storage storage, Responder responder) {
            return ChatKitServer.builder().store(storage.threads()).responder(responder).limits(limits).build();
        }

        private static void createParent(Path file) {
            Path dir = file.toAbsolutePath().getParent();
            try {
                if (dir != null) Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the folder " + dir + " for the SQLite file", e);
            }
        }
    }
}
