package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The global log never lets a reader pass an event whose transaction commits late. */
class GlobalOrderIT {

    private static HikariDataSource dataSource;
    private static PostgresEventStore store;

    @BeforeAll
    static void database() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 4);
        store = new PostgresEventStore(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void readerWaitsForAnEarlierPositionThatCommitsLate() throws Exception {
        Checkpoint start = lastCheckpoint();
        try (Connection slow = dataSource.getConnection()) {
            slow.setAutoCommit(false);
            UUID lateId = UUID.randomUUID();
            insertDirectly(slow, lateId, "late");

            UUID earlyId = UUID.randomUUID();
            store.append(
                    StreamId.of("gap", "early"),
                    ExpectedVersion.noStream(),
                    List.of(NewEvent.of(earlyId, "Happened", "{}")));

            assertThat(store.readAfter(start, 100))
                    .as("nothing may be delivered past the open transaction's position")
                    .isEmpty();

            slow.commit();

            List<RecordedEvent> delivered = store.readAfter(start, 100);
            assertThat(delivered).extracting(RecordedEvent::eventId).containsExactly(lateId, earlyId);
            assertThat(delivered.get(0).position()).isLessThan(delivered.get(1).position());
        }
    }

    @Test
    void rolledBackTransactionsLeaveNoHoleThatBlocksReaders() throws Exception {
        Checkpoint start = lastCheckpoint();
        try (Connection aborted = dataSource.getConnection()) {
            aborted.setAutoCommit(false);
            insertDirectly(aborted, UUID.randomUUID(), "aborted");
            aborted.rollback();
        }
        UUID after = UUID.randomUUID();
        store.append(
                StreamId.of("gap", "after-rollback"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(after, "Happened", "{}")));

        assertThat(store.readAfter(start, 100))
                .extracting(RecordedEvent::eventId)
                .containsExactly(after);
    }

    private static Checkpoint lastCheckpoint() {
        Checkpoint checkpoint = Checkpoint.START;
        for (List<RecordedEvent> batch = store.readAfter(checkpoint, 1000);
                !batch.isEmpty();
                batch = store.readAfter(checkpoint, 1000)) {
            checkpoint = batch.getLast().checkpoint();
        }
        return checkpoint;
    }

    private static void insertDirectly(Connection connection, UUID eventId, String streamId) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                VALUES (?, 'gap', ?, 1, 'Happened', '{}')
                """)) {
            insert.setObject(1, eventId);
            insert.setString(2, streamId);
            insert.executeUpdate();
        }
    }
}
