package dev.parley.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link Sql} on a borrowed connection: each call prepares its statement and closes it, so nothing outlives
 * the loan. The drivers' own statement caches (PostgreSQL's server-side prepares) still apply.
 */
public final class ConnectionSql implements Sql {
    private final Connection connection;

    public ConnectionSql(Connection connection) {
        this.connection = connection;
    }

    @Override
    public int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        }
    }

    @Override
    public <T> T query(String sql, Results<T> results, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            return results.read(rs);
        }
    }

    @Override
    public Array array(String elementType, Object[] elements) throws SQLException {
        return connection.createArrayOf(elementType, elements);
    }

    private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            return Sql.bind(ps, args);
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
