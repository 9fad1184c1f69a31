/**
 * The SQLite {@link dev.parley.store.Store}. {@link dev.parley.store.sqlite.SqliteStore} is the only public
 * type; behind it one writer thread groups concurrent writes into shared commits, a checkpointer thread
 * copies the WAL back into the database file, and a small pool of read-only connections serves queries.
 */
package dev.parley.store.sqlite;
