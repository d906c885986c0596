package dev.onepg.eventstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.EventStoreContract;
import dev.onepg.eventstore.postgres.testing.OlderTransactions;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store that combines concurrent appends passes the whole conformance suite too. */
class CombiningPostgresEventStoreIT extends EventStoreContract {

    private HikariDataSource dataSource;

    @Override
    protected EventStore store() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 24);
        return new PostgresEventStore(dataSource, AppendObserver.NONE, 2);
    }

    @Override
    protected void awaitOlderTransactions() {
        OlderTransactions.awaitEnd(dataSource);
    }

    @AfterEach
    void closeDatabase() {
        dataSource.close();
    }
}
