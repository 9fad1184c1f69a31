/**
 * What the SQLite and PostgreSQL stores share: {@link dev.parley.store.jdbc.JdbcStore} with its workflow and
 * session stores (every statement, the user scoping, paging, the row and JSON column formats). A backend
 * brings its {@link dev.parley.store.jdbc.Transactions transaction model} and its
 * {@link dev.parley.store.jdbc.Dialect}, the few statements its database does its own way.
 */
package dev.parley.store.jdbc;
