package dev.parley.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a row; called once per row with the cursor on it. */
@FunctionalInterface
public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
}
