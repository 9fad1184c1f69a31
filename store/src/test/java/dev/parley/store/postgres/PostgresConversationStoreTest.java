package dev.parley.store.postgres;

import dev.parley.store.ConversationStoreContract;
import dev.parley.store.IdGenerator;
import dev.parley.store.Store;

class PostgresConversationStoreTest extends ConversationStoreContract {
    @Override
    protected Store newStore(IdGenerator ids) {
        return PostgresStore.open(TestPostgres.newDatabase(), ids, 4);
    }
}
