package dev.parley.store.jdbc;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements on one connection, as the shared store code sees it. The two kinds differ only in how long a
 * statement lives: {@link ConnectionSql} prepares one per call, SQLite's writer keeps each for its lifetime.
 */
public interface Sql {
    /** Reads a whole result set; it is closed afterwards. */
    @FunctionalInterface
    interface Results<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** {@return the number of rows the statement changed} */
    int update(String sql, Object... args) throws SQLException;

    <T> T query(String sql, Results<T> results, Object... args) throws SQLException;

    /** {@return a SQL array of the elements, for a driver that supports them} */
    Array array(String elementType, Object[] elements) throws SQLException;

    default <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        return query(sql, rs -> rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty(), args);
    }

    default <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        return query(sql, rs -> {
            List<T> rows = new ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        }, args);
    }

    default boolean exists(String sql, Object... args) throws SQLException {
        return query(sql, ResultSet::next, args);
    }

    static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }
}
