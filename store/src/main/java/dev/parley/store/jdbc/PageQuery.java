package dev.parley.store.jdbc;

import dev.parley.protocol.ChatKitJson;
import dev.parley.protocol.Order;
import dev.parley.protocol.Page;
import dev.parley.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One list query in its four forms (ascending or descending, from the start or after a cursor), and the
 * paging around it: lists sort by creation time, then insertion order, and a cursor is the
 * {@code (created_at, seq)} of the last row of the previous page.
 */
final class PageQuery<T> {
    private final String[] sql = new String[4];
    private final Class<T> type;
    private final Function<T, String> idOf;

    /**
     * @param base a {@code SELECT json FROM … WHERE …} whose parameters are the list's scope
     */
    PageQuery(String base, Class<T> type, Function<T, String> idOf) {
        this.type = type;
        this.idOf = idOf;
        for (int i = 0; i < 4; i++) {
            boolean asc = (i & 1) != 0;
            boolean after = (i & 2) != 0;
            String dir = asc ? "ASC" : "DESC";
            // A row-value comparison is strictly after the cursor in list order, and both databases can use
            // the (scope, created_at, seq) index for it as a range.
            sql[i] = base + (after ? " AND (created_at, seq) " + (asc ? ">" : "<") + " (?, ?)" : "")
                    + " ORDER BY created_at " + dir + ", seq " + dir + " LIMIT ?";
        }
    }

    /**
     * {@return one page} A {@code limit} of zero or less means {@link Store#DEFAULT_LIMIT}, above
     * {@link JdbcStore#MAX_LIMIT} it is capped; a null order means descending.
     *
     * @param cursor the {@code (created_at, seq)} to continue after, if any
     */
    Page<T> page(Sql q, Object[] scope, Optional<long[]> cursor, int limit, Order order) throws SQLException {
        int size = limit <= 0 ? Store.DEFAULT_LIMIT : Math.min(limit, JdbcStore.MAX_LIMIT);
        boolean asc = order == Order.ASC;
        Object[] args = new Object[scope.length + (cursor.isPresent() ? 3 : 1)];
        System.arraycopy(scope, 0, args, 0, scope.length);
        if (cursor.isPresent()) {
            args[scope.length] = cursor.get()[0];
            args[scope.length + 1] = cursor.get()[1];
        }
        // One row more than the page says whether there is a next one.
        args[args.length - 1] = size + 1;
        List<T> rows = q.list(sql[(asc ? 1 : 0) | (cursor.isPresent() ? 2 : 0)],
                rs -> ChatKitJson.readStorage(rs.getBytes(1), type), args);
        boolean hasMore = rows.size() > size;
        if (hasMore) rows.subList(size, rows.size()).clear();
        return new Page<>(rows, hasMore, hasMore ? idOf.apply(rows.getLast()) : null);
    }

    /** Reads a cursor from {@code SELECT created_at, seq}. */
    static long[] cursor(ResultSet rs) throws SQLException {
        return new long[] {rs.getLong(1), rs.getLong(2)};
    }
}
