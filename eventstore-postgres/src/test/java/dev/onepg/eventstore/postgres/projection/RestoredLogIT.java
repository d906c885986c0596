package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.TransactionIdCheck;
import dev.onepg.eventstore.postgres.TransactionIdRebase;
import dev.onepg.eventstore.postgres.TransactionIdsAhead;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresServer;
import dev.onepg.eventstore.postgres.embedded.EmbeddedPostgresSettings;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * A database dumped from one cluster and restored into a fresh one, whose transaction ids start lower: the
 * restored log is refused until its ids are rebased, and then every projection goes on exactly where it was,
 * applying old and new events in order, each once.
 */
class RestoredLogIT {

    private static final List<String> DUMPED_TABLES = List.of(
            "eventstore.projections",
            "eventstore.events",
            "eventstore.unique_keys",
            "eventstore.skipped_events",
            "public.applied");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static EmbeddedPostgresServer freshCluster;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startAFreshCluster() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "onepg-test-postgres");
        freshCluster = EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(
                base.resolve("restore-" + ProcessHandle.current().pid()),
                base.resolve("binaries"),
                0,
                true,
                Duration.ofSeconds(60),
                Map.of("fsync", "off", "synchronous_commit", "off")));
    }

    @AfterAll
    static void stopTheFreshCluster() {
        freshCluster.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void aRestoredLogIsRefusedUntilRebasedThenProjectedInOrderExactlyOnce() throws Exception {
        HikariDataSource original = track(TestDatabases.dataSource(TestDatabases.create(), 10));
        HikariDataSource restored = track(TestDatabases.dataSource(restoredDatabase("restored"), 10));
        createAppliedTable(original);
        createAppliedTable(restored);
        burnTransactionIdsUntilAhead(original, restored);

        PostgresEventStore originalStore = new PostgresEventStore(original);
        List<UUID> before = new ArrayList<>();
        before.add(append(originalStore, "a"));
        before.add(append(originalStore, "b"));
        // The inversion: a transaction takes its id, another one appends and commits, then the first appends.
        // The global order is (transaction id, position), so the late event comes first although its position
        // is higher.
        UUID late = UUID.randomUUID();
        UUID early;
        try (Connection slow = original.getConnection()) {
            slow.setAutoCommit(false);
            execute(slow, "SELECT pg_current_xact_id()");
            early = append(originalStore, "c");
            try (PreparedStatement insert = slow.prepareStatement("""
                    INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                    VALUES (?, 'thing', 'd', 1, 'Happened', '{}')
                    """)) {
                insert.setObject(1, late);
                insert.executeUpdate();
            }
            slow.commit();
        }
        before.add(late);
        before.add(early);
        assertThat(position(original, late)).isGreaterThan(position(original, early));

        RecordingProjection all = new RecordingProjection("all");
        RecordingProjection half = new RecordingProjection("half");
        try (ProjectionEngine engine = new ProjectionEngine(original, List.of(all, half), settings())) {
            engine.start();
            awaitApplied(original, "all", before.size());
            awaitApplied(original, "half", before.size());
        }
        assertThat(applied(original, "all")).containsExactlyElementsOf(before);
        // At the dump, "half" had applied everything up to the late event, but not the early one after it.
        moveCheckpointBack(original, "half", late, early);

        dump(original, restored);

        assertThatThrownBy(() -> TransactionIdCheck.verify(restored))
                .isInstanceOf(TransactionIdsAhead.class)
                .hasMessageContaining("java -jar onepg.jar db rebase-transaction-ids");

        TransactionIdRebase.Result result = TransactionIdRebase.run(restored);

        assertThat(result.needed()).isTrue();
        assertThat(result.checkpoints()).isEqualTo(2);
        TransactionIdCheck.verify(restored);
        assertThat(TransactionIdRebase.run(restored).needed()).isFalse();
        PostgresEventStore restoredStore = new PostgresEventStore(restored);
        List<UUID> after = List.of(append(restoredStore, "e"), append(restoredStore, "f"));
        try (ProjectionEngine engine = new ProjectionEngine(
                restored, List.of(new RecordingProjection("all"), new RecordingProjection("half")), settings())) {
            engine.start();
            awaitApplied(restored, "all", before.size() + after.size());
            awaitApplied(restored, "half", before.size() + after.size());
        }
        assertThat(applied(restored, "all"))
                .containsExactly(before.get(0), before.get(1), late, early, after.get(0), after.get(1));
        assertThat(applied(restored, "half"))
                .containsExactly(before.get(0), before.get(1), late, early, after.get(0), after.get(1));
    }

    @Test
    void rebasingEveryIdToOneConstantWouldSkipAnEventOfAProjectionCaughtInAnInversion() throws Exception {
        // The broken variant the rebase avoids: one id for all, checkpoints keep their positions. A projection
        // whose checkpoint is the late event (higher position) never applies the early event (lower position).
        HikariDataSource database = track(TestDatabases.dataSource(restoredDatabase("naive"), 4));
        createAppliedTable(database);
        PostgresEventStore store = new PostgresEventStore(database);
        UUID first = append(store, "a");
        UUID late = UUID.randomUUID();
        UUID early;
        try (Connection slow = database.getConnection()) {
            slow.setAutoCommit(false);
            execute(slow, "SELECT pg_current_xact_id()");
            early = append(store, "b");
            try (PreparedStatement insert = slow.prepareStatement("""
                    INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                    VALUES (?, 'thing', 'c', 1, 'Happened', '{}')
                    """)) {
                insert.setObject(1, late);
                insert.executeUpdate();
            }
            slow.commit();
        }
        try (ProjectionEngine engine =
                new ProjectionEngine(database, List.of(new RecordingProjection("half")), settings())) {
            engine.start();
            awaitApplied(database, "half", 3);
        }
        moveCheckpointBack(database, "half", late, early);
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "SET LOCAL onepg.maintenance = 'rebase-transaction-ids'");
            execute(connection, "UPDATE eventstore.events SET transaction_id = '3'");
            execute(connection, "UPDATE eventstore.projections SET checkpoint_tx = '3' WHERE checkpoint_position > 0");
            connection.commit();
        }

        UUID next = append(store, "d");
        try (ProjectionEngine engine =
                new ProjectionEngine(database, List.of(new RecordingProjection("half")), settings())) {
            engine.start();
            awaitApplied(database, "half", 3);
        }
        assertThat(applied(database, "half")).containsExactly(first, late, next).doesNotContain(early);
    }

    @Test
    void theMaintenanceSettingAllowsChangingTheTransactionIdOnly() throws Exception {
        HikariDataSource database = track(TestDatabases.dataSource(restoredDatabase("immutable"), 2));
        append(new PostgresEventStore(database), "a");
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "SET LOCAL onepg.maintenance = 'rebase-transaction-ids'");
            assertThatThrownBy(() -> execute(connection, "UPDATE eventstore.events SET payload = '{\"forged\": 1}'"))
                    .hasMessageContaining("may change transaction_id only");
            connection.rollback();
            execute(connection, "SET LOCAL onepg.maintenance = 'rebase-transaction-ids'");
            assertThatThrownBy(() -> execute(connection, "DELETE FROM eventstore.events"))
                    .hasMessageContaining("events are immutable: DELETE");
            connection.rollback();
            assertThatThrownBy(() -> execute(connection, "UPDATE eventstore.events SET transaction_id = '3'"))
                    .hasMessageContaining("events are immutable: UPDATE");
            connection.rollback();
        }
    }

    private TestDatabase restoredDatabase(String name) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(
                        freshCluster.jdbcUrl("postgres"), freshCluster.username(), freshCluster.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        TestDatabase database =
                new TestDatabase(freshCluster.jdbcUrl(name), freshCluster.username(), freshCluster.password());
        TestDatabases.migrate(database);
        return database;
    }

    private static ProjectionSettings settings() {
        return ProjectionSettings.defaults()
                .withBatchSize(2)
                .withPollInterval(Duration.ofMillis(100))
                .withLeaderRetryInterval(Duration.ofMillis(200));
    }

    private static UUID append(PostgresEventStore store, String stream) {
        UUID id = UUID.randomUUID();
        AppendResult ignored = store.append(
                StreamId.of("thing", stream), ExpectedVersion.any(), List.of(NewEvent.of(id, "Happened", "{}")));
        return id;
    }

    /** As pg_dump and pg_restore move the rows: COPY out of one cluster, COPY into the other. */
    private static void dump(HikariDataSource from, HikariDataSource to) throws SQLException, java.io.IOException {
        try (Connection source = from.getConnection();
                Connection target = to.getConnection()) {
            for (String table : DUMPED_TABLES) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", rows);
                target.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY " + table + " FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
            }
            execute(target, """
                    SELECT setval(pg_get_serial_sequence('eventstore.events', 'position'),
                                  (SELECT max(position) FROM eventstore.events))""");
            execute(target, """
                    SELECT setval(pg_get_serial_sequence('public.applied', 'id'), (SELECT max(id) FROM public.applied))""");
        }
    }

    private static void burnTransactionIdsUntilAhead(HikariDataSource original, HikariDataSource restored)
            throws SQLException {
        long target = nextTransactionId(restored) + 100;
        try (Connection connection = original.getConnection();
                Statement statement = connection.createStatement()) {
            while (nextTransactionId(original) < target) {
                for (int i = 0; i < 100; i++) {
                    statement.execute("SELECT pg_current_xact_id()");
                }
            }
        }
    }

    private static long nextTransactionId(HikariDataSource dataSource) throws SQLException {
        return queryLong(dataSource, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", null);
    }

    private static long position(HikariDataSource dataSource, UUID eventId) throws SQLException {
        return queryLong(dataSource, "SELECT position FROM eventstore.events WHERE event_id = ?", eventId);
    }

    /** Puts the checkpoint on {@code at} and forgets that {@code after} was applied, as if it had not been yet. */
    private static void moveCheckpointBack(HikariDataSource dataSource, String projection, UUID at, UUID after)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement move = connection.prepareStatement("""
                        UPDATE eventstore.projections p SET checkpoint_tx = e.transaction_id,
                               checkpoint_position = e.position
                        FROM eventstore.events e WHERE p.name = ? AND e.event_id = ?""");
                PreparedStatement forget = connection.prepareStatement(
                        "DELETE FROM public.applied WHERE projection = ? AND event_id = ?")) {
            move.setString(1, projection);
            move.setObject(2, at);
            assertThat(move.executeUpdate()).isEqualTo(1);
            forget.setString(1, projection);
            forget.setObject(2, after);
            assertThat(forget.executeUpdate()).isEqualTo(1);
        }
    }

    private static void createAppliedTable(HikariDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            execute(
                    connection,
                    "CREATE TABLE public.applied (id bigserial, projection text, event_id uuid, position bigint, runner text)");
        }
    }

    private static void awaitApplied(HikariDataSource dataSource, String projection, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (applied(dataSource, projection).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(projection + " applied only " + applied(dataSource, projection));
            }
            Thread.sleep(50);
        }
    }

    private static List<UUID> applied(HikariDataSource dataSource, String projection) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT event_id FROM public.applied WHERE projection = ? ORDER BY id")) {
            query.setString(1, projection);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    ids.add((UUID) result.getObject(1));
                }
            }
            return ids;
        }
    }

    private static long queryLong(HikariDataSource dataSource, String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            if (parameter != null) {
                query.setObject(1, parameter);
            }
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }
}
