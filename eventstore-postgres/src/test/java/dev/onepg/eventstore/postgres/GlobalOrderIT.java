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
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
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
            assertThat(readerWithoutSnapshot(start.position()))
                    .as("a reader that ignores open transactions would deliver the early event and pass the late one")
                    .containsExactly(earlyId);

            slow.commit();

            List<RecordedEvent> delivered = store.readAfter(start, 100);
            assertThat(delivered).extracting(RecordedEvent::eventId).containsExactly(lateId, earlyId);
            assertThat(delivered.get(0).position()).isLessThan(delivered.get(1).position());
        }
    }

    /**
     * The dangerous inversion: one transaction takes its id first and its position last, after another one took
     * a later id and an earlier position. While the second is still open, the first commits and is read. A
     * reader that orders and checkpoints by position alone then stands past the second one's position and skips
     * it when it commits; ordering by (transaction id, position) puts it after the checkpoint.
     */
    @Test
    void anEventWhoseTransactionTookALaterIdButAnEarlierPositionIsNotSkipped() throws Exception {
        Checkpoint start = lastCheckpoint();
        try (Connection idFirst = dataSource.getConnection();
                Connection positionFirst = dataSource.getConnection()) {
            idFirst.setAutoCommit(false);
            positionFirst.setAutoCommit(false);
            long earlierId = transactionId(idFirst);
            UUID lateCommitted = UUID.randomUUID();
            insertDirectly(positionFirst, lateCommitted, "later-id-earlier-position");
            long laterId = transactionId(positionFirst);
            UUID firstCommitted = UUID.randomUUID();
            insertDirectly(idFirst, firstCommitted, "earlier-id-later-position");
            idFirst.commit();

            List<RecordedEvent> read = readWhileOpen(start);
            assertThat(read).extracting(RecordedEvent::eventId).containsExactly(firstCommitted);
            assertThat(positionOnlyReader(start.position()))
                    .as("the position-only reader reads the same event first")
                    .containsExactly(firstCommitted);
            long positionOnlyCheckpoint = read.getLast().position();

            positionFirst.commit();

            assertThat(earlierId).isLessThan(laterId);
            assertThat(positionOf(lateCommitted)).isLessThan(positionOf(firstCommitted));
            assertThat(positionOnlyReader(positionOnlyCheckpoint))
                    .as("ordered by position alone, the late commit falls behind the checkpoint and is lost")
                    .isEmpty();
            assertThat(store.readAfter(read.getLast().checkpoint(), 100))
                    .extracting(RecordedEvent::eventId)
                    .containsExactly(lateCommitted);
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

    /** Transaction ids are numbers: 999 comes before 1000, though "1000" sorts before "999" as text. */
    @Test
    void readsTransactionIdsInNumericOrderAcrossAPowerOfTen() throws Exception {
        Checkpoint start = lastCheckpoint();
        UUID first = UUID.randomUUID();
        store.append(
                StreamId.of("digits", "first"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(first, "Happened", "{}")));
        long id = lastCheckpoint().transactionId();
        long powerOfTen = (long) Math.pow(10, String.valueOf(id).length());
        try (Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            // Each subtransaction that writes takes an id of its own: a quick way to use ids up.
            connection.setAutoCommit(false);
            statement.execute("CREATE TEMPORARY TABLE used_up (n int)");
            statement.execute("DO $$ BEGIN FOR i IN 1.." + (powerOfTen - id + 10) + " LOOP"
                    + " BEGIN INSERT INTO used_up VALUES (i); EXCEPTION WHEN OTHERS THEN NULL; END;"
                    + " END LOOP; END $$");
            connection.rollback();
        }
        UUID second = UUID.randomUUID();
        store.append(
                StreamId.of("digits", "second"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(second, "Happened", "{}")));

        List<UUID> inPagesOfOne = new ArrayList<>();
        Checkpoint checkpoint = start;
        for (List<RecordedEvent> page = store.readAfter(checkpoint, 1);
                !page.isEmpty();
                page = store.readAfter(checkpoint, 1)) {
            inPagesOfOne.add(page.getFirst().eventId());
            checkpoint = page.getFirst().checkpoint();
        }
        assertThat(String.valueOf(checkpoint.transactionId()))
                .hasSizeGreaterThan(String.valueOf(id).length());
        assertThat(inPagesOfOne).containsExactly(first, second);
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

    /** Reads after {@code start} until something is readable: an unrelated open transaction only delays it. */
    private static List<RecordedEvent> readWhileOpen(Checkpoint start) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<RecordedEvent> read = store.readAfter(start, 100);
        while (read.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            read = store.readAfter(start, 100);
        }
        return read;
    }

    /** A planted broken reader: commit-safe by the snapshot, but ordered and checkpointed by position alone. */
    private static List<UUID> positionOnlyReader(long afterPosition) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement("""
                        SELECT event_id FROM eventstore.events
                        WHERE position > ? AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                        ORDER BY position
                        """)) {
            read.setLong(1, afterPosition);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet result = read.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** A planted broken reader: ordered by position, blind to transactions still open. */
    private static List<UUID> readerWithoutSnapshot(long afterPosition) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement(
                        "SELECT event_id FROM eventstore.events WHERE position > ? ORDER BY position")) {
            read.setLong(1, afterPosition);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet result = read.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static long transactionId(Connection connection) throws Exception {
        try (PreparedStatement current = connection.prepareStatement("SELECT pg_current_xact_id()::text::bigint");
                ResultSet result = current.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static long positionOf(UUID eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT position FROM eventstore.events WHERE event_id = ?")) {
            select.setObject(1, eventId);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
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
