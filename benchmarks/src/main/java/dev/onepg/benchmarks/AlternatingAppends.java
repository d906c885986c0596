package dev.onepg.benchmarks;

import com.sun.management.ThreadMXBean;
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
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One appender thread, the four appenders of {@link AppendBenchmark} taking turns in slices of a second, in one JVM
 * on one database: a ratio compares slices a few seconds apart, so the machine's drift, which moved plain JDBC's
 * one-thread rate by a fifth between JMH forks minutes apart, falls on both sides alike. Per slice: appends/s, the
 * appending thread's CPU and the PostgreSQL cluster's CPU per append.
 */
final class AlternatingAppends {

    static final List<String> APPENDERS = List.of("jdbc-minimal", "jdbc-identical", "store", "store-no-notifier");

    private static final int STREAMS = 100;
    private static final long SLICE_NANOS = 1_000_000_000L;

    private final UsernameChanged event = new UsernameChanged("user07-0000001234");
    private final String type = UserEventTypes.TABLE.nameOf(event);
    private final String payload = UserEventTypes.TABLE.encode(event);
    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One appender's streams and the next version of each. */
    private static final class Streams {
        final String[] ids = new String[STREAMS];
        final long[] versions = new long[STREAMS];
        int next;

        Streams() {
            for (int i = 0; i < STREAMS; i++) {
                ids[i] = UUID.randomUUID().toString();
            }
        }
    }

    @FunctionalInterface
    private interface Appender {
        void append(String streamId, long expected) throws SQLException;
    }

    private AlternatingAppends() {}

    /**
     * @param warmupCycles turns of every appender before measuring
     * @param cycles measured turns; each cycle starts with the next appender, so none always follows the same one
     */
    static Map<String, Object> run(Postgres postgres, int warmupCycles, int cycles) throws Exception {
        Db db = postgres.template().copy("bench_alternating");
        try (HikariDataSource pool = db.pool(1);
                HikariDataSource notifierPool = db.pool(1);
                CoalescingNotifier notifier = new CoalescingNotifier(
                        notifierPool, "onepg_events", committedBy -> {}, AppendBenchmark.NOTIFY_INTERVAL)) {
            db.execute(AppendBenchmark.MINIMAL_TABLE);
            return new AlternatingAppends().measure(postgres, pool, notifier, warmupCycles, cycles);
        } finally {
            db.drop();
        }
    }

    private Map<String, Object> measure(
            Postgres postgres, HikariDataSource pool, CoalescingNotifier notifier, int warmupCycles, int cycles)
            throws Exception {
        PostgresEventStore store =
                new PostgresEventStore(pool, notifier, PostgresEventStore.DEFAULT_COMBINED_STATEMENTS);
        PostgresEventStore silentStore =
                new PostgresEventStore(pool, AppendObserver.NONE, PostgresEventStore.DEFAULT_COMBINED_STATEMENTS);
        Map<String, Appender> appenders = new LinkedHashMap<>();
        appenders.put("jdbc-minimal", (id, expected) -> insert(pool, AppendBenchmark.MINIMAL_INSERT, id, expected));
        appenders.put("jdbc-identical", (id, expected) -> insert(pool, AppendBenchmark.IDENTICAL_INSERT, id, expected));
        appenders.put("store", (id, expected) -> append(store, id, expected));
        appenders.put("store-no-notifier", (id, expected) -> append(silentStore, id, expected));
        Map<String, Streams> streams = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> slices = new LinkedHashMap<>();
        for (String name : APPENDERS) {
            streams.put(name, new Streams());
            slices.put(name, new ArrayList<>());
        }
        for (int cycle = -warmupCycles; cycle < cycles; cycle++) {
            for (int turn = 0; turn < APPENDERS.size(); turn++) {
                String name = APPENDERS.get((turn + Math.max(cycle, 0)) % APPENDERS.size());
                Map<String, Object> slice = slice(postgres, appenders.get(name), streams.get(name));
                if (cycle >= 0) {
                    slice.put("cycle", cycle);
                    slices.get(name).add(slice);
                }
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("sliceSeconds", SLICE_NANOS / 1e9);
        results.put("warmupCycles", warmupCycles);
        results.put("cycles", cycles);
        results.put("slices", slices);
        return results;
    }

    private Map<String, Object> slice(Postgres postgres, Appender appender, Streams streams) throws SQLException {
        long cpuBefore = threads.getCurrentThreadCpuTime();
        double postgresBefore = postgres.cpuSeconds();
        long start = System.nanoTime();
        long end = start + SLICE_NANOS;
        int appends = 0;
        while (System.nanoTime() < end) {
            int slot = streams.next++ % STREAMS;
            appender.append(streams.ids[slot], streams.versions[slot]);
            streams.versions[slot]++;
            appends++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> slice = new LinkedHashMap<>();
        slice.put("appendsPerSecond", appends / seconds);
        slice.put("clientCpuMicros", (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e3 / appends);
        slice.put("postgresCpuMicros", (postgres.cpuSeconds() - postgresBefore) * 1e6 / appends);
        return slice;
    }

    private void insert(HikariDataSource pool, String sql, String streamId, long expected) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, AppendBenchmark.uuid());
            statement.setString(2, streamId);
            statement.setLong(3, expected + 1);
            statement.setString(4, type);
            statement.setString(5, payload);
            statement.executeUpdate();
        }
    }

    private void append(PostgresEventStore store, String streamId, long expected) {
        store.append(
                StreamId.of(UserEvent.STREAM_TYPE, streamId),
                ExpectedVersion.exactly(expected),
                List.of(NewEvent.of(AppendBenchmark.uuid(), type, payload)));
    }
}
