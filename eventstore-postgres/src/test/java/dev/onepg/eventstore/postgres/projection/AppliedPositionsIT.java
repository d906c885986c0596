package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.testing.Eventually.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readers of a position: positions without an event count, and many waiting readers cost the database little. */
class AppliedPositionsIT {

    private static final int READERS = 100;

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void positionZeroAndGapsAreReachedOnceEverythingBeforeThemIs() throws Exception {
        AppliedPositions positions = db.track(new AppliedPositions(db.dataSource, Duration.ofMillis(100)));
        ProjectionEngine engine = engine(positions);
        engine.start();

        assertThat(positions.awaitPosition("views", 0, PATIENCE)).isTrue();
        long first = append("before-gap").lastPosition();
        long gap = rolledBackPosition();
        long after = append("after-gap").lastPosition();
        assertThat(gap).isBetween(first + 1, after - 1);

        assertThat(positions.awaitPosition("views", after, PATIENCE)).isTrue();
        assertThat(positions.awaitPosition("views", gap, Duration.ofMillis(50))).isTrue();
        assertThat(positions.hasReached("views", after + 1)).isFalse();
        assertThat(positions.awaitPosition("views", after + 1, Duration.ofMillis(300)))
                .isFalse();
        assertThat(positions.hasReached("unknown", 0)).isFalse();
    }

    @Test
    void aPositionBehindAnUnappliedEventIsNotReached() throws Exception {
        AppliedPositions positions = db.track(new AppliedPositions(db.dataSource, Duration.ofMillis(100)));
        long position = append("not-yet").lastPosition();
        engine(positions);

        assertThat(positions.hasReached("views", position - 1)).isTrue();
        assertThat(positions.hasReached("views", position)).isFalse();
        assertThat(positions.awaitPosition("views", position, Duration.ofMillis(200)))
                .isFalse();
    }

    @Test
    void manyWaitingReadersShareOneQueryPerBatch() throws Exception {
        CountingDataSource counting = new CountingDataSource(db.dataSource);
        AppliedPositions positions = db.track(new AppliedPositions(counting.dataSource(), Duration.ofSeconds(10)));
        engine(positions).start();
        long head = append("first").lastPosition();
        assertThat(positions.awaitPosition("views", head, PATIENCE)).isTrue();

        long queries =
                queriesWhileReadersWait(counting, () -> positions.awaitPosition("views", head + 1, PATIENCE), "shared");

        // One query when the batch commits, perhaps one more for readers arriving late; never one per reader.
        assertThat(queries).isLessThanOrEqualTo(3);
    }

    @Test
    void readersPollingOneByOneWouldCostAQueryPerReader() throws Exception {
        CountingDataSource counting = new CountingDataSource(db.dataSource);
        AppliedPositions positions = db.track(new AppliedPositions(counting.dataSource(), Duration.ofSeconds(10)));
        engine(positions).start();
        long head = append("first").lastPosition();
        assertThat(positions.awaitPosition("views", head, PATIENCE)).isTrue();

        // The broken variant: every reader asks the database itself until its position is reached.
        long queries = queriesWhileReadersWait(
                counting,
                () -> {
                    while (!positions.hasReached("views", head + 1)) {
                        Thread.sleep(50);
                    }
                    return true;
                },
                "polling");

        // Each reader asks at least once after the batch; some may have asked just before the count began.
        assertThat(queries).isGreaterThanOrEqualTo(READERS / 2);
    }

    private long queriesWhileReadersWait(CountingDataSource counting, Callable<Boolean> reader, String stream)
            throws Exception {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Boolean>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readers.add(executor.submit(reader));
            }
            Thread.sleep(500);
            long before = counting.statements();
            append(stream + "-next");
            for (Future<Boolean> waiting : readers) {
                assertThat(waiting.get()).isTrue();
            }
            return counting.statements() - before;
        } finally {
            executor.shutdownNow();
        }
    }

    private ProjectionEngine engine(AppliedPositions positions) {
        ProjectionEngine engine = db.engine(new ProjectionEngine(
                db.dataSource,
                List.of(new RecordingProjection("views")),
                ProjectionTestDatabase.settings(),
                positions));
        Checkpoints.register(org.jooq.impl.DSL.using(db.dataSource, org.jooq.SQLDialect.POSTGRES), "views");
        return engine;
    }

    private AppendResult append(String stream) {
        return db.store.append(
                StreamId.of("thing", stream),
                ExpectedVersion.any(),
                List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{}")));
    }

    /** Takes a position for an event and rolls it back, leaving a gap in the log. */
    private long rolledBackPosition() throws Exception {
        try (Connection connection = db.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement();
                    var result = statement.executeQuery("""
                            INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                            VALUES (gen_random_uuid(), 'thing', 'rolled-back', 1, 'Happened', '{}')
                            RETURNING position""")) {
                result.next();
                return result.getLong(1);
            } finally {
                connection.rollback();
            }
        }
    }

    /** Counts the statements run on the connections of a data source. */
    private static final class CountingDataSource {

        private final AtomicLong statements = new AtomicLong();
        private final DataSource dataSource;

        CountingDataSource(DataSource target) {
            this.dataSource = (DataSource) Proxy.newProxyInstance(
                    DataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class},
                    (proxy, method, arguments) -> {
                        Object result = invoke(target, method, arguments);
                        return result instanceof Connection connection ? counted(connection) : result;
                    });
        }

        DataSource dataSource() {
            return dataSource;
        }

        long statements() {
            return statements.get();
        }

        private Connection counted(Connection connection) {
            InvocationHandler handler = (proxy, method, arguments) -> {
                if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                    statements.incrementAndGet();
                }
                return invoke(connection, method, arguments);
            };
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments)
                throws Throwable {
            try {
                return method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
