package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * (1) The append ceiling in process: {@code PostgresEventStore.append} of one event per transaction, with the
 * {@code CoalescingNotifier} (the service's design: one NOTIFY after commit, at most one per millisecond), against
 * plain JDBC inserting the same rows into an identical table ({@link PlainJdbcInserts}), alternating baseline and
 * subject (ABAB), each run in a fresh database copied from the migrated template.
 */
final class CeilingBenchmark {

    static final String PLAIN = "plain JDBC";
    static final String STORE = "EventStore.append";

    /** Where the appender threads' time went in an extra, unrecorded run. */
    record Profile(
            String variant,
            int threads,
            double perSecond,
            int samples,
            java.util.Map<String, Integer> byActivity,
            java.util.Map<String, Integer> byStep) {}

    private final List<Profile> profiles = new ArrayList<>();

    List<Profile> profiles() {
        return profiles;
    }

    /** One measured run. */
    record Run(String variant, int threads, int round, ClosedLoop.Result result) {}

    private final BenchmarkServer server;
    private final SuiteSettings settings;
    private int databases;

    CeilingBenchmark(BenchmarkServer server, SuiteSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    List<Run> run() throws Exception {
        int most = settings.concurrencies().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(1);
        System.out.println("(1) JVM warm-up, not recorded...");
        plain(most, settings.warmup(), settings.warmup());
        store(most, settings.warmup(), settings.warmup());
        List<Run> runs = new ArrayList<>();
        for (int threads : settings.concurrencies()) {
            for (int round = 1; round <= settings.rounds(); round++) {
                Run baseline =
                        new Run(PLAIN, threads, round, plain(threads, settings.warmup(), settings.measurement()));
                print("1", baseline);
                Run subject = new Run(STORE, threads, round, store(threads, settings.warmup(), settings.measurement()));
                print("1", subject);
                System.out.printf(
                        Locale.ROOT,
                        "    ratio %.2f%n",
                        subject.result().perSecond() / baseline.result().perSecond());
                runs.add(baseline);
                runs.add(subject);
            }
        }
        for (int threads : List.of(1, most)) {
            System.out.printf("(1) profiling the appenders at %d thread(s), not recorded...%n", threads);
            profiles.add(profile(STORE, threads));
            profiles.add(profile(PLAIN, threads));
        }
        return runs;
    }

    private Profile profile(String variant, int threads) throws Exception {
        try (StackSampler sampler = new StackSampler()) {
            sampler.startAll("load-", 10);
            ClosedLoop.Result result = variant.equals(STORE)
                    ? store(threads, Duration.ofSeconds(1), settings.warmup().plus(settings.warmup()))
                    : plain(threads, Duration.ofSeconds(1), settings.warmup().plus(settings.warmup()));
            sampler.stop();
            System.out.println("    " + variant + ": " + sampler.byActivity());
            return new Profile(
                    variant, threads, result.perSecond(), sampler.samples(), sampler.byActivity(), sampler.byStep());
        }
    }

    static void print(String part, Run run) {
        ClosedLoop.Result result = run.result();
        System.out.printf(
                Locale.ROOT,
                "(%s) %s, %d thread(s), round %d: %.0f/s, p50 %s ms, p99 %s ms, failures %d%s%n",
                part,
                run.variant(),
                run.threads(),
                run.round(),
                result.perSecond(),
                Report.ms(result.latency().percentile(0.5)),
                Report.ms(result.latency().percentile(0.99)),
                result.failures(),
                result.firstFailure() == null ? "" : " (" + result.firstFailure() + ")");
    }

    /** Plain JDBC inserts into a fresh copy of the events table. */
    ClosedLoop.Result plain(int threads, Duration warmup, Duration measurement) throws Exception {
        String database = "bench_plain_" + (++databases);
        server.createDatabase(database);
        try {
            try (Connection connection = server.connect(database)) {
                PlainJdbcInserts.createTable(connection);
            }
            server.checkpoint();
            try (HikariDataSource pool = Pools.open(server, database, threads + 2)) {
                PlainJdbcInserts inserts = new PlainJdbcInserts(pool);
                UserEventRows[] rows = rows(threads);
                return ClosedLoop.run(threads, warmup, measurement, (worker, n) -> inserts.insert(rows[worker], n));
            }
        } finally {
            server.dropDatabase(database);
        }
    }

    /** PostgresEventStore appends, with the CoalescingNotifier, into a fresh database. */
    ClosedLoop.Result store(int threads, Duration warmup, Duration measurement) throws Exception {
        String database = "bench_store_" + (++databases);
        server.createDatabase(database);
        try {
            server.checkpoint();
            try (HikariDataSource pool = Pools.open(server, database, threads + 2);
                    CoalescingNotifier notifier =
                            new CoalescingNotifier(pool, BenchmarkRun.CHANNEL, () -> {}, Duration.ofMillis(1))) {
                PostgresEventStore store = new PostgresEventStore(pool, notifier);
                UserEventRows[] rows = rows(threads);
                return ClosedLoop.run(threads, warmup, measurement, (worker, n) -> {
                    UserEventRows own = rows[worker];
                    int slot = own.slot(n);
                    store.append(AppendRequest.of(
                            StreamId.of(UserEventRows.STREAM_TYPE, own.streamId(slot)),
                            ExpectedVersion.exactly(own.version(slot)),
                            List.of(NewEvent.of(
                                    UserEventRows.randomUuid(), UserEventRows.EVENT_TYPE, own.payload(n)))));
                    own.appended(slot);
                });
            }
        } finally {
            server.dropDatabase(database);
        }
    }

    /** The indexes of the real table and of its copy, for the report. */
    List<List<String>> compareIndexes() throws Exception {
        String database = "bench_compare";
        server.createDatabase(database);
        try (Connection connection = server.connect(database)) {
            PlainJdbcInserts.createTable(connection);
            return List.of(
                    PlainJdbcInserts.indexes(connection, "eventstore.events"),
                    PlainJdbcInserts.indexes(connection, "bench.plain_events"));
        } finally {
            server.dropDatabase(database);
        }
    }

    private static UserEventRows[] rows(int threads) {
        UserEventRows[] rows = new UserEventRows[threads];
        for (int i = 0; i < threads; i++) {
            rows[i] = new UserEventRows(i);
        }
        return rows;
    }
}
