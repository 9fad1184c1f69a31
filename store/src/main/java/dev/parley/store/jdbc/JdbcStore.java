package dev.parley.store.jdbc;

import dev.parley.protocol.Attachment;
import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.Feedback;
import dev.parley.store.IdGenerator;
import dev.parley.store.NotFoundException;
import dev.parley.store.PendingWrite;
import dev.parley.store.SessionStore;
import dev.parley.store.Storage;
import dev.parley.store.Store;
import dev.parley.store.StoreException;
import dev.parley.store.WorkflowStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Store} both SQL databases share: one schema, one set of statements, every query scoped to its
 * user. A backend supplies its {@link Transactions transaction model} and its {@link Dialect}, and adds only
 * opening the database.
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
public abstract class JdbcStore implements Store {
    /** The largest page a single call returns. */
    public static final int MAX_LIMIT = 10_000;

    /** Ids looked up per statement by {@link #knownAttachmentIds}: a fixed count, so one statement serves all. */
    private static final int ID_BATCH = 100;
    private static final String KNOWN_ATTACHMENTS =
            "SELECT id FROM attachments WHERE id IN (" + "?, ".repeat(ID_BATCH - 1) + "?)";
    private static final String STRAY = "thread_id IS NOT NULL "
            + "AND NOT EXISTS (SELECT 1 FROM threads WHERE threads.id = attachments.thread_id)";

    private static final PageQuery<ThreadMetadata> THREAD_PAGES = new PageQuery<>(
            "SELECT json FROM threads WHERE user_id = ?", ThreadMetadata.class, ThreadMetadata::id);
    private static final PageQuery<ThreadItem> ITEM_PAGES = new PageQuery<>(
            "SELECT json FROM items WHERE thread_id = ? AND user_id = ?", ThreadItem.class, ThreadItem::id);

    private final String name;
    private final GuardedTransactions tx;
    private final Dialect dialect;
    private final IdGenerator ids;
    private final WorkflowStore workflows;
    private final SessionStore sessions;
    private final Storage storage;
    private final Positions positions;
    private final String upsertThread;
    private final String insertItem;
    private final String replaceItem;
    private final String insertFeedback;

    /**
     * @param backend      the database's product name, such as {@code SQLite}
     * @param name         where the database is, for messages (never with a password)
     * @param transactions the backend's transaction model, closed with this store
     */
    protected JdbcStore(String backend, String name, Transactions transactions, Dialect dialect, IdGenerator ids) {
        this.name = name;
        this.tx = new GuardedTransactions(name, transactions);
        this.dialect = dialect;
        this.ids = Objects.requireNonNull(ids, "ids");
        this.workflows = new JdbcWorkflowStore(tx, dialect);
        this.sessions = new JdbcSessionStore(tx);
        this.storage = new Storage(this, workflows, sessions, new JdbcConversationStore(tx), new JdbcEvalStore(tx),
                new JdbcLeadStore(tx), this,
                backend + " " + name);
        this.positions = dialect.positions();
        // A thread keeps its creation time and list position: only the JSON changes, and only for its owner.
        this.upsertThread = "INSERT INTO threads (id, user_id, created_at, " + positions.column("seq") + "json) "
                + "VALUES (?, ?, ?, " + positions.placeholder() + "?) "
                + "ON CONFLICT (id) DO UPDATE SET json = excluded.json WHERE threads.user_id = excluded.user_id";
        // The ownership check is part of the insert, so the common case is one statement; only when nothing
        // was inserted does a second query tell a foreign thread from a taken id.
        String insert = "INSERT INTO items (id, thread_id, user_id, created_at, " + positions.column("seq")
                + "type, json) SELECT ?, ?, ?, ?, " + positions.placeholder() + "?, ? "
                + "WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?) ";
        this.insertItem = insert + "ON CONFLICT (thread_id, id) DO NOTHING";
        // Only type and json change on conflict: created_at and seq stay, so a replaced item keeps its place.
        this.replaceItem = insert + "ON CONFLICT (thread_id, id) DO UPDATE SET "
                + "type = excluded.type, json = excluded.json WHERE items.user_id = excluded.user_id";
        this.insertFeedback = "INSERT INTO feedback (" + positions.column("id")
                + "thread_id, user_id, item_ids, kind, created_at) SELECT " + positions.placeholder()
                + "?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE id = ? AND user_id = ?)";
    }

    @Override
    public IdGenerator ids() {
        return ids;
    }

