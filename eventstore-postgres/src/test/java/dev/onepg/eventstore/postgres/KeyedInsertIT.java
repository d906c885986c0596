package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.UniqueKey;
import dev.onepg.eventstore.postgres.testing.ObservedConnections;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A one-event append with a known expected version that changes unique keys is one statement in autocommit, so
 * nothing on the caller's side (a round trip, a GC pause) keeps its transaction open, holding back every later
 * event from the projections. What it stores is the conformance suite's (EventStoreContract) to show.
 */
class KeyedInsertIT {

    private static final UniqueKey OLD_EMAIL = new UniqueKey("user-email", "old@example.org");
    private static final UniqueKey NEW_EMAIL = new UniqueKey("user-email", "new@example.org");

    private final HikariDataSource pool = TestDatabases.dataSource(TestDatabases.create(), 2);
    private final List<String> calls = new ArrayList<>();
    private final PostgresEventStore store =
            new PostgresEventStore(ObservedConnections.of(pool, this::note), AppendObserver.NONE, 0);

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void aKeyedAppendIsOneStatementWithoutATransactionOfItsOwn() throws Exception {
        StreamId user = new StreamId("user", UUID.randomUUID().toString());
        store.append(AppendRequest.of(user, ExpectedVersion.noStream(), List.of(event()))
                .claiming(OLD_EMAIL));
        calls.clear();

        store.append(AppendRequest.of(user, ExpectedVersion.exactly(1), List.of(event()))
                .releasing(OLD_EMAIL)
                .claiming(NEW_EMAIL));

        assertThat(calls).containsExactly("prepareStatement");
        assertThat(keysOf(user)).containsExactly(NEW_EMAIL.value());
    }

    private List<String> keysOf(StreamId stream) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT value FROM eventstore.unique_keys WHERE stream_id = '" + stream.id() + "'")) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** Notes each statement prepared and each change of the transaction on the pool's connections. */
    private void note(String method, Object[] args) {
        boolean opensTransaction = method.equals("setAutoCommit") && Boolean.FALSE.equals(args[0]);
        if (method.startsWith("prepare")
                || method.equals("createStatement")
                || method.equals("commit")
                || opensTransaction) {
            calls.add(opensTransaction ? "setAutoCommit(false)" : method);
        }
    }

    private static NewEvent event() {
        return NewEvent.of(UUID.randomUUID(), "EmailChanged", "{}");
    }
}
