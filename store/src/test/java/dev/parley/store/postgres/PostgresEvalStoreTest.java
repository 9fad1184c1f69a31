package dev.parley.store.postgres;

import dev.parley.store.EvalStoreContract;
import dev.parley.store.IdGenerator;
import dev.parley.store.Store;

class PostgresEvalStoreTest extends EvalStoreContract {
    @Override
    protected Store newStore(IdGenerator ids) {
        return PostgresStore.open(TestPostgres.newDatabase(), ids, 4);
    }
}
