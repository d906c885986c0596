package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.AppendObserver;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.UsernameChanged;
import dev.onepg.users.UserEventTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One append of {@code batch} {@code UsernameChanged} events per transaction, each thread to 100 users of its own
 * with the exact expected version, in a fresh database per trial (JMH fork), through a pool of as many connections
 * as threads. The appenders: {@code PostgresEventStore.append} with the service's {@code CoalescingNotifier} (on a
 * connection of its own) and without it; plain JDBC {@code INSERT ... VALUES} of the same rows into a minimal
 * events table (one unique {@code (stream_id, version)} index) and into an identical copy of
 * {@code eventstore.events} ({@code LIKE ... INCLUDING ALL}), the version counted by the client, a JDBC batch in
 * one transaction when {@code batch > 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    static final String MINIMAL_TABLE = """
            CREATE SCHEMA bench;
            CREATE TABLE bench.minimal_events (
                id uuid PRIMARY KEY, stream_id text NOT NULL, version bigint NOT NULL, type text NOT NULL,
                payload jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version));
            CREATE TABLE bench.identical_events (LIKE eventstore.events INCLUDING ALL);
            """;

    /** Plain JDBC's insert of one event into the minimal table: id, stream id, version, type, payload. */
    static final String MINIMAL_INSERT =
            "INSERT INTO bench.minimal_events (id, stream_id, version, type, payload) VALUES (?, ?, ?, ?, ?::jsonb)";

    /** The same five parameters into the table identical to the store's. */
    static final String IDENTICAL_INSERT = "INSERT INTO bench.identical_events (event_id, stream_id, version,"
            + " event_type, payload, stream_type) VALUES (?, ?, ?, ?, ?::jsonb, '" + UserEvent.STREAM_TYPE + "')";

    @Param({"jdbc-minimal", "jdbc-identical", "store", "store-no-notifier"})
    public String appender = "";

    @Param({"1"})
    public int batch;

    /** {@code -Dbench.notifyIntervalMs=N}: the notifier's shortest time between two notifications (the service's default). */
    static final String NOTIFY_INTERVAL_PROPERTY = "bench.notifyIntervalMs";

    static final Duration NOTIFY_INTERVAL =
            Duration.ofMillis(Long.getLong(NOTIFY_INTERVAL_PROPERTY, CoalescingNotifier.DEFAULT_INTERVAL_MILLIS));

    /** {@code -Dbench.combinedStatements=N}: the store's combined statements (the store's default). */
    static final String COMBINED_STATEMENTS_PROPERTY = "bench.combinedStatements";

    static final int COMBINED_STATEMENTS =
            Integer.getInteger(COMBINED_STATEMENTS_PROPERTY, PostgresEventStore.DEFAULT_COMBINED_STATEMENTS);

    private @Nullable Db db;
    private @Nullable HikariDataSource pool;
    private @Nullable HikariDataSource notifierPool;
    private @Nullable CoalescingNotifier notifier;
    private @Nullable PostgresEventStore store;
    private @Nullable String insert;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        db = Db.fromProperties().copy("bench_append");
        db.execute(MINIMAL_TABLE);
        pool = db.pool(params.getThreads());
        switch (appender) {
            case "jdbc-minimal" -> insert = MINIMAL_INSERT;
            case "jdbc-identical" -> insert = IDENTICAL_INSERT;
            case "store" -> {
                notifierPool = db.pool(1);
                notifier = new CoalescingNotifier(notifierPool, "onepg_events", committedBy -> {}, NOTIFY_INTERVAL);
                store = new PostgresEventStore(pool, notifier, COMBINED_STATEMENTS);
            }
            case "store-no-notifier" -> store = new PostgresEventStore(pool, AppendObserver.NONE, COMBINED_STATEMENTS);
            default -> throw new IllegalArgumentException("unknown appender " + appender);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        if (notifier != null) {
            notifier.close();
            notifierPool.close();
        }
        pool.close();
        db.drop();
    }

    /** A thread's own users and their versions; every event the same {@code UsernameChanged} as the domain stores it. */
    @State(Scope.Thread)
    public static class Streams {
        final String[] ids = new String[100];
        final long[] versions = new long[100];
        final UsernameChanged event = new UsernameChanged("user07-0000001234");
        final String type = UserEventTypes.TABLE.nameOf(event);
        final String payload = UserEventTypes.TABLE.encode(event);
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = uuid().toString();
            }
        }
    }

    @Benchmark
    public long append(Streams streams) throws SQLException {
        int slot = streams.next++ % streams.ids.length;
        long version = streams.versions[slot];
        if (store != null) {
            List<NewEvent> events = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                events.add(NewEvent.of(uuid(), streams.type, streams.payload));
            }
            store.append(
                    StreamId.of(UserEvent.STREAM_TYPE, streams.ids[slot]), ExpectedVersion.exactly(version), events);
        } else {
            insertPlain(pool, insert, streams, slot, batch);
        }
        return streams.versions[slot] = version + batch;
    }

    /**
     * Plain JDBC's append of {@code batch} events to the stream in {@code slot}: one autocommit insert, or a JDBC
     * batch in one transaction. The versions are the caller's to count.
     */
    static void insertPlain(DataSource pool, String insert, Streams streams, int slot, int batch) throws SQLException {
        long version = streams.versions[slot];
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(insert)) {
            connection.setAutoCommit(batch == 1);
            for (int i = 1; i <= batch; i++) {
                statement.setObject(1, uuid());
                statement.setString(2, streams.ids[slot]);
                statement.setLong(3, version + i);
                statement.setString(4, streams.type);
                statement.setString(5, streams.payload);
                if (batch == 1) {
                    statement.executeUpdate();
                } else {
                    statement.addBatch();
                }
            }
            if (batch > 1) {
                statement.executeBatch();
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
    }

    /** A version 4 UUID without SecureRandom's lock, which many threads would contend on. */
    static UUID uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(
                (random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }
}
