package dev.parley.store.jdbc;

import dev.parley.store.NotFoundException;
import java.sql.SQLException;

/** The check every thread-scoped call makes: the thread exists and is the user's, or it is not found. */
public final class Ownership {
    static final String OWNS_THREAD = "SELECT 1 FROM threads WHERE id = ? AND user_id = ?";

    private Ownership() {}

    static boolean ownsThread(Sql q, String userId, String threadId) throws SQLException {
        return q.exists(OWNS_THREAD, threadId, userId);
    }

    /** @throws NotFoundException unless the user has the thread */
    public static void requireThread(Sql q, String userId, String threadId) throws SQLException {
        if (!ownsThread(q, userId, threadId)) throw NotFoundException.thread(threadId);
    }
}
