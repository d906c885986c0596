package dev.onepg.app.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.OnePgApplication;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.projection.AppliedPositions;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import dev.onepg.eventstore.postgres.projection.RebuildProgress;
import dev.onepg.platform.testing.TestDatabaseProperties;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.UserId;
import dev.onepg.users.application.UserStreams;
import dev.onepg.users.application.port.in.UserPage;
import dev.onepg.users.application.port.in.UserQueries;
import dev.onepg.users.application.port.in.UserView;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The users views are a pure function of the events: built live, batch by batch, and rebuilt blue/green from the
 * first event, they come out identical row for row; the rebuild's switch leaves no trace beyond the new rows.
 */
@SpringBootTest(classes = OnePgApplication.class)
class UserViewsRebuildIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabaseProperties.register(registry);
    }

    @Autowired
    EventStore store;

    @Autowired
    ProjectionEngine springEngine;

    @Autowired
    List<Projection> projections;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UserQueries queries;

    private ProjectionEngine engine;

    private AppliedPositions positions;

    @BeforeEach
    void takeOverTheProjections() {
        // The test applies the live batches itself, so nothing else may apply them.
        springEngine.close();
        jdbc.update("UPDATE eventstore.projections SET status = 'RUNNING' WHERE name = 'users'");
    }

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.close();
        }
        if (positions != null) {
            positions.close();
        }
    }

    /** An engine of the test's own, with readers' positions watched as the service watches them. */
    private ProjectionEngine newEngine(ProjectionSettings settings) {
        positions = new AppliedPositions(dataSource, Duration.ofMillis(100));
        return new ProjectionEngine(dataSource, projections, settings, positions);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42})
    void rebuiltViewsAreIdenticalToViewsBuiltLiveInBatchesOfRandomSizes(long seed) throws Exception {
        Random random = new Random(seed);
        appendRandomLog(random, 40, 500);
        assertThat(jdbc.queryForList("SELECT DISTINCT event_type FROM eventstore.events", String.class))
                .containsExactlyInAnyOrderElementsOf(UserEventTypes.TABLE.names());

        buildLiveInRandomBatches(random);
        List<Map<String, Object>> currentLive = currentUsers();
        List<Map<String, Object>> historyLive = history();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM users.user_history WHERE valid_to IS NOT NULL", Long.class))
                .isPositive();
        assertThat(historyLive.size()).isGreaterThan(currentLive.size());
        Set<String> namesBefore = indexConstraintAndStorageNames();
        // The current rows are rewritten by every event and keep room for it on their pages; the history is only
        // inserted into and packs them.
        assertThat(namesBefore)
                .contains("current_users storage fillfactor=90")
                .noneMatch(name -> name.startsWith("user_history storage"));

        // The rebuild reads the log in chunks of 20 times the batch size: 40 to 180 events here, many chunks.
        rebuild(ProjectionSettings.defaults().withBatchSize(2 + random.nextInt(8)));

        assertThat(currentUsers()).isEqualTo(currentLive);
        assertThat(history()).isEqualTo(historyLive);
        assertThat(indexConstraintAndStorageNames()).isEqualTo(namesBefore);
    }

    /**
     * The list as of an instant (closed periods from the history, open ones from the current rows) holds every user
     * that existed then, as folded from the log up to that instant, and no one else: before, at and between events.
     */
    @Test
    void theListAsOfAnInstantHoldsEveryUserAsFoldedFromTheLogAtThatInstant() throws Exception {
        Random random = new Random(17);
        appendRandomLog(random, 30, 400);
        buildLiveInRandomBatches(random);
        List<UserId> everyone = jdbc
                .queryForList(
                        "SELECT DISTINCT stream_id FROM eventstore.events WHERE stream_type = 'user'", String.class)
                .stream()
                .map(id -> new UserId(UUID.fromString(id)))
                .toList();
        List<Instant> recorded = jdbc
                .queryForList("SELECT recorded_at FROM eventstore.events ORDER BY position", java.sql.Timestamp.class)
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList();
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant at = recorded.get(random.nextInt(recorded.size()));
            instants.addAll(List.of(at, at.minusNanos(1_000), at.plusNanos(1_000)));
        }
        instants.add(recorded.getFirst().minusSeconds(1));
        instants.add(recorded.getLast());

        for (Instant at : instants) {
            List<UserView> folded = everyone.stream()
                    .map(user -> queries.findAsOf(user, at))
                    .flatMap(java.util.Optional::stream)
                    .toList();
            UserPage listed = queries.listAsOf(at, null, 0, 1_000);
            assertThat(listed.items()).as("as of %s", at).containsExactlyInAnyOrderElementsOf(folded);
            assertThat(listed.totalItems()).isEqualTo(folded.size());
        }
    }

    /**
     * Whatever a batch holds (creates, changes, reverts, deletes of many users), it writes both views in one round
     * trip: three statements sent together, no COPY. Before that it reads the current rows of its users in one more,
     * unless the batches before left them remembered: then it reads nothing. A batch that rolled back leaves rows
     * remembered ahead of the views; applied again, it reads them and writes what it wrote the first time.
     */
    @Test
    void aLiveBatchWritesInOneRoundTripAndReadsOnlyTheUsersItDoesNotRememberRightBeforeIt() throws Exception {
        appendRandomLog(new Random(11), 20, 300);
        List<RecordedEvent> log = wholeLog();
        List<RecordedEvent> before = log.subList(0, log.size() - 200);
        List<RecordedEvent> batch = log.subList(log.size() - 200, log.size());
        assertThat(batch).extracting(RecordedEvent::type).contains("UserCreated", "UserDeleted", "UserReverted");
        List<String> remembered = new ArrayList<>();
        List<String> afterRollback = new ArrayList<>();

        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("TRUNCATE users.current_users, users.user_history");
            users().apply(before, () -> connection);
            Savepoint beforeBatch = connection.setSavepoint();
            users().apply(batch, () -> noting(connection, remembered));
            List<List<Object>> firstTime = viewRows(connection);
            connection.rollback(beforeBatch);
            users().apply(batch, () -> noting(connection, afterRollback));
            List<List<Object>> again = viewRows(connection);
            connection.rollback();

            assertThat(again).isEqualTo(firstTime);
        }

        assertThat(remembered).containsExactly("prepareStatement INSERT");
        assertThat(afterRollback).containsExactly("prepareStatement SELECT", "prepareStatement INSERT");
    }

    /**
     * A batch large enough to copy its history rows in, applied after small ones (so it closes periods they
     * stored), writes the same views as small batches of the same log.
     */
    @Test
    void aLargeLiveBatchCopiesItsHistoryInAndEndsWhereSmallBatchesEnd() throws Exception {
        appendRandomLog(new Random(13), 60, 1_500);
        List<RecordedEvent> log = wholeLog();
        assertThat(log.size()).isGreaterThan(1_400);

        List<String> calls = new ArrayList<>();
        List<List<Object>> inOneBatch = viewsBuiltLive(log, log.size(), calls);
        List<List<Object>> inSmallBatches = viewsBuiltLive(log, 7, new ArrayList<>());

        assertThat(calls).contains("unwrap");
        assertThat(inOneBatch).isEqualTo(inSmallBatches);
    }

    /**
     * The views built from nothing, rolled back, as rows in order: the log's first 300 events in batches of 7, the
     * rest in batches of {@code batchSize}, noted.
     */
    private List<List<Object>> viewsBuiltLive(List<RecordedEvent> log, int batchSize, List<String> calls)
            throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("TRUNCATE users.current_users, users.user_history");
            for (int from = 0; from < 300; from += 7) {
                users().apply(log.subList(from, Math.min(300, from + 7)), () -> connection);
            }
            for (int from = 300; from < log.size(); from += batchSize) {
                users().apply(
                                log.subList(from, Math.min(log.size(), from + batchSize)),
                                () -> noting(connection, calls));
            }
            List<List<Object>> rows = viewRows(connection);
            connection.rollback();
            return rows;
        }
    }

    /** Both views as the connection sees them, row by row in key order. */
    private static List<List<Object>> viewRows(Connection connection) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        for (String query : List.of(
                "SELECT * FROM users.current_users ORDER BY user_id",
                "SELECT * FROM users.user_history ORDER BY user_id, version")) {
            try (var result = connection.createStatement().executeQuery(query)) {
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.add(result.getObject(column));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private List<RecordedEvent> wholeLog() {
        List<RecordedEvent> log = new ArrayList<>();
        List<RecordedEvent> chunk;
        do {
            chunk = store.readAfter(
                    log.isEmpty() ? Checkpoint.START : log.getLast().checkpoint(), 500);
            log.addAll(chunk);
        } while (!chunk.isEmpty());
        return log;
    }

    /** The connection, noting each statement prepared (by its first word) and any other way to send SQL. */
    private static Connection noting(Connection connection, List<String> calls) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(
                UserViewsRebuildIT.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "prepareStatement" -> calls.add("prepareStatement " + ((String) args[0]).split(" ")[0]);
                        case "createStatement", "prepareCall", "unwrap" -> calls.add(method.getName());
                        default -> {}
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aPausedProjectionStaysPausedThroughARebuildAndThenResumesOnTheRebuiltViews() throws Exception {
        appendRandomLog(new Random(3), 10, 60);
        engine = newEngine(fastSettings());
        engine.start();
        awaitCaughtUp();
        engine.pause("users");
        List<Map<String, Object>> currentBefore = currentUsers();
        UserId late = new UserId(UUID.randomUUID());
        append(late, 0, new UserEvent.UserCreated("late", "late@example.org", "hash"));

        awaitRebuilt(engine, engine.rebuild("users"));

        assertThat(engine.status("users").orElseThrow().state().name()).isEqualTo("PAUSED");
        assertThat(currentUsers()).hasSize(currentBefore.size() + 1);
        engine.resume("users");
        awaitCaughtUp();
        assertThat(currentUsers()).hasSize(currentBefore.size() + 1);
    }

    @Test
    void theSwitchQueuesReadersNoLongerThanItsLockTimeoutAndRetriesUntilTheBlockingReaderIsGone() throws Exception {
        appendRandomLog(new Random(5), 10, 60);
        engine = newEngine(fastSettings());
        engine.start();
        awaitCaughtUp();
        try (Connection longReader = dataSource.getConnection()) {
            longReader.setAutoCommit(false);
            longReader.createStatement().executeQuery("SELECT count(*) FROM users.current_users");

            RebuildProgress started = engine.rebuild("users");
            awaitState(engine, RebuildProgress.State.SWITCHING);
            // Give the switch time to queue its lock behind the long reader, at least once.
            Thread.sleep(1_500);
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(
                    () -> jdbc.queryForObject("SELECT count(*) FROM users.current_users", Long.class));
            try {
                // Without a lock timeout the read would wait behind the switch until the long reader ends.
                assertThat(read.get(2_500, TimeUnit.MILLISECONDS)).isPositive();
                assertThat(engine.rebuildProgress("users").orElseThrow().state())
                        .isEqualTo(RebuildProgress.State.SWITCHING);
            } finally {
                longReader.commit();
            }
            awaitRebuilt(engine, started);
        }
    }

    private void rebuild(ProjectionSettings settings) throws Exception {
        jdbc.update(
                "UPDATE eventstore.projections SET checkpoint_tx = ?::text::xid8, checkpoint_position = ?"
                        + " WHERE name = 'users'",
                String.valueOf(liveCheckpoint.transactionId()),
                liveCheckpoint.position());
        engine = newEngine(settings);
        engine.start();
        awaitRebuilt(engine, engine.rebuild("users"));
    }

    private Checkpoint liveCheckpoint = Checkpoint.START;

    /** What the runner does, with batch sizes of 1 to 40 drawn at random: apply, then move the checkpoint. */
    private void buildLiveInRandomBatches(Random random) throws Exception {
        jdbc.execute("TRUNCATE users.current_users, users.user_history");
        Projection users = users();
        Checkpoint checkpoint = Checkpoint.START;
        List<RecordedEvent> batch;
        do {
            batch = store.readAfter(checkpoint, 1 + random.nextInt(40));
            if (batch.isEmpty()) {
                break;
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                if (batch.size() == 1) {
                    users.apply(batch.getFirst(), () -> connection);
                } else {
                    users.apply(batch, () -> connection);
                }
                connection.commit();
            }
            checkpoint = batch.getLast().checkpoint();
        } while (true);
        liveCheckpoint = checkpoint;
    }

    /** Creates, renames, email and password changes, reverts and deletes of a few users, interleaved. */
    private void appendRandomLog(Random random, int userCount, int events) {
        record User(UserId id, List<String[]> states, boolean[] deleted) {}
        List<User> users = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            List<User> alive = users.stream().filter(user -> !user.deleted()[0]).toList();
            if (alive.isEmpty() || (users.size() < userCount && random.nextInt(5) == 0)) {
                User user = new User(new UserId(UUID.randomUUID()), new ArrayList<>(), new boolean[1]);
                String name = "user-" + user.id().value().toString().substring(0, 8);
                append(user.id(), 0, new UserEvent.UserCreated(name, name + "@example.org", "hash-" + i));
                user.states().add(new String[] {name, name + "@example.org"});
                users.add(user);
                continue;
            }
            User user = alive.get(random.nextInt(alive.size()));
            String[] now = user.states().getLast();
            long version = user.states().size();
            int kind = random.nextInt(20);
            if (kind == 0) {
                append(user.id(), version, new UserEvent.UserDeleted());
                user.deleted()[0] = true;
                continue;
            }
            String[] next;
            if (kind < 7) {
                next = new String[] {"renamed-" + i + (random.nextBoolean() ? "\t\\ tab" : ""), now[1]};
                append(user.id(), version, new UserEvent.UsernameChanged(next[0]));
            } else if (kind < 12) {
                next = new String[] {now[0], "moved-" + i + "@example.org"};
                append(user.id(), version, new UserEvent.EmailChanged(next[1]));
            } else if (kind < 16) {
                next = now;
                append(user.id(), version, new UserEvent.PasswordChanged("hash-" + i));
            } else {
                int toVersion = 1 + random.nextInt((int) version);
                next = user.states().get(toVersion - 1);
                append(user.id(), version, new UserEvent.UserReverted(toVersion, next[0], next[1]));
            }
            user.states().add(next);
        }
    }

    private void append(UserId user, long version, UserEvent event) {
        store.append(
                UserStreams.of(user),
                version == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version),
                List.of(UserEventTypes.TABLE.toNew(UUID.randomUUID(), event, EventMetadata.NONE)));
    }

    private Projection users() {
        return projections.stream()
                .filter(projection -> projection.name().equals("users"))
                .findFirst()
                .orElseThrow();
    }

    private static ProjectionSettings fastSettings() {
        return ProjectionSettings.defaults()
                .withBatchSize(5)
                .withPollInterval(Duration.ofMillis(50))
                .withLeaderRetryInterval(Duration.ofMillis(100));
    }

    private void awaitCaughtUp() throws InterruptedException {
        long last = jdbc.queryForObject("SELECT max(position) FROM eventstore.events", Long.class);
        engine.wakeUp();
        assertThat(positions.awaitPosition("users", last, PATIENCE)).isTrue();
    }

    private static void awaitState(ProjectionEngine engine, RebuildProgress.State state) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (engine.rebuildProgress("users").orElseThrow().state() != state) {
            assertThat(System.nanoTime()).as("rebuild reaches " + state).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitRebuilt(ProjectionEngine engine, RebuildProgress started) throws InterruptedException {
        assertThat(started.state()).isEqualTo(RebuildProgress.State.BUILDING);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        RebuildProgress progress;
        do {
            Thread.sleep(20);
            progress = engine.rebuildProgress("users").orElseThrow();
            assertThat(System.nanoTime()).as("rebuild finishes").isLessThan(deadline);
        } while (progress.state() != RebuildProgress.State.DONE && progress.state() != RebuildProgress.State.FAILED);
        assertThat(progress.error()).isNull();
        assertThat(progress.state()).isEqualTo(RebuildProgress.State.DONE);
    }

    private Set<String> indexConstraintAndStorageNames() {
        List<String> indexes = jdbc.queryForList(
                "SELECT tablename || ' index ' || indexname FROM pg_indexes WHERE schemaname = 'users'", String.class);
        List<String> constraints = jdbc.queryForList(
                "SELECT t.relname || ' constraint ' || c.conname FROM pg_constraint c"
                        + " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                        + " WHERE n.nspname = 'users'",
                String.class);
        List<String> storage = jdbc.queryForList(
                "SELECT relname || ' storage ' || array_to_string(reloptions, ', ') FROM pg_class"
                        + " WHERE relnamespace = 'users'::regnamespace AND reloptions IS NOT NULL",
                String.class);
        return java.util.stream.Stream.of(indexes, constraints, storage)
                .flatMap(List::stream)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private List<Map<String, Object>> currentUsers() {
        return jdbc.queryForList("SELECT * FROM users.current_users ORDER BY user_id");
    }

    private List<Map<String, Object>> history() {
        return jdbc.queryForList("SELECT * FROM users.user_history ORDER BY user_id, version");
    }
}