    /**
     * {@return this database as Parley's whole storage}: this store, and the workflow and session stores on the
     * same connections, written and read the way this store is (on SQLite, a turn's run state and trace are
     * committed in the same batches as its items); closing it closes this store
     */
    public Storage storage() {
        return storage;
    }

    // ---- threads -------------------------------------------------------------------------------------

    @Override
    public ThreadMetadata loadThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        return readJson(ThreadMetadata.class, "SELECT json FROM threads WHERE id = ? AND user_id = ?", threadId, userId)
                .orElseThrow(() -> NotFoundException.thread(threadId));
    }

    /**
     * {@inheritDoc} A thread keeps the list position of its first save.
     *
     * @throws NotFoundException if another user has a thread with this id
     */
    @Override
    public void saveThread(String userId, ThreadMetadata thread) {
        tx.write(threadUpsert(userId, thread));
    }

    @Override
    public PendingWrite saveThreadBehind(String userId, ThreadMetadata thread) {
        return tx.writeBehind(threadUpsert(userId, thread));
    }

    /** The thread's row as a write; its JSON is made here, on the caller's thread, not the writer's. */
    private Work<Void> threadUpsert(String userId, ThreadMetadata thread) {
        Objects.requireNonNull(userId, "userId");
        String id = Objects.requireNonNull(thread.id(), "thread.id");
        long createdAt = Columns.micros(thread.createdAt(), "thread " + id);
        String json = ChatKitJson.writeStorage(thread);
        return q -> {
            upsertThread(q, userId, id, createdAt, json);
            return null;
        };
    }

    /**
     * {@inheritDoc} Both rows are written in one transaction (on SQLite, one operation of the group commit, so
     * a new conversation waits for one commit instead of two).
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
        boolean checkFirst = !tx.undoesRefusedWork();
        tx.atomically(q -> {
            // Where a refusal would not undo the thread, a taken item id must be found before anything is
            // written; on a brand-new thread this is one index probe that finds nothing. The thread is
            // written first, so its failure can only come before the item is touched.
            if (checkFirst && q.exists("SELECT 1 FROM items WHERE thread_id = ? AND id = ?", id, row.id())) {
                throw itemTaken(row);
            }
            upsertThread(q, userId, id, createdAt, json);
            if (insertItem(q, insertItem, userId, row) == 0) {
                // After the check above nothing can have taken the id meanwhile; if it did, this unexpected
                // failure rolls back the thread too.
                if (checkFirst) throw new IllegalStateException("Item " + row.id() + " was not inserted");
                throw itemTaken(row);
            }
            return null;
        });
    }

    private void upsertThread(Sql q, String userId, String id, long createdAt, String json) throws SQLException {
        if (q.update(upsertThread, positions.args(id, userId, createdAt, Positions.NEXT, json)) == 0) {
            throw NotFoundException.thread(id);
        }
    }

    @Override
    public int countThreads(String userId) {
        Objects.requireNonNull(userId, "userId");
        return tx.read(q -> q.one("SELECT COUNT(*) FROM threads WHERE user_id = ?", rs -> rs.getInt(1), userId))
                .orElse(0);
    }

    @Override
    public Page<ThreadMetadata> loadThreads(String userId, int limit, String after, Order order) {
        Objects.requireNonNull(userId, "userId");
        return tx.read(q -> {
            Optional<long[]> cursor = after == null ? Optional.empty() : q.one(
                    "SELECT created_at, seq FROM threads WHERE id = ? AND user_id = ?", PageQuery::cursor,
                    after, userId);
            return THREAD_PAGES.page(q, new Object[] {userId}, cursor, limit, order);
        });
    }

    /**
     * {@inheritDoc} On SQLite the thread's ownership is checked before anything is deleted, and the writer
     * commits the whole operation or none of it; on PostgreSQL it is one transaction.
     */
    @Override
    public List<Attachment> deleteThread(String userId, String threadId) {
        Objects.requireNonNull(userId, "userId");
        List<String> deleted = tx.atomically(q -> {
            dialect.deleteThread(q, userId, threadId);
            return deleteAttachments(q, "thread_id = ? AND user_id = ?", threadId, userId);
        });
        return attachments(deleted);
    }

    @Override
    public Deleted deleteAllThreads(String userId) {
        Objects.requireNonNull(userId, "userId");
        record Rows(int threads, List<String> attachments) {}
        Rows rows = tx.atomically(q -> {
            List<String> attachments = deleteAttachments(q, "user_id = ?", userId);
            // Through the user's threads, so the thread indexes find the rows; spelt out rather than left to
            // PostgreSQL's cascade so that both databases run the same statements.
            String mine = " WHERE thread_id IN (SELECT id FROM threads WHERE user_id = ?) AND user_id = ?";
            q.update("DELETE FROM feedback" + mine, userId, userId);
            q.update("DELETE FROM items" + mine, userId, userId);
            return new Rows(q.update("DELETE FROM threads WHERE user_id = ?", userId), attachments);
        });
        return new Deleted(rows.threads(), attachments(rows.attachments()));
    }

    /**
     * Deletes the attachment rows the condition selects and {@return their JSON}, parsed by the caller once the
     * connection (on SQLite, the writer) is free. On PostgreSQL a row bound between the two statements is
     * deleted without being returned; its bytes are then left to the housekeeping sweep.
     */
    private static List<String> deleteAttachments(Sql q, String where, Object... args) throws SQLException {
        List<String> json = q.list("SELECT json FROM attachments WHERE " + where, JdbcStore::json, args);
        if (!json.isEmpty()) q.update("DELETE FROM attachments WHERE " + where, args);
        return json;
    }

    private static List<Attachment> attachments(List<String> json) {
        return json.stream().map(j -> ChatKitJson.readStorage(j, Attachment.class)).toList();
    }

    // ---- items ---------------------------------------------------------------------------------------

    @Override
    public Page<ThreadItem> loadItems(String userId, String threadId, String after, int limit, Order order) {
        Objects.requireNonNull(userId, "userId");
        return tx.read(q -> {
            Optional<long[]> cursor = after == null ? Optional.empty() : q.one(
                    "SELECT created_at, seq FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    PageQuery::cursor, threadId, after, userId);
            Page<ThreadItem> page = ITEM_PAGES.page(q, new Object[] {threadId, userId}, cursor, limit, order);
            // Rows found are the user's own (the query filters on both), so only an empty page needs the check,
            // and the usual call costs one query.
            if (page.data().isEmpty() && !Ownership.ownsThread(q, userId, threadId)) {
                throw NotFoundException.thread(threadId);
            }
            return page;
        });
    }

    /** @throws StoreException if the thread already has an item with this id */
    @Override
    public void addItem(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        ItemRow row = ItemRow.of(item);
        tx.write(q -> {
            if (insertItem(q, insertItem, userId, row) == 0) {
                Ownership.requireThread(q, userId, row.threadId());
                throw itemTaken(row);
            }
            return null;
        });
    }

    @Override
    public void saveItem(String userId, ThreadItem item) {
        tx.write(itemUpsert(userId, item));
    }

    @Override
    public PendingWrite saveItemBehind(String userId, ThreadItem item) {
        return tx.writeBehind(itemUpsert(userId, item));
    }

    /** The item's row as a write; its JSON is made here, on the caller's thread, not the writer's. */
    private Work<Void> itemUpsert(String userId, ThreadItem item) {
        Objects.requireNonNull(userId, "userId");
        ItemRow row = ItemRow.of(item);
        return q -> {
            // Zero rows can only mean the thread is not the user's: the row's thread is, and it is theirs.
            if (insertItem(q, replaceItem, userId, row) == 0) throw NotFoundException.thread(row.threadId());
            return null;
        };
    }

    private int insertItem(Sql q, String sql, String userId, ItemRow row) throws SQLException {
        return q.update(sql, positions.args(row.id(), row.threadId(), userId, row.createdAt(), Positions.NEXT,
                row.type(), row.json(), row.threadId(), userId));
    }

    private static StoreException itemTaken(ItemRow row) {
        return new StoreException("Item " + row.id() + " already exists in thread " + row.threadId());
    }

    @Override
    public ThreadItem loadItem(String userId, String threadId, String itemId) {
        Objects.requireNonNull(userId, "userId");
        return tx.read(q -> {
            Optional<String> json = q.one("SELECT json FROM items WHERE thread_id = ? AND id = ? AND user_id = ?",
                    JdbcStore::json, threadId, itemId, userId);
            if (json.isPresent()) return ChatKitJson.readStorage(json.get(), ThreadItem.class);
            throw Ownership.ownsThread(q, userId, threadId)
                    ? NotFoundException.item(itemId) : NotFoundException.thread(threadId);
        });
    }

    @Override
    public void deleteItems(String userId, String threadId, List<String> itemIds) {
        Objects.requireNonNull(userId, "userId");
        List<String> ids = List.copyOf(itemIds);
        tx.write(q -> {
            Ownership.requireThread(q, userId, threadId);
            dialect.deleteItems(q, userId, threadId, ids);
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
        tx.write(q -> {
            int n = q.update("INSERT INTO attachments (id, user_id, thread_id, json) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO UPDATE SET thread_id = excluded.thread_id, json = excluded.json "
                    + "WHERE attachments.user_id = excluded.user_id", id, userId, attachment.threadId(), json);
            if (n == 0) throw NotFoundException.attachment(id);
            return null;
        });
    }

    @Override
    public void updateAttachment(String userId, Attachment attachment) {
        Objects.requireNonNull(userId, "userId");
        String id = Objects.requireNonNull(attachment.id(), "attachment.id");
        String json = ChatKitJson.writeStorage(attachment);
        tx.write(q -> {
            if (q.update("UPDATE attachments SET thread_id = ?, json = ? WHERE id = ? AND user_id = ?",
                    attachment.threadId(), json, id, userId) == 0) {
                throw NotFoundException.attachment(id);
            }
            return null;
        });
    }

    @Override
    public Attachment loadAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        return readJson(Attachment.class, "SELECT json FROM attachments WHERE id = ? AND user_id = ?", attachmentId,
                userId).orElseThrow(() -> NotFoundException.attachment(attachmentId));
    }

    @Override
    public void deleteAttachment(String userId, String attachmentId) {
        Objects.requireNonNull(userId, "userId");
        tx.write(q -> {
            if (q.update("DELETE FROM attachments WHERE id = ? AND user_id = ?", attachmentId, userId) == 0) {
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
        tx.write(q -> {
            int n = q.update(insertFeedback,
                    positions.args(Positions.NEXT, threadId, userId, itemIds, kind, createdAt, threadId, userId));
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
        return tx.read(q -> {
            Ownership.requireThread(q, userId, threadId);
            return q.list("SELECT item_ids, kind, created_at FROM feedback WHERE thread_id = ? AND user_id = ? "
                            + "ORDER BY created_at, id",
                    rs -> new Feedback(threadId, Columns.idList(rs.getString(1)), rs.getString(2),
                            Columns.instant(rs.getLong(3))),
                    threadId, userId);
        });
    }

    // ---- housekeeping --------------------------------------------------------------------------------

    @Override
    public Set<String> knownAttachmentIds(Collection<String> attachmentIds) {
        List<String> ids = List.copyOf(attachmentIds);
        Set<String> known = new HashSet<>();
        for (int from = 0; from < ids.size(); from += ID_BATCH) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + ID_BATCH));
            // A short last batch repeats its last id, which changes nothing about the answer.
            Object[] args = new Object[ID_BATCH];
            for (int i = 0; i < ID_BATCH; i++) args[i] = part.get(Math.min(i, part.size() - 1));
            known.addAll(tx.read(q -> q.list(KNOWN_ATTACHMENTS, JdbcStore::json, args)));
        }
        return known;
    }

    @Override
    public Set<String> strayAttachmentIds() {
        return new HashSet<>(tx.read(q -> q.list("SELECT id FROM attachments WHERE " + STRAY, JdbcStore::json)));
    }

    @Override
    public Set<String> deleteStrayAttachments(Collection<String> attachmentIds) {
        List<String> ids = List.copyOf(attachmentIds);
        return tx.write(q -> {
            Set<String> deleted = new HashSet<>();
            for (String id : ids) {
                if (q.update("DELETE FROM attachments WHERE id = ? AND " + STRAY, id) > 0) deleted.add(id);
            }
            return deleted;
        });
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    /**
     * Closes the database once the work in progress is done (on SQLite, once every write already accepted is
     * committed); later calls fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public final void close() {
        tx.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }

    /** {@return the transactions the store runs on}, refusing work once it is closed */
    protected final Transactions transactions() {
        return tx;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Reads one JSON column, parsing it after the connection is given back. */
    private <T> Optional<T> readJson(Class<T> type, String sql, Object... args) {
        return tx.read(q -> q.one(sql, JdbcStore::json, args)).map(json -> ChatKitJson.readStorage(json, type));
    }

    private static String json(ResultSet rs) throws SQLException {
        return rs.getString(1);
    }
}
