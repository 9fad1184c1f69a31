package dev.parley.store.jdbc;

import java.sql.SQLException;

/** One unit of work on a connection, run by a {@link Transactions}. */
@FunctionalInterface
public interface Work<T> {
    T run(Sql sql) throws SQLException;
}
