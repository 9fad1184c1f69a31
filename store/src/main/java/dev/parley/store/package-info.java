/**
 * Where conversations live. {@link dev.parley.store.Store} is the one interface the dispatcher talks to:
 * threads, items, attachments metadata and feedback, every call scoped to one user. {@link
 * dev.parley.store.BlobStore} keeps attachment bytes. {@code dev.parley.store.sqlite} is the default
 * implementation: one SQLite file in WAL mode, migrated by Flyway, with concurrent writes grouped into
 * shared commits.
 */
package dev.parley.store;
