package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store-level append against both plain JDBC baselines, in one process on one server: {@code
 * PostgresEventStore.append} with and without the {@code CoalescingNotifier}, plain JDBC into an identical copy of
 * {@code eventstore.events} ({@link PlainJdbcInserts}) and plain JDBC into a minimal events table (one unique
 * {@code (stream_id, version)} index besides its primary key, as the peer harness's raw-jdbc). One event per
 * transaction at each concurrency, then batches of 10 and 100 events per transaction against plain JDBC inserting
 * the same batches (a JDBC batch in one transaction) into the identical table. Every pool has exactly N
 * connections; the notifier has a connection of its own. Variants take turns in an order that rotates every round,
 * each run in a fresh database from the migrated template.
 *
 * <pre>./mvnw -q -B -Pbenchmarks -pl benchmarks -am verify -DskipTests -Dbench=append</pre>
 */
public final class AppendBenchmark {

    static final String MINIMAL = "plain JDBC, minimal table";
    static final String IDENTICAL = "plain JDBC, identical table";
    static final String STORE = "EventStore.append + notifier";
    static final String STORE_SILENT = "EventStore.append, no notifier";
    static final String STORE_UNCOMBINED = "EventStore.append + notifier, not combined";

    private static final String MINIMAL_TABLE = """
            CREATE SCHEMA IF NOT EXISTS bench;
            CREATE TABLE bench.minimal_events (
                id          uuid        PRIMARY KEY,
                stream_id   text        NOT NULL,
                version     bigint      NOT NULL,
                type        text        NOT NULL,
                payload     jsonb       NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (stream_id, version)
            );
            """;
    private static final String MINIMAL_INSERT =
            "INSERT INTO bench.minimal_events (id, stream_id, version, type, payload) VALUES (?, ?, ?, ?, ?::jsonb)";

    private final BenchmarkServer server;
    private final Duration warmup;
    private final Duration measurement;
    private int databases;

    private AppendBenchmark(BenchmarkServer server, Duration warmup, Duration measurement) {
        this.server = server;
        this.warmup = warmup;
        this.measurement = measurement;
    }

    /** One measured run: a variant at a concurrency with a number of events per append. */
    record Run(String variant, int threads, int batch, int round, ClosedLoop.Result result) {
        double eventsPerSecond() {
            return result.perSecond() * batch;
        }
    }

    public static void main(String[] args) throws Exception {
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 3));
        Duration measurement = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
        int rounds = Integer.getInteger("bench.rounds", 2);
        List<Integer> concurrencies = integers(System.getProperty("bench.concurrency", "1,8,32"));
        List<Integer> batches = integers(System.getProperty("bench.batches", "10,100"));
        List<Integer> batchThreads = integers(System.getProperty("bench.batchThreads", "1,8"));
        Path output = Path.of(System.getProperty("bench.output", "target/append-benchmark.md"));
        Instant started = Instant.now();
        String loadAtStart = Machine.loadAverages();
        List<Run> runs = new ArrayList<>();
        try (BenchmarkServer server = BenchmarkServer.start(
                Path.of(System.getProperty("bench.dataDirectory", "target/postgres-data")),
                Path.of(System.getProperty("bench.binariesDirectory", "target/postgres-binaries")))) {
            server.migrateTemplate();
            AppendBenchmark benchmark = new AppendBenchmark(server, warmup, measurement);
            System.out.println("JVM warm-up, not recorded...");
            List<String> single = List.of(MINIMAL, IDENTICAL, STORE, STORE_SILENT, STORE_UNCOMBINED);
            for (String variant : single) {
                benchmark.run(variant, 8, 1);
            }
            for (int threads : concurrencies) {
                for (int round = 1; round <= rounds; round++) {
                    for (String variant : rotated(single, round + threads)) {
                        runs.add(benchmark.measure(variant, threads, 1, round));
                    }
                }
            }
            List<String> batched = List.of(IDENTICAL, STORE);
            for (int batch : batches) {
                for (int threads : batchThreads) {
                    for (int round = 1; round <= rounds; round++) {
                        for (String variant : rotated(batched, round)) {
                            runs.add(benchmark.measure(variant, threads, batch, round));
                        }
                    }
                }
            }
        }
        String report = report(runs, started, loadAtStart, Machine.loadAverages(), warmup, measurement, rounds);
        System.out.println();
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println("Written to " + output.toAbsolutePath());
    }

    private Run measure(String variant, int threads, int batch, int round) throws Exception {
        Run run = new Run(variant, threads, batch, round, run(variant, threads, batch));
        ClosedLoop.Result result = run.result();
        System.out.printf(
                Locale.ROOT,
                "%s, %d thread(s), %d event(s)/append, round %d: %.0f appends/s, %.0f events/s, p50 %s ms,"
                        + " p99 %s ms, failures %d%s (load %s)%n",
                variant,
                threads,
                batch,
                round,
                result.perSecond(),
                run.eventsPerSecond(),
                Report.ms(result.latency().percentile(0.5)),
                Report.ms(result.latency().percentile(0.99)),
                result.failures(),
                result.firstFailure() == null ? "" : " (" + result.firstFailure() + ")",
                Machine.loadAverages());
        return run;
    }

    private ClosedLoop.Result run(String variant, int threads, int batch) throws Exception {
        String database = "bench_append_" + (++databases);
        server.createDatabase(database);
        try {
            try (Connection connection = server.connect(database);
                    Statement statement = connection.createStatement()) {
                statement.execute(PlainJdbcInserts.CREATE_TABLE);
                statement.execute(MINIMAL_TABLE);
            }
            server.checkpoint();
            try (HikariDataSource pool = Pools.open(server, database, threads)) {
                UserEventRows[] rows = new UserEventRows[threads];
                for (int i = 0; i < threads; i++) {
                    rows[i] = new UserEventRows(i);
                }
                return switch (variant) {
                    case MINIMAL ->
                        ClosedLoop.run(threads, warmup, measurement, (worker, n) -> minimal(pool, rows[worker], n));
                    case IDENTICAL ->
                        ClosedLoop.run(
                                threads, warmup, measurement, (worker, n) -> identical(pool, rows[worker], n, batch));
                    case STORE -> {
                        try (HikariDataSource notifierPool = Pools.open(server, database, 1);
                                CoalescingNotifier notifier = new CoalescingNotifier(
                                        notifierPool, BenchmarkRun.CHANNEL, () -> {}, Duration.ofMillis(1))) {
                            PostgresEventStore store = new PostgresEventStore(pool, notifier);
                            yield ClosedLoop.run(
                                    threads, warmup, measurement, (worker, n) -> append(store, rows[worker], n, batch));
                        }
                    }
                    case STORE_UNCOMBINED -> {
                        try (HikariDataSource notifierPool = Pools.open(server, database, 1);
                                CoalescingNotifier notifier = new CoalescingNotifier(
                                        notifierPool, BenchmarkRun.CHANNEL, () -> {}, Duration.ofMillis(1))) {
                            PostgresEventStore store = new PostgresEventStore(pool, notifier, 0);
                            yield ClosedLoop.run(
                                    threads, warmup, measurement, (worker, n) -> append(store, rows[worker], n, batch));
                        }
                    }
                    case STORE_SILENT -> {
                        PostgresEventStore store = new PostgresEventStore(pool);
                        yield ClosedLoop.run(
                                threads, warmup, measurement, (worker, n) -> append(store, rows[worker], n, batch));
                    }
                    default -> throw new IllegalArgumentException(variant);
                };
            }
        } finally {
            server.dropDatabase(database);
        }
    }

    private static void minimal(HikariDataSource pool, UserEventRows rows, long n) throws SQLException {
        int slot = rows.slot(n);
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement(MINIMAL_INSERT)) {
            insert.setObject(1, UserEventRows.randomUuid());
            insert.setString(2, rows.streamId(slot));
            insert.setLong(3, rows.version(slot) + 1);
            insert.setString(4, UserEventRows.EVENT_TYPE);
            insert.setString(5, rows.payload(n));
            insert.executeUpdate();
        }
        rows.appended(slot);
    }

    /** The same rows with plain JDBC into the identical table: one row in autocommit, a batch in a transaction. */
    private static void identical(HikariDataSource pool, UserEventRows rows, long n, int batch) throws SQLException {
        int slot = rows.slot(n);
        try (Connection connection = pool.getConnection();
                PreparedStatement insert = connection.prepareStatement(PlainJdbcInserts.INSERT)) {
            if (batch > 1) {
                connection.setAutoCommit(false);
            }
            try {
                for (int i = 0; i < batch; i++) {
                    insert.setObject(1, UserEventRows.randomUuid());
                    insert.setString(2, UserEventRows.STREAM_TYPE);
                    insert.setString(3, rows.streamId(slot));
                    insert.setLong(4, rows.version(slot) + 1 + i);
                    insert.setString(5, UserEventRows.EVENT_TYPE);
                    insert.setString(6, rows.payload(n * batch + i));
                    if (batch > 1) {
                        insert.addBatch();
                    }
                }
                if (batch > 1) {
                    insert.executeBatch();
                    connection.commit();
                } else {
                    insert.executeUpdate();
                }
            } catch (SQLException e) {
                if (batch > 1) {
                    connection.rollback();
                }
                throw e;
            } finally {
                if (batch > 1) {
                    connection.setAutoCommit(true);
                }
            }
        }
        for (int i = 0; i < batch; i++) {
            rows.appended(slot);
        }
    }

    private static void append(PostgresEventStore store, UserEventRows rows, long n, int batch) {
        int slot = rows.slot(n);
        List<NewEvent> events = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            events.add(NewEvent.of(UserEventRows.randomUuid(), UserEventRows.EVENT_TYPE, rows.payload(n * batch + i)));
        }
        store.append(AppendRequest.of(
                StreamId.of(UserEventRows.STREAM_TYPE, rows.streamId(slot)),
                ExpectedVersion.exactly(rows.version(slot)),
                events));
        for (int i = 0; i < batch; i++) {
            rows.appended(slot);
        }
    }

    private static String report(
            List<Run> runs,
            Instant started,
            String loadAtStart,
            String loadAtEnd,
            Duration warmup,
            Duration measurement,
            int rounds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Run of %s – %s; load averages (1/5/15 min) %s at the start, %s at the end; %d s warm-up, %d s"
                        + " measured, %d round(s), variants in rotating order, a fresh database per run.%n%n",
                started,
                Instant.now(),
                loadAtStart,
                loadAtEnd,
                warmup.toSeconds(),
                measurement.toSeconds(),
                rounds));
        out.append("One event per append (transaction), events/s (median over rounds) and the median of the"
                + " per-round ratios to each baseline:\n\n");
        out.append("| threads | minimal table | identical table | EventStore.append + notifier | ratio to minimal |"
                + " ratio to identical | EventStore.append, no notifier | ratio to minimal | ratio to identical |"
                + " p50 / p99 ms (+ notifier) | not combined (+ notifier) | ratio to minimal | ratio to identical |\n");
        out.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|\n");
        for (int threads : distinct(runs, 1)) {
            Run sample = median(runs, STORE, threads, 1);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %.0f | %.0f | %.0f | **%.2f** | **%.2f** | %.0f | %.2f | %.2f | %s / %s | %.0f | %.2f | %.2f |%n",
                    threads,
                    rate(runs, MINIMAL, threads, 1),
                    rate(runs, IDENTICAL, threads, 1),
                    rate(runs, STORE, threads, 1),
                    ratio(runs, MINIMAL, STORE, threads, 1),
                    ratio(runs, IDENTICAL, STORE, threads, 1),
                    rate(runs, STORE_SILENT, threads, 1),
                    ratio(runs, MINIMAL, STORE_SILENT, threads, 1),
                    ratio(runs, IDENTICAL, STORE_SILENT, threads, 1),
                    sample == null ? "-" : Report.ms(sample.result().latency().percentile(0.5)),
                    sample == null ? "-" : Report.ms(sample.result().latency().percentile(0.99)),
                    rate(runs, STORE_UNCOMBINED, threads, 1),
                    ratio(runs, MINIMAL, STORE_UNCOMBINED, threads, 1),
                    ratio(runs, IDENTICAL, STORE_UNCOMBINED, threads, 1)));
        }
        List<Integer> batches =
                runs.stream().map(Run::batch).filter(b -> b > 1).distinct().toList();
        if (!batches.isEmpty()) {
            out.append("\nBatches: events/s (median over rounds); plain JDBC = the same rows as one JDBC batch in one"
                    + " transaction into the identical table; EventStore.append with the notifier:\n\n");
            out.append("| events per append | threads | plain JDBC batch | EventStore.append | ratio |\n");
            out.append("|--:|--:|--:|--:|--:|\n");
            for (int batch : batches) {
                for (int threads : distinct(runs, batch)) {
                    out.append(String.format(
                            Locale.ROOT,
                            "| %d | %d | %.0f | %.0f | **%.2f** |%n",
                            batch,
                            threads,
                            rate(runs, IDENTICAL, threads, batch),
                            rate(runs, STORE, threads, batch),
                            ratio(runs, IDENTICAL, STORE, threads, batch)));
                }
            }
        }
        out.append("\nEvery run (events/s):\n\n");
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (Run run : runs) {
            all.computeIfAbsent(
                            run.variant() + ", " + run.threads() + " thread(s), " + run.batch() + " event(s)/append",
                            key -> new ArrayList<>())
                    .add(String.format(Locale.ROOT, "%.0f", run.eventsPerSecond()));
        }
        all.forEach((key, values) -> out.append("- ")
                .append(key)
                .append(": ")
                .append(String.join(", ", values))
                .append('\n'));
        return out.toString();
    }

    private static List<Integer> distinct(List<Run> runs, int batch) {
        return runs.stream()
                .filter(run -> run.batch() == batch)
                .map(Run::threads)
                .distinct()
                .toList();
    }

    private static List<Run> of(List<Run> runs, String variant, int threads, int batch) {
        return runs.stream()
                .filter(run -> run.variant().equals(variant) && run.threads() == threads && run.batch() == batch)
                .toList();
    }

    private static double rate(List<Run> runs, String variant, int threads, int batch) {
        return median(of(runs, variant, threads, batch).stream()
                .mapToDouble(Run::eventsPerSecond)
                .toArray());
    }

    private static Run median(List<Run> runs, String variant, int threads, int batch) {
        List<Run> sorted = new ArrayList<>(of(runs, variant, threads, batch));
        if (sorted.isEmpty()) {
            return null;
        }
        sorted.sort((a, b) -> Double.compare(a.eventsPerSecond(), b.eventsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    /** The median over rounds of subject / baseline within the same round. */
    private static double ratio(List<Run> runs, String baseline, String subject, int threads, int batch) {
        List<Run> baselines = of(runs, baseline, threads, batch);
        List<Double> ratios = new ArrayList<>();
        for (Run run : of(runs, subject, threads, batch)) {
            baselines.stream()
                    .filter(base -> base.round() == run.round())
                    .findFirst()
                    .ifPresent(base -> ratios.add(run.eventsPerSecond() / base.eventsPerSecond()));
        }
        return median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static <T> List<T> rotated(List<T> items, int by) {
        List<T> rotated = new ArrayList<>(items);
        java.util.Collections.rotate(rotated, by % items.size());
        return rotated;
    }

    private static List<Integer> integers(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Integer::valueOf)
                .toList();
    }
}
