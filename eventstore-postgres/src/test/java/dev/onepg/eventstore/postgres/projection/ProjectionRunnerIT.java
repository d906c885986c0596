package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectionRunnerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private HikariDataSource dataSource;
    private PostgresEventStore store;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws SQLException {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), 20);
        store = new PostgresEventStore(dataSource);
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(RecordingProjection.TABLE);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        dataSource.close();
    }

    @Test
    void projectsAtStartTheEventsWrittenWhileNoRunnerRan() throws Exception {
        List<UUID> written = appendEvents("before-start", 30);

        engine(new RecordingProjection("views"), settings()).start();

        eventually(() -> applied("views").size() == 30);
        assertThat(applied("views")).containsExactlyElementsOf(written);
        assertThat(engineStatus("views").checkpoint().position()).isPositive();
    }

    @Test
    void pollingCatchesUpWhenNoNotificationArrives() throws Exception {
        engine(new RecordingProjection("views"), settings().withPollInterval(Duration.ofMillis(200)))
                .start();

        List<UUID> written = appendEvents("unannounced", 5);

        eventually(() -> applied("views").size() == 5);
        assertThat(applied("views")).containsExactlyElementsOf(written);
    }

    @Test
    void recoversFromAKilledListeningConnection() throws Exception {
        ProjectionEngine engine =
                engine(new RecordingProjection("views"), settings().withPollInterval(Duration.ofMinutes(5)));
        engine.start();
        NotificationListener listener =
                track(new NotificationListener(dataSource, "onepg_test", engine::wakeUp, Duration.ofMillis(200)));
        eventually(listener::isListening);
        int killed = listener.backendPid();

        terminateBackend(killed);
        eventually(() -> listener.isListening() && listener.backendPid() != killed);

        CoalescingNotifier notifier =
                track(new CoalescingNotifier(dataSource, "onepg_test", () -> {}, Duration.ofMillis(1)));
        PostgresEventStore notifyingStore = new PostgresEventStore(dataSource, notifier);
        UUID eventId = UUID.randomUUID();
        notifyingStore.append(
                StreamId.of("thing", "after-reconnect"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(eventId, "Happened", "{}")));

        eventually(() -> applied("views").contains(eventId));
        assertThat(listener.reconnects()).isEqualTo(1);
        assertThat(listener.notificationsReceived()).isPositive();
    }

    @Test
    void anotherInstanceTakesOverWithinSecondsWhenTheLeaderStops() throws Exception {
        ProjectionEngine first =
                engine(new RecordingProjection("views"), settings().withInstanceId("first"));
        first.start();
        eventually(() -> first.leads("views"));
        ProjectionEngine second =
                engine(new RecordingProjection("views"), settings().withInstanceId("second"));
        second.start();

        first.close();
        List<UUID> written = appendEvents("after-takeover", 3);

        eventually(() -> second.leads("views"), Duration.ofSeconds(5));
        eventually(() -> applied("views").containsAll(written));
        assertThat(engineStatus("views").leader()).isEqualTo("second");
    }

    @Test
    void aFailingEventStopsItsProjectionWithTheErrorAndLeavesNoPartialBatch() throws Exception {
        RecordingProjection poisoned = new RecordingProjection("poisoned");
        List<UUID> written = new ArrayList<>(appendEvents("fine", 4));
        UUID poison = appendPoison("poison");
        written.add(poison);
        written.addAll(appendEvents("after", 3));

        ProjectionEngine engine = engine(poisoned, settings().withRetries(2, Duration.ofMillis(10)));
        engine.start();

        eventually(() -> engineStatus("poisoned").state() == ProjectionState.FAILED);
        ProjectionStatus status = engineStatus("poisoned");
        assertThat(status.failedEventId()).isEqualTo(poison);
        assertThat(status.lastError()).contains("poisoned event " + poison);
        assertThat(applied("poisoned")).containsExactlyElementsOf(written.subList(0, 4));
        assertThat(status.checkpoint().position()).isLessThan(positionOf(poison));
    }

    @Test
    void aStoppedProjectionKeepsTheSqlStateAndConstraintOfItsErrorButNotTheRowsValues() throws Exception {
        execute("CREATE TABLE public.guarded (email text CONSTRAINT guarded_email_short CHECK (length(email) < 5))");
        String email = "ada.lovelace@example.org";
        String payload = "{\"email\": \"" + email + "\"}";
        String insert = "INSERT INTO public.guarded (email) SELECT ?::jsonb ->> 'email'";
        Projection guarded = new Projection() {
            @Override
            public String name() {
                return "guarded";
            }

            @Override
            public Set<String> eventTypes() {
                return Set.of("Registered");
            }

            @Override
            public void apply(RecordedEvent event, ProjectionTransaction transaction) throws SQLException {
                try (PreparedStatement statement = transaction.connection().prepareStatement(insert)) {
                    statement.setString(1, event.payload());
                    statement.executeUpdate();
                }
            }
        };
        store.append(
                StreamId.of("thing", "guarded"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(UUID.randomUUID(), "Registered", payload)));

        track(new ProjectionEngine(dataSource, List.of(guarded), settings().withRetries(1, Duration.ofMillis(10))))
                .start();

        eventually(() -> engineStatus("guarded").state() == ProjectionState.FAILED);
        assertThat(postgresMessageOf(insert, payload))
                .as("PostgreSQL's own message quotes the row, so keeping it would leak the email")
                .contains(email);
        assertThat(engineStatus("guarded").lastError())
                .contains("org.postgresql.util.PSQLException")
                .contains("SQLSTATE 23514")
                .contains("constraint guarded_email_short")
                .contains("table public.guarded")
                .doesNotContain(email)
                .doesNotContain("Failing row");
    }

    @Test
    void otherProjectionsKeepRunningWhileOneIsStopped() throws Exception {
        UUID poison = appendPoison("poison");
        List<UUID> later = appendEvents("later", 3);

        RecordingProjection healthy = new RecordingProjection("healthy");
        healthy.curePoison();
        engine(List.of(new RecordingProjection("poisoned"), healthy), settings().withRetries(2, Duration.ofMillis(10)))
                .start();

        eventually(() -> applied("healthy").size() == 4);
        eventually(() -> engineStatus("poisoned").state() == ProjectionState.FAILED);
        assertThat(applied("healthy")).containsExactly(poison, later.get(0), later.get(1), later.get(2));
        assertThat(applied("poisoned")).isEmpty();
    }

    @Test
    void aRestartAfterTheFixResumesAtTheFailedEvent() throws Exception {
        List<UUID> written = new ArrayList<>(appendEvents("fine", 2));
        written.add(appendPoison("poison"));
        written.addAll(appendEvents("after", 2));
        ProjectionEngine broken =
                engine(new RecordingProjection("poisoned"), settings().withRetries(2, Duration.ofMillis(10)));
        broken.start();
        eventually(() -> engineStatus("poisoned").state() == ProjectionState.FAILED);
        broken.close();

        RecordingProjection fixed = new RecordingProjection("poisoned");
        fixed.curePoison();
        engine(fixed, settings()).start();

        eventually(() -> applied("poisoned").size() == written.size());
        assertThat(applied("poisoned")).containsExactlyElementsOf(written);
        assertThat(engineStatus("poisoned").state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(engineStatus("poisoned").failedEventId()).isNull();
    }

    @Test
    void tellsWhichPositionAProjectionHasReached() throws Exception {
        AppliedPositions positions = track(new AppliedPositions(dataSource, Duration.ofMillis(100)));
        ProjectionEngine engine = track(
                new ProjectionEngine(dataSource, List.of(new RecordingProjection("views")), settings(), positions));
        store = new PostgresEventStore(dataSource, appended -> engine.wakeUp());
        StreamId stream = StreamId.of("thing", "versioned");
        AppendResult result = store.append(
                stream,
                ExpectedVersion.noStream(),
                List.of(
                        NewEvent.of(UUID.randomUUID(), "Happened", "{}"),
                        NewEvent.of(UUID.randomUUID(), "Happened", "{}")));
        assertThat(positions.hasReached("views", result.lastPosition())).isFalse();
        assertThat(positions.awaitPosition("views", result.lastPosition(), Duration.ofMillis(100)))
                .isFalse();

        engine.start();

        assertThat(positions.awaitPosition("views", result.lastPosition(), PATIENCE))
                .isTrue();
        assertThat(positions.hasReached("views", result.lastPosition())).isTrue();
    }

    private ProjectionSettings settings() {
        return ProjectionSettings.defaults()
                .withBatchSize(50)
                .withPollInterval(Duration.ofMillis(100))
                .withLeaderRetryInterval(Duration.ofMillis(200));
    }

    private ProjectionEngine engine(RecordingProjection projection, ProjectionSettings settings) {
        return engine(List.of(projection), settings);
    }

    private ProjectionEngine engine(List<RecordingProjection> projections, ProjectionSettings settings) {
        ProjectionEngine engine = track(new ProjectionEngine(dataSource, projections, settings));
        store = new PostgresEventStore(dataSource, result -> engine.wakeUp());
        return engine;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private ProjectionStatus engineStatus(String projection) {
        return Checkpoints.status(org.jooq.impl.DSL.using(dataSource, org.jooq.SQLDialect.POSTGRES), projection)
                .orElseThrow();
    }

    private List<UUID> appendEvents(String streamId, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            store.append(
                    StreamId.of("thing", streamId),
                    ExpectedVersion.exactly(i),
                    List.of(NewEvent.of(id, "Happened", "{\"n\": " + i + "}")));
            ids.add(id);
        }
        return ids;
    }

    private UUID appendPoison(String streamId) {
        UUID id = UUID.randomUUID();
        store.append(
                StreamId.of("thing", streamId),
                ExpectedVersion.any(),
                List.of(NewEvent.of(id, "Happened", RecordingProjection.POISON)));
        return id;
    }

    private List<UUID> appendConcurrently(int threads, int perThread) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String stream = "concurrent-" + t;
                futures.add(executor.submit(() -> appendEvents(stream, perThread)));
            }
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> future : futures) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            executor.shutdownNow();
        }
    }

    private List<UUID> applied(String projection) {
        return query("SELECT event_id FROM public.applied WHERE projection = ? ORDER BY id", projection, result ->
                (UUID) result.getObject(1));
    }

    private boolean appliedInGlobalOrder(String projection) {
        List<Long> order = query("""
                SELECT e.transaction_id::text::bigint FROM public.applied a
                JOIN eventstore.events e ON e.event_id = a.event_id
                WHERE a.projection = ? ORDER BY a.id
                """, projection, result -> result.getLong(1));
        return order.stream().sorted().toList().equals(order);
    }

    private long positionOf(UUID eventId) {
        return query(
                        "SELECT position FROM eventstore.events WHERE event_id = ?::uuid",
                        eventId.toString(),
                        result -> result.getLong(1))
                .getFirst();
    }

    private void terminateBackend(int pid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            terminate.setInt(1, pid);
            terminate.execute();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String postgresMessageOf(String sql, String parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
            throw new AssertionError("the statement should have failed");
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private interface RowMapper<T> {
        T map(ResultSet result) throws SQLException;
    }

    private <T> List<T> query(String sql, String parameter, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        eventually(condition, PATIENCE);
    }

    private static void eventually(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + patience);
            }
            Thread.sleep(20);
        }
    }
}
