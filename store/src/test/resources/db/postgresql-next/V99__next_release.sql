-- Stands for a migration of a later Parley release (see PostgresStoreTest): additive, as rolling upgrades need.
CREATE TABLE next_release_feature (id TEXT NOT NULL PRIMARY KEY);
ALTER TABLE threads ADD COLUMN next_release_note TEXT;
