package dev.parley.store.postgres;

import dev.parley.store.AttachmentCleanupContract;
import dev.parley.store.IdGenerator;
import dev.parley.store.Store;

/** The attachment clean-up contract against a real PostgreSQL (embedded, one database per store). */
class PostgresAttachmentCleanupTest extends AttachmentCleanupContract {
    @Override
    protected Store newStore(IdGenerator ids) {
        return PostgresStore.open(TestPostgres.newDatabase(), ids, 4);
    }
}
