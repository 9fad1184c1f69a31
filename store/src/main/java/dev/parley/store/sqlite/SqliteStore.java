package dev.parley.store.sqlite;

import dev.parley.store.jdbc.Columns;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The default {@link Store}: one SQLite file in WAL mode, migrated by Flyway, written through a single
 * group-committing writer and read through a small pool of read-only connections.
 *
 * <p>Paging: lists sort by creation time, then insertion order. An {@code after} id that the list does not
 * contain (deleted meanwhile, another thread's or user's, or made up) starts from the beginning, as if none
 * were given. A {@code limit} of zero or less means {@link Store#DEFAULT_LIMIT}; above {@link #MAX_LIMIT}
 * it is capped (the page then says {@code has_more}). A null order means {@link Order#DESC}.
 *
 * <p>Failures: {@link NotFoundException} as documented on {@link Store}, and also when saving a thread or
 * attachment whose id another user already has; {@link StoreException} when the database fails or
 * {@link #addItem} finds the item id taken; {@link IllegalArgumentException} for a record without a
 * {@code created_at}; {@link IllegalStateException} once closed.
 */
public final class SqliteStore implements Store {
    /** The largest page a single call returns. */
    public static final int MAX_LIMIT = 10_000;

    private static final int READ_CONNECTIONS = 4;
    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final PageQueries THREAD_PAGES = new PageQueries("SELECT json FROM threads WHERE user_id = ?");
    private static final PageQueries ITEM_PAGES =
            new PageQueries("SELECT json FROM items WHERE thread_id = ? AND user_id = ?");
    private static final String OWNS_THREAD = "SELECT 1 FROM threads WHERE id = ? AND user_id = ?";

    private final String name;
    private final IdGenerator ids;
    private final GroupCommitWriter writer;
    private final Checkpointer checkpointer;
    private final ReadPool reads;
    private final WorkflowStore workflows;
    private final SessionStore sessions;
    private volatile boolean closed;

    private SqliteStore(String name, IdGenerator ids, GroupCommitWriter writer, Checkpointer checkpointer,
            ReadPool reads) {
        this.name = name;
        this.ids = ids;
        this.writer = writer;
        this.checkpointer = checkpointer;
        this.reads = reads;
        this.workflows = new SqliteWorkflowStore(writer, reads);
        this.sessions = new SqliteSessionStore(writer, reads);
    }

    /** Opens (creating and migrating if needed) the database file, with the default id generator. */
    public static SqliteStore open(Path databaseFile) {
        return open(databaseFile, IdGenerator.random());
    }

    /**
     * Opens (creating and migrating if needed) the database file.
     *
     * @throws StoreException if the file cannot be opened or migrated
     */
    public static SqliteStore open(Path databaseFile, IdGenerator ids) {
        Objects.requireNonNull(ids, "ids");
        Path file = databaseFile.toAbsolutePath();
        String name = file.toString();
        var opened = new ArrayList<AutoCloseable>();
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            SQLiteDataSource source = dataSource("jdbc:sqlite:" + file);
            Flyway.configure(SqliteStore.class.getClassLoader())
                    .dataSource(source)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();

            Connection checkpointConnection = source.getConnection();
            opened.add(checkpointConnection);
            var checkpointer = new Checkpointer(checkpointConnection, name);
            opened.set(0, checkpointer);

            Connection writeConnection = source.getConnection();
            opened.add(writeConnection);
            try (var s = writeConnection.createStatement()) {
                // The checkpointer does this work off the writer's thread; SQLite's own checkpoint-on-commit
                // stays only as a backstop in case it ever falls behind.
                s.execute("PRAGMA wal_autocheckpoint = " + 4 * Checkpointer.REWIND_FRAMES);
            }
            var writer = new GroupCommitWriter(writeConnection, lastSeq(writeConnection), name, checkpointer::afterCommit);
            opened.set(1, writer);

            var reads = new ReadPool(source, READ_CONNECTIONS, name);
            return new SqliteStore(name, ids, writer, checkpointer, reads);
        } catch (IOException | SQLException | RuntimeException e) {
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException("Cannot open the SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteDataSource dataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL lets the read pool run while the writer commits. With WAL, synchronous=NORMAL syncs only at
        // checkpoints, not at every commit: a committed transaction is in the WAL file (in the OS page cache)
        // before COMMIT returns, so killing the process loses nothing; only an OS crash or power cut can
        // roll back the last commits, and the database stays consistent either way.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // Readers and the writer never wait on each other in WAL mode; this covers the rare exceptions
        // (WAL recovery after a crash, the WAL being rewound, another process using the same file).
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // After a burst the WAL file is cut back to this size when it is next rewound, rather than keeping
        // its high-water mark on disk forever.
        config.setJournalSizeLimit(64 << 20);
        config.enforceForeignKeys(true);
        var source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    private static long lastSeq(Connection c) throws SQLException {
        try (var ps = c.prepareStatement("SELECT COALESCE(MAX(s), 0) FROM ("
                        + "SELECT MAX(seq) AS s FROM threads UNION ALL SELECT MAX(seq) FROM items "
                        + "UNION ALL SELECT MAX(id) FROM feedback) AS m");
                var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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

    /**
     * {@return the workflow store on the same file}, sharing this store's writer and readers, so a turn's run
     * state and trace are committed in the same batches as its items; it is closed with this store
     */
    @Override
    public WorkflowStore workflows() {
        return workflows;
    }

    // ---- threads -------------------------------------------------------------------------------------

    @Override
    public ThreadMetadata loadThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> r.one("SELECT json FROM threads WHERE id = ? AND user_id = ?", SqliteStore::json,
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
        write(tx -> {
            upsertThread(tx, userId, id, createdAt, json);
            return null;
        });
    }

    /**
     * {@inheritDoc} Both rows go into one operation of the group commit, so a new conversation waits for
     * one commit instead of two; the thread is written first, so a failure of the item (its id taken) can
     * only happen for a thread that already existed, and then nothing has changed.
     */
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
        ItemRow row = ItemRow.of(firstItem);
        write(tx -> {
            // A taken item id must fail before anything is written (see GroupCommitWriter.Op), so it is
            // checked first; on a brand-new thread this is one index probe that finds nothing.
            PreparedStatement taken = tx.prepare("SELECT 1 FROM items WHERE thread_id = ? AND id = ?");
            bind(taken, id, row.id());
            try (ResultSet rs = taken.executeQuery()) {
                if (rs.next()) throw new StoreException("Item " + row.id() + " already exists in thread " + id);
            }
            upsertThread(tx, userId, id, createdAt, json);
            PreparedStatement ps = tx.prepare(INSERT_ITEM + "ON CONFLICT (thread_id, id) DO NOTHING");
            row.bind(ps, userId, tx.nextSeq());
            if (ps.executeUpdate() == 0) throw new IllegalStateException("Item " + row.id() + " was not inserted");
            return null;
        });
    }

    /** Inserts or replaces a thread row; its creation time and list position never change. */
    private static void upsertThread(GroupCommitWriter.Tx tx, String userId, String id, long createdAt, String json)
            throws SQLException {
        PreparedStatement ps = tx.prepare("INSERT INTO threads (id, user_id, created_at, seq, json) "
                + "VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET json = excluded.json WHERE threads.user_id = excluded.user_id");
        bind(ps, id, userId, createdAt, tx.nextSeq(), json);
        if (ps.executeUpdate() == 0) throw NotFoundException.thread(id);
    }

    @Override
    public int countThreads(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> r.one("SELECT COUNT(*) FROM threads WHERE user_id = ?", rs -> rs.getInt(1), userId)).orElse(0);
    }

    @Override
    public Page<ThreadMetadata> loadThreads(String userId, int limit, String after, Order order) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> {
            Optional<long[]> cursor = after == null ? Optional.empty() : r.one(
                    "SELECT created_at, seq FROM threads WHERE id = ? AND user_id = ?", SqliteStore::cursor,
                    after, userId);
            return page(r, THREAD_PAGES, new Object[] {userId}, cursor, limit, order, ThreadMetadata.class,
                    ThreadMetadata::id);
        });
    }

    /**
     * Deletes the thread, its items and its feedback. Attachment metadata that names the thread is kept as
     * it is: the bytes live in a {@code BlobStore} that only learns their ids from this metadata, so
     * dropping it here would orphan them, while {@code attachments.delete} still finds and removes both.
     */
    @Override
    public void deleteThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        write(tx -> {
            requireThread(tx, userId, threadId);
            // Explicit deletes rather than ON DELETE CASCADE, which SQLite honours only on connections that
            // enabled foreign keys; a failure after the first delete rolls back the whole batch (see
            // GroupCommitWriter), so the thread is never left half deleted.
            for (String sql : List.of(
                    "DELETE FROM feedback WHERE thread_id = ? AND user_id = ?",
                    "DELETE FROM items WHERE thread_id = ? AND user_id = ?",
                    "DELETE FROM threads WHERE id = ? AND user_id = ?")) {
                PreparedStatement ps = tx.prepare(sql);
                bind(ps, threadId, userId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- items ---------------------------------------------------------------------------------------

    @Override
    public Page<ThreadItem> loadItems(String userId, String threadId, String after, int limit, Order order) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> {
            if (!r.exists(OWNS_THREAD, threadId, userId)) throw NotFoundException.thread(threadId);
            Optional<long[]> cursor = after == null ? Optional.empty() : r.one(
                    "SELECT created_at, seq FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    SqliteStore::cursor, threadId, after, userId);
            return page(r, ITEM_PAGES, new Object[] {threadId, userId}, cursor, limit, order, ThreadItem.class,
                    ThreadItem::id);
        });
    }

    // The ownership check is part of the insert, so the common case is one statement; only when nothing
    // was inserted does a second query tell a foreign thread from a taken id.
    private static final String INSERT_ITEM = "INSERT INTO items (id, thread_id, user_id, created_at, seq, type, json) "
            + "SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?) ";

    /** @throws StoreException if the thread already has an item with this id */
    @Override
    public void addItem(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        ItemRow row = ItemRow.of(item);
        write(tx -> {
            PreparedStatement ps = tx.prepare(INSERT_ITEM + "ON CONFLICT (thread_id, id) DO NOTHING");
            row.bind(ps, userId, tx.nextSeq());
            if (ps.executeUpdate() == 0) {
                requireThread(tx, userId, row.threadId());
                throw new StoreException("Item " + row.id() + " already exists in thread " + row.threadId());
            }
            return null;
        });
    }

    @Override
    public void saveItem(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        ItemRow row = ItemRow.of(item);
        // Only type and json change on conflict: created_at and seq stay, so a replaced item keeps its place.
        write(tx -> {
            PreparedStatement ps = tx.prepare(INSERT_ITEM + "ON CONFLICT (thread_id, id) DO UPDATE SET "
                    + "type = excluded.type, json = excluded.json WHERE items.user_id = excluded.user_id");
            row.bind(ps, userId, tx.nextSeq());
            // Zero rows can only mean the thread is not the user's: the row's thread is, and it is theirs.
            if (ps.executeUpdate() == 0) throw NotFoundException.thread(row.threadId());
            return null;
        });
    }

    @Override
    public ThreadItem loadItem(String userId, String threadId, String itemId) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> {
            Optional<String> json = r.one("SELECT json FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    SqliteStore::json, threadId, itemId, userId);
            if (json.isPresent()) return ChatKitJson.readStorage(json.get(), ThreadItem.class);
            throw r.exists(OWNS_THREAD, threadId, userId) ? NotFoundException.item(itemId) : NotFoundException.thread(threadId);
        });
    }

    @Override
    public void deleteItems(String userId, String threadId, List<String> itemIds) {
        Objects.requireNonNull(userId, "userId");
        List<String> idList = List.copyOf(itemIds);
        write(tx -> {
            requireThread(tx, userId, threadId);
            // One cached statement per id rather than a variable-length IN list, which would prepare (and
            // cache) a new statement for every list length.
            PreparedStatement ps = tx.prepare("DELETE FROM items WHERE thread_id = ? AND id = ? AND user_id = ?");
            for (String id : idList) {
                bind(ps, threadId, id, userId);
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
        write(tx -> {
            PreparedStatement ps = tx.prepare("INSERT INTO attachments (id, user_id, thread_id, json) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET thread_id = excluded.thread_id, "
                    + "json = excluded.json WHERE attachments.user_id = excluded.user_id");
            bind(ps, id, userId, attachment.threadId(), json);
            if (ps.executeUpdate() == 0) throw NotFoundException.attachment(id);
            return null;
        });
    }

    @Override
    public Attachment loadAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        return read(r -> r.one("SELECT json FROM attachments WHERE id = ? AND user_id = ?", SqliteStore::json,
                        attachmentId, userId))
                .map(json -> ChatKitJson.readStorage(json, Attachment.class))
                .orElseThrow(() -> NotFoundException.attachment(attachmentId));
    }

    @Override
    public void deleteAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        write(tx -> {
            PreparedStatement ps = tx.prepare("DELETE FROM attachments WHERE id = ? AND user_id = ?");
            bind(ps, attachmentId, userId);
            if (ps.executeUpdate() == 0) throw NotFoundException.attachment(attachmentId);
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
        write(tx -> {
            PreparedStatement ps = tx.prepare("INSERT INTO feedback (id, thread_id, user_id, item_ids, kind, created_at) "
                    + "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?)");
            bind(ps, tx.nextSeq(), threadId, userId, itemIds, kind, createdAt, threadId, userId);
            if (ps.executeUpdate() == 0) throw NotFoundException.thread(threadId);
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
        return read(r -> {
            if (!r.exists(OWNS_THREAD, threadId, userId)) throw NotFoundException.thread(threadId);
            return r.list("SELECT item_ids, kind, created_at FROM feedback WHERE thread_id = ? AND user_id = ? "
                            + "ORDER BY created_at, id",
                    rs -> new Feedback(threadId, Columns.idList(rs.getString(1)), rs.getString(2), Columns.instant(rs.getLong(3))),
                    threadId, userId);
        });
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /** Commits every write already accepted, then closes the writer, checkpointer and read pool. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            writer.close();
        } finally {
            try {
                checkpointer.close();
            } finally {
                reads.close();
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + name + "]";
    }

    /** The writer, for tests in this package that observe group commits. */
    GroupCommitWriter writer() {
        return writer;
    }

    /** The checkpointer, for tests in this package. */
    Checkpointer checkpointer() {
        return checkpointer;
    }

    /** Runs a read on a pooled connection (package-private so tests can inspect the database). */
    <T> T read(ReadPool.Work<T> work) {
        if (closed) throw new IllegalStateException("The store " + name + " is closed");
        return reads.read(work);
    }

    private <T> T write(GroupCommitWriter.Op<T> op) {
        if (closed) throw new IllegalStateException("The store " + name + " is closed");
        return writer.write(op);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static void requireThread(GroupCommitWriter.Tx tx, String userId, String threadId) throws SQLException {
        PreparedStatement ps = tx.prepare(OWNS_THREAD);
        bind(ps, threadId, userId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw NotFoundException.thread(threadId);
        }
    }

    private static <T> Page<T> page(ReadPool.Reader r, PageQueries queries, Object[] scope, Optional<long[]> cursor,
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
        List<T> rows = r.list(queries.sql(asc, cursor.isPresent()), rs -> ChatKitJson.readStorage(rs.getString(1), type),
                args);
        boolean hasMore = rows.size() > size;
        if (hasMore) rows.subList(size, rows.size()).clear();
        return new Page<>(rows, hasMore, hasMore ? idOf.apply(rows.getLast()) : null);
    }

    private static String json(ResultSet rs) throws SQLException {
        return rs.getString(1);
    }

    private static long[] cursor(ResultSet rs) throws SQLException {
        return new long[] {rs.getLong(1), rs.getLong(2)};
    }

    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
    }

    /** The four forms of one list query: ascending or descending, from the start or after a cursor. */
    private static final class PageQueries {
        private final String[] sql = new String[4];

        PageQueries(String base) {
            for (int i = 0; i < 4; i++) {
                boolean asc = (i & 1) != 0;
                boolean after = (i & 2) != 0;
                String dir = asc ? "ASC" : "DESC";
                // Row values compare (created_at, seq) as a pair: strictly after the cursor in list order.
                sql[i] = base + (after ? " AND (created_at, seq) " + (asc ? ">" : "<") + " (?, ?)" : "")
                        + " ORDER BY created_at " + dir + ", seq " + dir + " LIMIT ?";
            }
        }

        String sql(boolean asc, boolean after) {
            return sql[(asc ? 1 : 0) | (after ? 2 : 0)];
        }
    }
}
