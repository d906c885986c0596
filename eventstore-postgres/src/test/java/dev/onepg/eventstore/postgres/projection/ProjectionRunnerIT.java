package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.projection.ProjectionTestDatabase.settings;
import static dev.onepg.eventstore.postgres.testing.Eventually.PATIENCE;
import static dev.onepg.eventstore.postgres.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectionRunnerIT {

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void projectsAtStartTheEventsWrittenWhileNoRunnerRan() throws Exception {
        List<UUID> written = db.appendEvents("before-start", 30);

        engine(new RecordingProjection("views"), settings()).start();

        eventually(() -> db.applied("views").size() == 30);
        assertThat(db.applied("views")).containsExactlyElementsOf(written);
        assertThat(db.status("views").checkpoint().position()).isPositive();
    }

    @Test
    void pollingCatchesUpWhenNoNotificationArrives() throws Exception {
        engine(new RecordingProjection("views"), settings().withPollInterval(Duration.ofMillis(200)))
                .start();

        List<UUID> written = db.appendEvents("unannounced", 5);

        eventually(() -> db.applied("views").size() == 5);
        assertThat(db.applied("views")).containsExactlyElementsOf(written);
    }

    @Test
    void recoversFromAKilledListeningConnection() throws Exception {
        ProjectionEngine engine =
                engine(new RecordingProjection("views"), settings().withPollInterval(Duration.ofMinutes(5)));
        engine.start();
        NotificationListener listener =
                db.track(new NotificationListener(db.dataSource, "onepg_test", engine::wakeUp, Duration.ofMillis(200)));
        eventually(listener::isListening);
        int killed = listener.backendPid();

        terminateBackend(killed);
        eventually(() -> listener.isListening() && listener.backendPid() != killed);

        CoalescingNotifier notifier =
                db.track(new CoalescingNotifier(db.dataSource, "onepg_test", committedBy -> {}, Duration.ofMillis(1)));
        PostgresEventStore notifyingStore = new PostgresEventStore(db.dataSource, notifier);
        UUID eventId = UUID.randomUUID();
        notifyingStore.append(
                StreamId.of("thing", "after-reconnect"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(eventId, "Happened", "{}")));

        eventually(() -> db.applied("views").contains(eventId));
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
        List<UUID> written = db.appendEvents("after-takeover", 3);

        eventually(() -> second.leads("views"), Duration.ofSeconds(5));
        eventually(() -> db.applied("views").containsAll(written));
        assertThat(db.status("views").leader()).isEqualTo("second");
    }

    @Test
    void aFailingEventStopsItsProjectionWithTheErrorAndLeavesNoPartialBatch() throws Exception {
        RecordingProjection poisoned = new RecordingProjection("poisoned");
        List<UUID> written = new ArrayList<>(db.appendEvents("fine", 4));
        UUID poison = appendPoison("poison");
        written.add(poison);
        written.addAll(db.appendEvents("after", 3));

        ProjectionEngine engine = engine(poisoned, settings().withRetries(2, Duration.ofMillis(10)));
        engine.start();

        eventually(() -> db.status("poisoned").state() == ProjectionState.FAILED);
        ProjectionStatus status = db.status("poisoned");
        assertThat(status.failedEventId()).isEqualTo(poison);
        assertThat(status.lastError()).contains("poisoned event " + poison);
        assertThat(db.applied("poisoned")).containsExactlyElementsOf(written.subList(0, 4));
        assertThat(status.checkpoint().position()).isLessThan(positionOf(poison));
    }

    @Test
    void aStoppedProjectionKeepsTheSqlStateAndConstraintOfItsErrorButNotTheRowsValues() throws Exception {
        db.execute("CREATE TABLE public.guarded (email text CONSTRAINT guarded_email_short CHECK (length(email) < 5))");
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
        db.store.append(
                StreamId.of("thing", "guarded"),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(UUID.randomUUID(), "Registered", payload)));

        db.track(new ProjectionEngine(
                        db.dataSource, List.of(guarded), settings().withRetries(1, Duration.ofMillis(10))))
                .start();

        eventually(() -> db.status("guarded").state() == ProjectionState.FAILED);
        assertThat(postgresMessageOf(insert, payload))
                .as("PostgreSQL's own message quotes the row, so keeping it would leak the email")
                .contains(email);
        assertThat(db.status("guarded").lastError())
                .contains("org.postgresql.util.PSQLException")
                .contains("SQLSTATE 23514")
                .contains("constraint guarded_email_short")
                .contains("table public.guarded")
                .doesNotContain(email)
                .doesNotContain("Failing row");
    }

    /**
     * A write left for the commit fails only once the runner sends it with the checkpoint's move: the batch must
     * still commit nothing, the rows written at once included, and the failure must count as the projection's.
     */
    @Test
    void aLastWriteLeftForTheCommitThatFailsStopsItsProjectionAndCommitsNothingOfItsBatch() throws Exception {
        db.execute("CREATE TABLE public.guarded (email text CONSTRAINT guarded_email_short CHECK (length(email) < 5))");
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
                try (PreparedStatement applied = transaction
                        .connection()
                        .prepareStatement(
                                "INSERT INTO public.applied (projection, event_id, position) VALUES (?, ?, ?)")) {
                    applied.setString(1, "guarded");
                    applied.setObject(2, event.eventId());
                    applied.setLong(3, event.position());
                    applied.executeUpdate();
                }
                transaction.writeWithCommit(
                        "INSERT INTO public.guarded (email) SELECT ?::jsonb ->> 'email'", (statement, first) -> {
                            statement.setString(first, event.payload());
                            return first + 1;
                        });
            }
        };
        List<UUID> fine = new ArrayList<>();
        fine.add(registered("a@b"));
        fine.add(registered("c@d"));
        UUID tooLong = registered("ada.lovelace@example.org");
        registered("e@f");

        db.track(new ProjectionEngine(
                        db.dataSource, List.of(guarded), settings().withRetries(2, Duration.ofMillis(10))))
                .start();

        eventually(() -> db.status("guarded").state() == ProjectionState.FAILED);
        ProjectionStatus status = db.status("guarded");
        assertThat(status.failedEventId()).isEqualTo(tooLong);
        assertThat(status.lastError()).contains("SQLSTATE 23514").contains("constraint guarded_email_short");
        assertThat(status.checkpoint().position()).isLessThan(positionOf(tooLong));
        assertThat(db.applied("guarded")).containsExactlyElementsOf(fine);
        assertThat(ProjectionTestDatabase.query(
                        db.dataSource, "SELECT email FROM public.guarded", null, row -> row.getString(1)))
                .containsExactly("a@b", "c@d");
    }

    private UUID registered(String email) {
        UUID eventId = UUID.randomUUID();
        db.store.append(
                StreamId.of("thing", email),
                ExpectedVersion.noStream(),
                List.of(NewEvent.of(eventId, "Registered", "{\"email\": \"" + email + "\"}")));
        return eventId;
    }

    @Test
    void batchesCommitWithoutWaitingForTheDiskOnReusedPlansWhilePooledConnectionsStayAsTheyWere() throws Exception {
        db.execute("CREATE TABLE public.commit_modes (mode text, plans text)");
        // The test server does not wait for the disk at all; the connections of this pool do.
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.database.jdbcUrl());
        config.setUsername(db.database.username());
        config.setPassword(db.database.password());
        config.setMaximumPoolSize(5);
        config.setConnectionInitSql("SET synchronous_commit = on");
        HikariDataSource durable = db.track(new HikariDataSource(config));
        Projection commitModes = new Projection() {
            @Override
            public String name() {
                return "commit-modes";
            }

            @Override
            public Set<String> eventTypes() {
                return Set.of("Happened");
            }

            @Override
            public void apply(RecordedEvent event, ProjectionTransaction transaction) throws SQLException {
                try (PreparedStatement statement = transaction
                        .connection()
                        .prepareStatement(
                                "INSERT INTO public.commit_modes SELECT current_setting('synchronous_commit'),"
                                        + " current_setting('plan_cache_mode')")) {
                    statement.executeUpdate();
                }
            }
        };
        ProjectionEngine engine = db.engine(new ProjectionEngine(durable, List.of(commitModes), settings()));
        engine.start();

        db.appendEvents("modes", 3);

        eventually(() -> db.query("SELECT count(*) FROM public.commit_modes", result -> result.getLong(1))
                        .getFirst()
                == 3);
        assertThat(db.query("SELECT DISTINCT mode FROM public.commit_modes", result -> result.getString(1)))
                .as("views and checkpoint commit together, so a batch lost in a crash is applied again from the log")
                .containsExactly("off");
        assertThat(db.query("SELECT DISTINCT plans FROM public.commit_modes", result -> result.getString(1)))
                .as("a batch's statements run on the plans prepared once, the read of the log's included")
                .containsExactly("force_generic_plan");
        engine.close();
        List<Connection> pooled = new ArrayList<>();
        try {
            for (int i = 0; i < durable.getMaximumPoolSize(); i++) {
                pooled.add(durable.getConnection());
            }
            for (Connection connection : pooled) {
                try (PreparedStatement show = connection.prepareStatement(
                                "SELECT current_setting('synchronous_commit'), current_setting('plan_cache_mode')");
                        var result = show.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1))
                            .as("appends on the runner's connection must still wait for the disk")
                            .isEqualTo("on");
                    assertThat(result.getString(2))
                            .as("other work on the runner's connection plans as the server chooses")
                            .isEqualTo("auto");
                }
            }
        } finally {
            for (Connection connection : pooled) {
                connection.close();
            }
        }
    }

    @Test
    void aSteadyStreamOfWritesIsAppliedInSpacedBatches() throws Exception {
        engine(new RecordingProjection("views"), settings().withBatchSpacing(Duration.ofMillis(100)))
                .start();

        List<UUID> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            written.addAll(db.appendEvents("steady-" + i, 1));
            Thread.sleep(10);
        }

        eventually(() -> db.applied("views").size() == written.size());
        assertThat(db.applied("views")).containsExactlyElementsOf(written);
        assertThat(batches("views"))
                .as("a batch every 100 ms at most, over a second or more of writes every 10 ms")
                .isBetween(2L, 20L);
    }

    @Test
    void aBacklogIsAppliedWithoutSpacing() throws Exception {
        List<UUID> written = db.appendEvents("backlog", 400);

        long started = System.nanoTime();
        engine(new RecordingProjection("views"), settings().withBatchSize(10).withBatchSpacing(Duration.ofSeconds(2)))
                .start();

        eventually(() -> db.applied("views").size() == written.size());
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("full batches of 10, 20, 40, 80 and 160 events, none waiting 2 s for the spacing")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(db.applied("views")).containsExactlyElementsOf(written);
    }

    @Test
    void aBacklogOfLargeEventsGrowsItsBatchesOnlyAsFarAsTheirBytesFit() throws Exception {
        List<UUID> written = db.appendEvents("large", 60, LargeEvents.PADDING);

        engine(new RecordingProjection("views"), settings().withBatchSize(10).withBatchBytes(LargeEvents.BYTES))
                .start();

        eventually(() -> db.applied("views").size() == written.size());
        assertThat(db.applied("views")).containsExactlyElementsOf(written);
        LargeEvents.assertBoundedAfterTheFirst(batchSizes("views"), 10, "20, then 30");
    }

    /** The events of each batch that applied the projection's events, in the order the batches ran. */
    private List<Long> batchSizes(String projection) {
        return db.query(
                "SELECT count(*) FROM public.applied WHERE projection = ?"
                        + " GROUP BY xmin::text::bigint ORDER BY xmin::text::bigint",
                projection,
                result -> result.getLong(1));
    }

    /** The batches that applied the projection's events: the transactions that wrote its rows. */
    private long batches(String projection) {
        return db.query(
                        "SELECT count(DISTINCT xmin::text) FROM public.applied WHERE projection = ?",
                        projection,
                        result -> result.getLong(1))
                .getFirst();
    }

    @Test
    void otherProjectionsKeepRunningWhileOneIsStopped() throws Exception {
        UUID poison = appendPoison("poison");
        List<UUID> later = db.appendEvents("later", 3);

        RecordingProjection healthy = new RecordingProjection("healthy");
        healthy.curePoison();
        engine(List.of(new RecordingProjection("poisoned"), healthy), settings().withRetries(2, Duration.ofMillis(10)))
                .start();

        eventually(() -> db.applied("healthy").size() == 4);
        eventually(() -> db.status("poisoned").state() == ProjectionState.FAILED);
        assertThat(db.applied("healthy")).containsExactly(poison, later.get(0), later.get(1), later.get(2));
        assertThat(db.applied("poisoned")).isEmpty();
    }

    @Test
    void aRestartAfterTheFixResumesAtTheFailedEvent() throws Exception {
        List<UUID> written = new ArrayList<>(db.appendEvents("fine", 2));
        written.add(appendPoison("poison"));
        written.addAll(db.appendEvents("after", 2));
        ProjectionEngine broken =
                engine(new RecordingProjection("poisoned"), settings().withRetries(2, Duration.ofMillis(10)));
        broken.start();
        eventually(() -> db.status("poisoned").state() == ProjectionState.FAILED);
        broken.close();

        RecordingProjection fixed = new RecordingProjection("poisoned");
        fixed.curePoison();
        engine(fixed, settings()).start();

        eventually(() -> db.applied("poisoned").size() == written.size());
        assertThat(db.applied("poisoned")).containsExactlyElementsOf(written);
        assertThat(db.status("poisoned").state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(db.status("poisoned").failedEventId()).isNull();
    }

    @Test
    void tellsWhichPositionAProjectionHasReached() throws Exception {
        AppliedPositions positions = db.track(new AppliedPositions(db.dataSource, Duration.ofMillis(100)));
        ProjectionEngine engine = db.track(
                new ProjectionEngine(db.dataSource, List.of(new RecordingProjection("views")), settings(), positions));
        db.store =
                new PostgresEventStore(db.dataSource, (appended, committedBy) -> engine.wakeUpAfterCommit(committedBy));
        StreamId stream = StreamId.of("thing", "versioned");
        AppendResult result = db.store.append(
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

    private ProjectionEngine engine(RecordingProjection projection, ProjectionSettings settings) {
        return engine(List.of(projection), settings);
    }

    private ProjectionEngine engine(List<RecordingProjection> projections, ProjectionSettings settings) {
        return db.engine(new ProjectionEngine(db.dataSource, projections, settings));
    }

    private UUID appendPoison(String streamId) {
        UUID id = UUID.randomUUID();
        db.store.append(
                StreamId.of("thing", streamId),
                ExpectedVersion.any(),
                List.of(NewEvent.of(id, "Happened", RecordingProjection.POISON)));
        return id;
    }

    private boolean appliedInGlobalOrder(String projection) {
        List<Long> order = db.query("""
                SELECT e.transaction_id::text::bigint FROM public.applied a
                JOIN eventstore.events e ON e.event_id = a.event_id
                WHERE a.projection = ? ORDER BY a.id
                """, projection, result -> result.getLong(1));
        return order.stream().sorted().toList().equals(order);
    }

    private long positionOf(UUID eventId) {
        return db.query(
                        "SELECT position FROM eventstore.events WHERE event_id = ?::uuid",
                        eventId.toString(),
                        result -> result.getLong(1))
                .getFirst();
    }

    private void terminateBackend(int pid) throws SQLException {
        try (Connection connection = db.dataSource.getConnection();
                PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            terminate.setInt(1, pid);
            terminate.execute();
        }
    }

    private String postgresMessageOf(String sql, String parameter) throws SQLException {
        try (Connection connection = db.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
            throw new AssertionError("the statement should have failed");
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
