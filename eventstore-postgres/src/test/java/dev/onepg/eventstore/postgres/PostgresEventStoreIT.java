package dev.onepg.eventstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.EventStoreContract;
import dev.onepg.eventstore.postgres.testing.OlderTransactions;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL store passes the whole conformance suite, each test on a database of its own. */
class PostgresEventStoreIT extends EventStoreContract {

    private HikariDataSource dataSource;

    @Override
    protected EventStore store() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 24);
        return new PostgresEventStore(dataSource);
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
