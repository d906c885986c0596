package dev.onepg.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.DuplicateEventId;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.WrongExpectedVersion;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent one-event appends combined into shared statements still get each its own outcome: stored appends
 * their versions, stale and ahead-of-stream expectations a conflict, replays the original result, a reused event
 * id with other content a duplicate, whatever else shared their statement.
 */
class AppendCombinerIT {

    private static final int WRITERS = 12;
    private static final int APPENDS = 30;
    /** Picks the combined statement among the inserts of pg_stat_activity: only it reads arrays. */
    private static final String COMBINED = " AND query LIKE '%unnest%'";

    private HikariDataSource dataSource;
    private PostgresEventStore store;
    private PostgresEventStore byDefault;

    @BeforeEach
    void database() {
        dataSource = TestDatabases.dataSource(TestDatabases.create(), WRITERS + 2);
        // One combined statement at a time: every writer that finds it busy joins the next one.
        store = new PostgresEventStore(dataSource, AppendObserver.NONE, 1);
        byDefault = new PostgresEventStore(dataSource, AppendObserver.NONE);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void answersEachCombinedAppendWithItsOwnOutcome() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<UUID>>> writers = new ArrayList<>();
            for (int writer = 0; writer < WRITERS; writer++) {
                StreamId stream = StreamId.of("combined", "writer-" + writer);
                writers.add(executor.submit(() -> {
                    start.await();
                    return write(stream);
                }));
            }
            start.countDown();
            List<List<UUID>> stored = new ArrayList<>();
            for (Future<List<UUID>> writer : writers) {
                stored.add(writer.get(2, TimeUnit.MINUTES));
            }

            for (int writer = 0; writer < WRITERS; writer++) {
                List<RecordedEvent> events = store.read(StreamId.of("combined", "writer-" + writer));
                assertThat(events).extracting(RecordedEvent::eventId).isEqualTo(stored.get(writer));
                assertThat(events)
                        .extracting(RecordedEvent::version)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, APPENDS).boxed().toList());
            }
            assertThat(store.readAfter(Checkpoint.START, 10 * WRITERS * APPENDS))
                    .hasSize(WRITERS * APPENDS);
            assertThat(transactionsHoldingSeveralStreams())
                    .as("appends were combined")
                    .isPositive();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void probesEachExpectedVersionThroughTheIndexInAGenericPlanMadeOnAFreshTable() throws Exception {
        assertThat(genericPlan(AppendCombiner.INSERT))
                .contains("Index Only Scan using events_stream_version_key")
                .doesNotContain("Seq Scan")
                .doesNotContain("hashed");
    }

    @Test
    void anExistsProbeWouldHashTheWholeTableOnEveryExecutionOfThatPlan() throws Exception {
        // The shape the combined statement had before: its generic plan reads all events per statement.
        String withExists = AppendCombiner.INSERT.replace("(SELECT true FROM", "EXISTS (SELECT FROM");
        assertThat(withExists).isNotEqualTo(AppendCombiner.INSERT);

        assertThat(genericPlan(withExists)).contains("hashed SubPlan").contains("Seq Scan on events p");
    }

    @Test
    void checksOnlyTheStreamVersionIndexBeforeEachRowItInserts() throws Exception {
        assertThat(genericPlan(AppendCombiner.INSERT))
                .contains("Conflict Arbiter Indexes: events_stream_version_key\n")
                .doesNotContain("events_event_id_key")
                .doesNotContain("events_pkey");
    }

    @Test
    void anUntargetedOnConflictWouldCheckEveryUniqueIndexBeforeEachRow() throws Exception {
        // The shape the combined statement had before. Without a target PostgreSQL names no arbiter and checks
        // every unique index of the table before each row: three look-ups, one of them on the generated position,
        // which can never conflict.
        String untargeted =
                AppendCombiner.INSERT.replace("ON CONFLICT (stream_type, stream_id, version) DO", "ON CONFLICT DO");
        assertThat(untargeted).isNotEqualTo(AppendCombiner.INSERT);

        assertThat(genericPlan(untargeted))
                .contains("Conflict Resolution: NOTHING")
                .doesNotContain("Conflict Arbiter Indexes");
    }

    @Test
    void byDefaultAppendsQueueBehindAHangingStatementAndThenGoOnTogetherWithoutIt() throws Exception {
        List<StreamId> streams = seeded("hanging");
        ExecutorService executor = Executors.newFixedThreadPool(streams.size());
        try (Connection blockA = blocking(streams.get(0))) {
            long started = System.nanoTime();
            Future<AppendResult> hanging = executor.submit(() -> appendSecondVersion(streams.get(0)));
            awaitInsertsWaitingForTheLock(1);
            List<Future<AppendResult>> behind = new ArrayList<>();
            for (StreamId stream : streams.subList(1, streams.size())) {
                behind.add(executor.submit(() -> appendSecondVersion(stream)));
            }
            for (Future<AppendResult> append : behind) {
                assertStoredAsSecondVersion(append);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the appends behind the hanging statement waited for it to stall, one statement at a time")
                    .isGreaterThanOrEqualTo(AppendCombiner.STALLED_AFTER);
            assertThat(hanging)
                    .as("the hanging statement still waits for its stream's row")
                    .isNotDone();
            blockA.rollback();
            assertStoredAsSecondVersion(hanging);
        } finally {
            executor.shutdownNow();
        }

        Set<Long> transactions = new HashSet<>();
        for (StreamId stream : streams.subList(1, streams.size())) {
            transactions.add(byDefault.read(stream).getLast().checkpoint().transactionId());
        }
        assertThat(transactions)
                .as("the appends that waited share one transaction")
                .hasSize(1);
    }

    @Test
    void anInterruptedAppendWaitsForItsStatementWithoutSpinningAndKeepsTheInterrupt() throws Exception {
        List<StreamId> streams = seeded("interrupted");
        ExecutorService executor = Executors.newFixedThreadPool(streams.size());
        try (Connection blockA = blocking(streams.get(0));
                Connection blockC = blocking(streams.get(2))) {
            Future<AppendResult> hanging = executor.submit(() -> appendSecondVersion(streams.get(0)));
            awaitInsertsWaitingForTheLock(1);
            // c queues first, so that it leads the statement the stall lets start, and b goes along with it.
            Future<AppendResult> leader = executor.submit(() -> appendSecondVersion(streams.get(2)));
            Thread.sleep(200);
            Future<InterruptedAppend> interrupted = executor.submit(() -> {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long before = System.nanoTime();
                Thread.currentThread().interrupt();
                AppendResult result = appendSecondVersion(streams.get(1));
                return new InterruptedAppend(
                        result,
                        Thread.interrupted(),
                        Duration.ofNanos(System.nanoTime() - before),
                        Duration.ofNanos(threads.getCurrentThreadCpuTime() - cpuBefore));
            });
            awaitInsertsWaitingForTheLock(1, COMBINED);
            Thread.sleep(1_000);
            assertThat(interrupted)
                    .as("b waits for the statement that took it along")
                    .isNotDone();
            blockC.rollback();
            InterruptedAppend outcome = interrupted.get(1, TimeUnit.MINUTES);
            assertThat(outcome.result().events())
                    .extracting(AppendResult.Appended::version)
                    .containsExactly(2L);
            assertThat(outcome.stillInterrupted()).as("the interrupt is kept").isTrue();
            assertThat(outcome.waited()).isGreaterThan(Duration.ofSeconds(1));
            assertThat(outcome.cpu())
                    .as("CPU spent over %s of waiting", outcome.waited())
                    .isLessThan(Duration.ofMillis(300));
            assertStoredAsSecondVersion(leader);
            blockA.rollback();
            assertStoredAsSecondVersion(hanging);
        } finally {
            executor.shutdownNow();
        }
    }

    private static void assertStoredAsSecondVersion(Future<AppendResult> append) throws Exception {
        assertThat(append.get(1, TimeUnit.MINUTES).events())
                .extracting(AppendResult.Appended::version)
                .containsExactly(2L);
    }

    private record InterruptedAppend(AppendResult result, boolean stillInterrupted, Duration waited, Duration cpu) {}

    @Test
    void appendsWhoseStatementLostItsConnectionAreEachAnsweredByTheirOwnAppend() throws Exception {
        List<StreamId> streams = seeded("killed");
        ExecutorService executor = Executors.newFixedThreadPool(streams.size());
        try (Connection blockA = blocking(streams.get(0));
                Connection blockB = blocking(streams.get(1));
                Connection blockC = blocking(streams.get(2));
                Connection blockD = blocking(streams.get(3))) {
            List<Future<AppendResult>> appends = appendSecondVersions(executor, byDefault, streams);
            // One statement at a time: the first two appends run as plain inserts (the second once the first
            // stalled), the last two combined once the second stalled too. The oldest plain insert loses its
            // connection, and then the combined statement.
            terminateInsertsWaitingForTheLock(" AND query NOT LIKE '%unnest%'");
            awaitInsertsWaitingForTheLock(1, COMBINED);
            terminateInsertsWaitingForTheLock(COMBINED);
            for (Connection blocker : List.of(blockA, blockB, blockC, blockD)) {
                blocker.rollback();
            }

            for (int i = 0; i < streams.size(); i++) {
                AppendResult result = appends.get(i).get(1, TimeUnit.MINUTES);
                assertThat(result.stream()).isEqualTo(streams.get(i));
                assertThat(result.events())
                        .extracting(AppendResult.Appended::version)
                        .containsExactly(2L);
            }
        } finally {
            executor.shutdownNow();
        }
        for (StreamId stream : streams) {
            assertThat(byDefault.read(stream))
                    .extracting(RecordedEvent::version)
                    .containsExactly(1L, 2L);
        }
    }

    /** Four streams at version 1. */
    private List<StreamId> seeded(String type) {
        List<StreamId> streams = List.of("a", "b", "c", "d").stream()
                .map(id -> StreamId.of(type, id))
                .toList();
        for (StreamId stream : streams) {
            byDefault.append(stream, ExpectedVersion.noStream(), List.of(other()));
        }
        return streams;
    }

    private AppendResult appendSecondVersion(StreamId stream) {
        return byDefault.append(stream, ExpectedVersion.exactly(1), List.of(other()));
    }

    /**
     * Starts the appends of each stream's version 2 in order, the third once the first two wait at their streams'
     * rows, and gives the last two time to queue behind them.
     */
    private List<Future<AppendResult>> appendSecondVersions(
            ExecutorService executor, PostgresEventStore store, List<StreamId> streams) throws Exception {
        List<Future<AppendResult>> appends = new ArrayList<>();
        for (StreamId stream : streams) {
            appends.add(executor.submit(() -> store.append(stream, ExpectedVersion.exactly(1), List.of(other()))));
            if (appends.size() == 2) {
                awaitInsertsWaitingForTheLock(2);
            }
        }
        Thread.sleep(300);
        return appends;
    }

    /** A transaction holding an uncommitted version 2 of the stream: an insert of that version waits for it. */
    private Connection blocking(StreamId stream) throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (var insert = connection.prepareStatement("INSERT INTO eventstore.events"
                + " (event_id, stream_type, stream_id, version, event_type, payload)"
                + " VALUES (gen_random_uuid(), ?, ?, 2, 'Blocking', '{}')")) {
            insert.setString(1, stream.type());
            insert.setString(2, stream.id());
            insert.executeUpdate();
        }
        return connection;
    }

    /** Terminates the session of the insert that has waited longest among those {@code andAlso} picks. */
    private void terminateInsertsWaitingForTheLock(String andAlso) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long terminated = 0;
        while (terminated == 0) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity"
                                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                                    + " AND query LIKE 'INSERT INTO eventstore.events%'" + andAlso
                                    + " ORDER BY query_start LIMIT 1) waiting")) {
                result.next();
                terminated = result.getLong(1);
            }
            assertThat(System.nanoTime()).as("an insert waiting to terminate").isLessThan(deadline);
        }
    }

    private void awaitInsertsWaitingForTheLock(int count) throws Exception {
        awaitInsertsWaitingForTheLock(count, "");
    }

    /** Waits until at least {@code count} inserts that {@code andAlso} picks wait for a lock. */
    private void awaitInsertsWaitingForTheLock(int count, String andAlso) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (insertsWaitingForTheLock(andAlso) < count) {
            assertThat(System.nanoTime()).as("inserts waiting for the lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private long insertsWaitingForTheLock() throws Exception {
        return insertsWaitingForTheLock("");
    }

    private long insertsWaitingForTheLock(String andAlso) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO eventstore.events%'" + andAlso)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The plan PostgreSQL caches for a prepared statement once it stops planning per execution. */
    private String genericPlan(String jdbcSql) throws Exception {
        StringBuilder sql = new StringBuilder();
        int parameters = 0;
        for (char c : jdbcSql.toCharArray()) {
            if (c == '?') {
                sql.append('$').append(++parameters);
            } else {
                sql.append(c);
            }
        }
        StringBuilder plan = new StringBuilder();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("PREPARE combined AS " + sql);
            statement.execute("SET plan_cache_mode = force_generic_plan");
            try (ResultSet lines = statement.executeQuery(
                    "EXPLAIN EXECUTE combined(" + String.join(", ", Collections.nCopies(parameters, "NULL")) + ")")) {
                while (lines.next()) {
                    plan.append(lines.getString(1)).append('\n');
                }
            } finally {
                statement.execute("DEALLOCATE combined");
                statement.execute("RESET plan_cache_mode");
            }
        }
        return plan.toString();
    }

    /** Appends to its own stream, and after each append tries a stale, an ahead, a replay and a duplicate. */
    private List<UUID> write(StreamId stream) {
        List<UUID> stored = new ArrayList<>();
        for (long version = 0; version < APPENDS; version++) {
            NewEvent event = NewEvent.of(UUID.randomUUID(), "Counted", "{\"n\":" + version + "}");
            AppendRequest request = AppendRequest.of(stream, ExpectedVersion.exactly(version), List.of(event));
            AppendResult result = store.append(request);
            assertThat(result.lastVersion()).isEqualTo(version + 1);
            assertThat(result.events().getFirst().eventId()).isEqualTo(event.eventId());
            stored.add(event.eventId());
            long current = version + 1;

            assertThat(store.append(request)).as("a replay").isEqualTo(result.asReplay());
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(current - 1), List.of(other())))
                    .isInstanceOfSatisfying(
                            WrongExpectedVersion.class,
                            stale -> assertThat(stale.actualVersion()).isEqualTo(current));
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(current + 1), List.of(other())))
                    .isInstanceOfSatisfying(
                            WrongExpectedVersion.class,
                            ahead -> assertThat(ahead.actualVersion()).isEqualTo(current));
            assertThatThrownBy(() -> store.append(
                            stream,
                            ExpectedVersion.exactly(current),
                            List.of(NewEvent.of(event.eventId(), "Counted", "{\"other\":true}"))))
                    .isInstanceOf(DuplicateEventId.class);
        }
        return stored;
    }

    private static NewEvent other() {
        return NewEvent.of(UUID.randomUUID(), "Counted", "{\"n\":-1}");
    }

    private long transactionsHoldingSeveralStreams() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM (SELECT transaction_id"
                        + " FROM eventstore.events GROUP BY transaction_id HAVING count(DISTINCT stream_id) > 1) t")) {
            result.next();
            return result.getLong(1);
        }
    }
}
