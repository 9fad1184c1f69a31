package dev.parley.store;

import java.util.Objects;

/**
 * Everything Parley keeps, opened together on one database: the chat data ({@link Store}), workflow versions,
 * run state and traces ({@link WorkflowStore}), the operator's read-only view across users
 * ({@link ConversationStore}), cancelled sessions ({@link SessionStore}) and the id generator.
 * The server's wiring opens one and closes it; each part is handed to the code that needs only that part.
 */
public final class Storage implements AutoCloseable {
    private final Store threads;
    private final WorkflowStore workflows;
    private final SessionStore sessions;
    private final ConversationStore conversations;
    private final EvalStore evals;
    private final LeadStore leads;
    private final AutoCloseable database;
    private final String description;

    /**
     * @param database    what {@link #close()} closes: the connections all three parts run on
     * @param description which database this is, for the operator (never with a password)
     */
    public Storage(Store threads, WorkflowStore workflows, SessionStore sessions, ConversationStore conversations,
            AutoCloseable database, String description) {
        this(threads, workflows, sessions, conversations, null, null, database, description);
    }

    /**
     * @param evals eval datasets, runs and gate overrides, or null where the database keeps none
     * @param leads contact details visitors left, or null where the database keeps none
     */
    public Storage(Store threads, WorkflowStore workflows, SessionStore sessions, ConversationStore conversations,
            EvalStore evals, LeadStore leads, AutoCloseable database, String description) {
        this.evals = evals;
        this.leads = leads;
        this.threads = Objects.requireNonNull(threads, "threads");
        this.workflows = Objects.requireNonNull(workflows, "workflows");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.conversations = Objects.requireNonNull(conversations, "conversations");
        this.database = Objects.requireNonNull(database, "database");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** {@return which database this is, such as {@code SQLite /srv/parley/data/parley.db}}; never has a password */
    public String description() {
        return description;
    }

    /** {@return threads, items, attachments and feedback, per user} */
    public Store threads() {
        return threads;
    }

    /** {@return published workflow versions, run state and traces} */
    public WorkflowStore workflows() {
        return workflows;
    }

    /** {@return the cancelled client-secret sessions} */
    public SessionStore sessions() {
        return sessions;
    }

    /** {@return threads of every user, read only: for the admin API alone} */
    public ConversationStore conversations() {
        return conversations;
    }

    /** {@return eval datasets, eval runs and the publishes that overrode a failed eval gate} */
    public EvalStore evals() {
        if (evals == null) throw new IllegalStateException("This storage keeps no evals");
        return evals;
    }

    /** {@return contact details visitors left, across users: for the admin API alone} */
    public LeadStore leads() {
        if (leads == null) throw new IllegalStateException("This storage keeps no leads");
        return leads;
    }

    /** {@return the id generator for new records} */
    public IdGenerator ids() {
        return threads.ids();
    }

    /**
     * Closes the database once the work in progress is done; later calls on any part fail. Idempotent.
     *
     * @throws StoreException if closing fails
     */
    @Override
    public void close() {
        try {
            database.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException("Closing the store failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Storage[" + description + "]";
    }
}
