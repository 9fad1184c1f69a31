/**
 * The PostgreSQL store, for running several Parley servers on one shared database: {@link
 * dev.parley.store.postgres.PostgresStore#open(String)} with a {@code jdbc:postgresql:} URL migrates the schema
 * (Flyway, {@code db/postgresql}) and pools connections (HikariCP). It passes the same contract tests as the
 * SQLite store; see {@code docs/deployment.md} for running it.
 */
package dev.parley.store.postgres;
