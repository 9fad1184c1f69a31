package dev.parley.store.postgres;

import dev.parley.store.jdbc.Columns;
import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.Feedback;
import dev.parley.store.IdGenerator;
import dev.parley.store.NotFoundException;
import dev.parley.store.Store;
import dev.parley.store.StoreException;
import dev.parley.store.SessionStore;
import dev.parley.store.WorkflowStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * A {@link Store} on PostgreSQL, for several Parley servers sharing one database: a HikariCP pool, Flyway
 * migrations from {@code db/postgresql}, and short transactions. It keeps the SQLite store's semantics
 * exactly, and both run the same contract tests.
 *
 * <pre>{@code
 * try (Store store = PostgresStore.open("jdbc:postgresql://db.internal:5432/parley?user=parley&password=…")) {
 *     store.saveThread(userId, ThreadMetadata.create(store.ids().newId(IdKind.THREAD), ChatKitJson.now()));
 * }
 * }</pre>
 *
 * <p>Paging: lists sort by creation time, then insertion order (one database-wide sequence, so servers never
 * hand out the same position). An {@code after} id that the list does not contain starts from the beginning. A
 * {@code limit} of zero or less means {@link Store#DEFAULT_LIMIT}; above {@link #MAX_LIMIT} it is capped. A null
 * order means {@link Order#DESC}.
 *
 * <p>Durability: every write returns after PostgreSQL committed it, which with the default
 * {@code synchronous_commit = on} means it is flushed to the write-ahead log.
 *
 * <p>Failures: {@link NotFoundException} as documented on {@link Store}, and also when saving a thread or
 * attachment whose id another user already has; {@link StoreException} when the database fails or
 * {@link #addItem} finds the item id taken; {@link IllegalArgumentException} for a record without a
 * {@code created_at}; {@link IllegalStateException} once closed.
 */
public final class PostgresStore implements Store {
    /** The largest page a single call returns. */
    public static final int MAX_LIMIT = 10_000;
    /** Connections each server keeps at most; N servers need N times this in {@code max_connections}. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private static final PageQueries THREAD_PAGES = new PageQueries("SELECT json FROM threads WHERE user_id = ?");
    private static final PageQueries ITEM_PAGES =
            new PageQueries("SELECT json FROM items WHERE thread_id = ? AND user_id = ?");
    private static final String OWNS_THREAD = "SELECT 1 FROM threads WHERE id = ? AND user_id = ?";

    // The ownership check is part of the insert, so the common case is one statement; only when nothing was
    // inserted does a second query tell a foreign thread from a taken id. seq comes from its column default.
    private static final String INSERT_ITEM = "INSERT INTO items (id, thread_id, user_id, created_at, type, json) "
            + "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?) ";
    // A thread keeps its creation time and list position: only the JSON changes, and only for its owner.
    private static final String UPSERT_THREAD = "INSERT INTO threads (id, user_id, created_at, json) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET json = excluded.json WHERE threads.user_id = excluded.user_id";

    private final Database db;
    private final IdGenerator ids;
    private final WorkflowStore workflows;
    private final SessionStore sessions;
    private volatile boolean closed;

    private PostgresStore(Database db, IdGenerator ids) {
        this.db = db;
        this.ids = ids;
        this.workflows = new PostgresWorkflowStore(db, this::checkOpen);
        this.sessions = new PostgresSessionStore(db, this::checkOpen);
    }

    /** Opens the database with the default id generator and pool size, migrating it if needed. */
    public static PostgresStore open(String jdbcUrl) {
        return open(jdbcUrl, IdGenerator.random(), DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the database, migrating it to the current schema first. Servers starting together are safe:
     * Flyway holds a database lock while it migrates, and the others wait for it.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://host:port/database?user=…&password=…}
     * @param poolSize the most connections this store opens
     * @throws StoreException if the URL is malformed, the database cannot be reached or logged into, is not
     *                        UTF-8, or cannot be migrated; the message never contains the password
     */
    public static PostgresStore open(String jdbcUrl, IdGenerator ids, int poolSize) {
        Objects.requireNonNull(ids, "ids");
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        Database db = Database.open(jdbcUrl, poolSize);
        try {
            String encoding = db.call(c -> Database.one(c, "SHOW server_encoding", rs -> rs.getString(1))).orElse("?");
            if (!encoding.equalsIgnoreCase("UTF8")) {
                throw new StoreException("The PostgreSQL database " + db.name() + " uses the " + encoding
                        + " encoding; Parley stores any Unicode text and needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' "
                        + "TEMPLATE template0)");
            }
            Flyway.configure(PostgresStore.class.getClassLoader())
                    .dataSource(db.pool())
                    .locations("classpath:db/postgresql")
                    .failOnMissingLocations(true)
                    // During a rolling upgrade a server of the previous release may restart after a newer one
                    // migrated the schema; it must start rather than refuse the newer migrations it does not know.
                    .ignoreMigrationPatterns("*:future")
                    .load()
                    .migrate();
            return new PostgresStore(db, ids);
        } catch (RuntimeException e) {
            db.close();
            if (e instanceof StoreException) throw e;
            throw new StoreException("Cannot migrate the PostgreSQL database " + db.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public IdGenerator ids() {
        return ids;
    }

    /** {@return the cancelled sessions, in the same database}; closed with this store */
    @Override
    public SessionStore sessions() {
        return sessions;
    }

    /** {@return the workflow store on the same database and pool}; it is closed with this store */
    @Override
    public WorkflowStore workflows() {
        return workflows;
    }

    // ---- threads -------------------------------------------------------------------------------------

    @Override
    public ThreadMetadata loadThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> Database.one(c, "SELECT json FROM threads WHERE id = ? AND user_id = ?", PostgresStore::json,
                        threadId, userId))
                .map(json -> ChatKitJson.readStorage(json, ThreadMetadata.class))
                .orElseThrow(() -> NotFoundException.thread(threadId));
    }

    /**
     * {@inheritDoc} A thread keeps the list position of its first save.
     *
     * @throws NotFoundException if another user has a thread with this id
     */
    @Override
    public void saveThread(String userId, ThreadMetadata thread) {
        Objects.requireNonNull(userId, "userId");
        String id = Objects.requireNonNull(thread.id(), "thread.id");
        long createdAt = Columns.micros(thread.createdAt(), "thread " + id);
        String json = ChatKitJson.writeStorage(thread);
        call(c -> {
            if (Database.update(c, UPSERT_THREAD, id, userId, createdAt, json) == 0) throw NotFoundException.thread(id);
            return null;
        });
    }

    /** {@inheritDoc} Both rows are written in one transaction: a taken item id rolls back the thread too. */
    @Override
    public void createThread(String userId, ThreadMetadata thread, ThreadItem firstItem) {
        Objects.requireNonNull(userId, "userId");
        String id = Objects.requireNonNull(thread.id(), "thread.id");
        if (!id.equals(firstItem.threadId())) {
            throw new IllegalArgumentException("Item " + firstItem.id() + " names thread " + firstItem.threadId()
                    + ", not " + id);
        }
        long createdAt = Columns.micros(thread.createdAt(), "thread " + id);
        String json = ChatKitJson.writeStorage(thread);
        Rows.Item row = Rows.Item.of(firstItem);
        transaction(c -> {
            if (Database.update(c, UPSERT_THREAD, id, userId, createdAt, json) == 0) throw NotFoundException.thread(id);
            if (insertItem(c, userId, row) == 0) {
                throw new StoreException("Item " + row.id() + " already exists in thread " + id);
            }
            return null;
        });
    }

    @Override
    public int countThreads(String userId) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> Database.one(c, "SELECT COUNT(*) FROM threads WHERE user_id = ?", rs -> rs.getInt(1), userId))
                .orElse(0);
    }

    @Override
    public Page<ThreadMetadata> loadThreads(String userId, int limit, String after, Order order) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> {
            Optional<long[]> cursor = after == null ? Optional.empty() : Database.one(c,
                    "SELECT created_at, seq FROM threads WHERE id = ? AND user_id = ?", PostgresStore::cursor,
                    after, userId);
            return page(c, THREAD_PAGES, new Object[] {userId}, cursor, limit, order, ThreadMetadata.class,
                    ThreadMetadata::id);
        });
    }

    /**
     * Deletes the thread, its items and its feedback (the foreign keys cascade, in the same statement).
     * Attachment metadata that names the thread is kept, as on SQLite: its bytes are only found through it.
     */
    @Override
    public void deleteThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        call(c -> {
            if (Database.update(c, "DELETE FROM threads WHERE id = ? AND user_id = ?", threadId, userId) == 0) {
                throw NotFoundException.thread(threadId);
            }
            return null;
        });
    }

    // ---- items ---------------------------------------------------------------------------------------

    @Override
    public Page<ThreadItem> loadItems(String userId, String threadId, String after, int limit, Order order) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> {
            Optional<long[]> cursor = after == null ? Optional.empty() : Database.one(c,
                    "SELECT created_at, seq FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    PostgresStore::cursor, threadId, after, userId);
            Page<ThreadItem> page = page(c, ITEM_PAGES, new Object[] {threadId, userId}, cursor, limit, order,
                    ThreadItem.class, ThreadItem::id);
            // Rows found are the user's own (the query filters on both), so only an empty page needs the check,
            // and the usual call costs one round trip.
            if (page.data().isEmpty() && !Database.exists(c, OWNS_THREAD, threadId, userId)) {
                throw NotFoundException.thread(threadId);
            }
            return page;
        });
    }

    /** @throws StoreException if the thread already has an item with this id */
    @Override
    public void addItem(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        Rows.Item row = Rows.Item.of(item);
        call(c -> {
            if (insertItem(c, userId, row) == 0) {
                if (!Database.exists(c, OWNS_THREAD, row.threadId(), userId)) throw NotFoundException.thread(row.threadId());
                throw new StoreException("Item " + row.id() + " already exists in thread " + row.threadId());
            }
            return null;
        });
    }

    private static int insertItem(Connection c, String userId, Rows.Item row) throws SQLException {
        return Database.update(c, INSERT_ITEM + "ON CONFLICT (thread_id, id) DO NOTHING",
                row.id(), row.threadId(), userId, row.createdAt(), row.type(), row.json(), row.threadId(), userId);
    }

    @Override
    public void saveItem(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        Rows.Item row = Rows.Item.of(item);
        // Only type and json change on conflict: created_at and seq stay, so a replaced item keeps its place.
        call(c -> {
            int n = Database.update(c, INSERT_ITEM + "ON CONFLICT (thread_id, id) DO UPDATE SET "
                            + "type = excluded.type, json = excluded.json WHERE items.user_id = excluded.user_id",
                    row.id(), row.threadId(), userId, row.createdAt(), row.type(), row.json(), row.threadId(), userId);
            // Zero rows can only mean the thread is not the user's: the row's thread is, and it is theirs.
            if (n == 0) throw NotFoundException.thread(row.threadId());
            return null;
        });
    }

    @Override
    public ThreadItem loadItem(String userId, String threadId, String itemId) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> {
            Optional<String> json = Database.one(c, "SELECT json FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    PostgresStore::json, threadId, itemId, userId);
            if (json.isPresent()) return ChatKitJson.readStorage(json.get(), ThreadItem.class);
            throw Database.exists(c, OWNS_THREAD, threadId, userId)
                    ? NotFoundException.item(itemId) : NotFoundException.thread(threadId);
        });
    }

    @Override
    public void deleteItems(String userId, String threadId, List<String> itemIds) {
        Objects.requireNonNull(userId, "userId");
        String[] idArray = List.copyOf(itemIds).toArray(String[]::new);
        call(c -> {
            if (!Database.exists(c, OWNS_THREAD, threadId, userId)) throw NotFoundException.thread(threadId);
            // One statement with an array parameter, whatever the number of ids.
            try (var ps = c.prepareStatement("DELETE FROM items WHERE thread_id = ? AND user_id = ? AND id = ANY (?)")) {
                ps.setString(1, threadId);
                ps.setString(2, userId);
                ps.setArray(3, c.createArrayOf("text", idArray));
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- attachments ---------------------------------------------------------------------------------

    /** @throws NotFoundException if another user has an attachment with this id */
    @Override
    public void saveAttachment(String userId, Attachment attachment) {
        Objects.requireNonNull(userId, "userId");
        String id = Objects.requireNonNull(attachment.id(), "attachment.id");
        String json = ChatKitJson.writeStorage(attachment);
        call(c -> {
            int n = Database.update(c, "INSERT INTO attachments (id, user_id, thread_id, json) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET thread_id = excluded.thread_id, json = excluded.json "
                    + "WHERE attachments.user_id = excluded.user_id", id, userId, attachment.threadId(), json);
            if (n == 0) throw NotFoundException.attachment(id);
            return null;
        });
    }

    @Override
    public Attachment loadAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> Database.one(c, "SELECT json FROM attachments WHERE id = ? AND user_id = ?", PostgresStore::json,
                        attachmentId, userId))
                .map(json -> ChatKitJson.readStorage(json, Attachment.class))
                .orElseThrow(() -> NotFoundException.attachment(attachmentId));
    }

    @Override
    public void deleteAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        call(c -> {
            if (Database.update(c, "DELETE FROM attachments WHERE id = ? AND user_id = ?", attachmentId, userId) == 0) {
                throw NotFoundException.attachment(attachmentId);
            }
            return null;
        });
    }

    // ---- feedback ------------------------------------------------------------------------------------

    /** {@inheritDoc} A null {@code createdAt} is stamped with the current time. */
    @Override
    public void addFeedback(String userId, Feedback feedback) {
        Objects.requireNonNull(userId, "userId");
        String threadId = Objects.requireNonNull(feedback.threadId(), "feedback.threadId");
        String kind = Objects.requireNonNull(feedback.kind(), "feedback.kind");
        long createdAt = Columns.micros(feedback.createdAt() == null ? ChatKitJson.now() : feedback.createdAt(), "feedback");
        String itemIds = Columns.idList(feedback.itemIds());
        call(c -> {
            int n = Database.update(c, "INSERT INTO feedback (thread_id, user_id, item_ids, kind, created_at) "
                    + "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?)",
                    threadId, userId, itemIds, kind, createdAt, threadId, userId);
            if (n == 0) throw NotFoundException.thread(threadId);
            return null;
        });
    }

    /**
     * {@return the thread's feedback, oldest first}
     *
     * @throws NotFoundException if the user has no such thread
     */
    @Override
    public List<Feedback> loadFeedback(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        return call(c -> {
            if (!Database.exists(c, OWNS_THREAD, threadId, userId)) throw NotFoundException.thread(threadId);
            return Database.list(c, "SELECT item_ids, kind, created_at FROM feedback WHERE thread_id = ? AND user_id = ? "
                            + "ORDER BY created_at, id",
                    rs -> new Feedback(threadId, Columns.idList(rs.getString(1)), rs.getString(2),
                            Columns.instant(rs.getLong(3))),
                    threadId, userId);
        });
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /** Closes the pool after the calls in progress return their connections. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        db.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + db.name() + "]";
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("The store " + db.name() + " is closed");
    }

    private <T> T call(Database.Work<T> work) {
        checkOpen();
        return db.call(work);
    }

    private <T> T transaction(Database.Work<T> work) {
        checkOpen();
        return db.transaction(work);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static <T> Page<T> page(Connection c, PageQueries queries, Object[] scope, Optional<long[]> cursor,
            int limit, Order order, Class<T> type, Function<T, String> idOf) throws SQLException {
        int size = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
        boolean asc = order == Order.ASC;
        Object[] args = new Object[scope.length + (cursor.isPresent() ? 3 : 1)];
        System.arraycopy(scope, 0, args, 0, scope.length);
        if (cursor.isPresent()) {
            args[scope.length] = cursor.get()[0];
            args[scope.length + 1] = cursor.get()[1];
        }
        args[args.length - 1] = size + 1;
        List<T> rows = Database.list(c, queries.sql(asc, cursor.isPresent()),
                rs -> ChatKitJson.readStorage(rs.getString(1), type), args);
        boolean hasMore = rows.size() > size;
        if (hasMore) rows.subList(size, rows.size()).clear();
        return new Page<>(rows, hasMore, hasMore ? idOf.apply(rows.getLast()) : null);
    }

    private static String json(java.sql.ResultSet rs) throws SQLException {
        return rs.getString(1);
    }

    private static long[] cursor(java.sql.ResultSet rs) throws SQLException {
        return new long[] {rs.getLong(1), rs.getLong(2)};
    }

    /** The four forms of one list query: ascending or descending, from the start or after a cursor. */
    private static final class PageQueries {
        private final String[] sql = new String[4];

        PageQueries(String base) {
            for (int i = 0; i < 4; i++) {
                boolean asc = (i & 1) != 0;
                boolean after = (i & 2) != 0;
                String dir = asc ? "ASC" : "DESC";
                // A row comparison is strictly after the cursor in list order, and can use the
                // (scope, created_at, seq) index as a range.
                sql[i] = base + (after ? " AND (created_at, seq) " + (asc ? ">" : "<") + " (?, ?)" : "")
                        + " ORDER BY created_at " + dir + ", seq " + dir + " LIMIT ?";
            }
        }

        String sql(boolean asc, boolean after) {
            return sql[(asc ? 1 : 0) | (after ? 2 : 0)];
        }
    }
}
