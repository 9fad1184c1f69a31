package dev.parley.server;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadMetadata;
import dev.parley.store.IdKind;
import dev.parley.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a {@link Responder} may see and change during one turn: the user, the thread (whose title, status,
 * allowed image domains and metadata it may change), the thread's earlier items, and new ids.
 */
public final class Turn {
    private final RequestContext context;
    private final Store store;
    private final boolean threadIsNew;
    private volatile ThreadMetadata thread;
    /** Makes this turn's writes behind durable, so that its reads see them; set by the pipeline. */
    private volatile Runnable beforeRead = () -> {};
    /**
     * On a thread this turn created, its items while they are known without a read: the user message the turn
     * answers, until the pipeline stores anything else. Null once unknown (or from the start on an older thread).
     */
    private volatile List<ThreadItem> known;

    Turn(RequestContext context, Store store, ThreadMetadata thread) {
        this(context, store, thread, false);
    }

    Turn(RequestContext context, Store store, ThreadMetadata thread, boolean threadIsNew) {
        this.context = context;
        this.store = store;
        this.thread = thread;
        this.threadIsNew = threadIsNew;
    }

    /**
     * {@return whether this turn created its thread} (a {@code threads.create}): nothing was stored for the thread
     * before it, so a responder need not look for earlier state.
     */
    public boolean threadIsNew() {
        return threadIsNew;
    }

    /** {@return who the turn is for} */
    public RequestContext context() {
        return context;
    }

    /** {@return the thread as it is now, including changes made during this turn} */
    public ThreadMetadata thread() {
        return thread;
    }

    /** Changes the thread; the pipeline saves it and tells the client with {@code thread.updated}. */
    public void updateThread(UnaryOperator<ThreadMetadata> change) {
        ThreadMetadata next = change.apply(thread);
        if (!next.id().equals(thread.id())) throw new IllegalArgumentException("A turn cannot change the thread id");
        thread = next;
    }

    /** {@return a page of this thread's stored items, hidden ones included, this turn's own among them} */
    public Page<ThreadItem> loadItems(String after, int limit, Order order) {
        beforeRead.run();
        return store.loadItems(context.userId(), thread.id(), after, limit, order);
    }

    void beforeRead(Runnable settle) {
        this.beforeRead = settle;
    }

    /** The thread was created with this one item (the prelude stored it). */
    void createdWith(ThreadItem first) {
        if (threadIsNew) known = List.of(first);
    }

    /** The pipeline stored, replaced or removed an item: the history must be read again. */
    void itemsChanged() {
        known = null;
    }

    /** {@return up to {@code max} of the newest stored items, oldest first, hidden ones included} */
    public List<ThreadItem> history(int max) {
        // A new thread's history is the message the turn answers, until something else is stored: one read fewer
        // on the commonest turn.
        if (max <= 0) return List.of();
        List<ThreadItem> items = known;
        if (items != null) return items.size() <= max ? items : items.subList(items.size() - max, items.size());
        List<ThreadItem> newestFirst = new ArrayList<>();
        String after = null;
        while (newestFirst.size() < max) {
            Page<ThreadItem> page = loadItems(after, Math.min(100, max - newestFirst.size()), Order.DESC);
            newestFirst.addAll(page.data());
            if (!page.hasMore()) break;
            after = page.after();
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** {@return a new id of the given kind} */
    public String newId(IdKind kind) {
        return store.ids().newId(kind);
    }

    /** {@return the current time at wire precision} */
    public Instant now() {
        return ChatKitJson.now();
    }
}
