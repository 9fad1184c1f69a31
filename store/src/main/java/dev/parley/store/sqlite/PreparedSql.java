package dev.parley.store.sqlite;

import dev.parley.store.jdbc.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@link Sql} on a connection that keeps its prepared statements: the writer's and each reader's run the same few
 * queries over and over, and preparing (parsing and planning) them again each time cost more than running them.
 * A query's result set is closed after use, which resets its statement, so a kept statement holds no snapshot.
 */
interface PreparedSql extends Sql {
    Connection connection();

    /** The statements kept, by their SQL; used by one thread at a time. */
    Map<String, PreparedStatement> statements();

    /** {@return the statement for the SQL, prepared on first use and kept} */
    default PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements().get(sql);
        if (ps == null) {
            ps = connection().prepareStatement(sql);
            statements().put(sql, ps);
        }
        return ps;
    }

    @Override
    default Array array(String elementType, Object[] elements) throws SQLException {
        return connection().createArrayOf(elementType, elements);
    }

    @Override
    default int update(String sql, Object... args) throws SQLException {
        return Sql.bind(prepare(sql), args).executeUpdate();
    }

    @Override
    default <T> T query(String sql, Results<T> results, Object... args) throws SQLException {
        try (ResultSet rs = Sql.bind(prepare(sql), args).executeQuery()) {
            return results.read(rs);
        }
    }
}
