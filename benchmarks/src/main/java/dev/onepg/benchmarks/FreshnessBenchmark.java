package dev.onepg.benchmarks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * (3) Freshness: from a write's commit to its change being visible in the users views, under an open-loop load
 * (requests started on a fixed schedule whatever the responses do) at a fraction of the best rate of (2). The
 * commit time is when the POST returned (the service answers after the commit); visibility is when the
 * {@link CheckpointWatcher} first saw the projection's checkpoint at or past the event.
 */
final class FreshnessBenchmark {

    /** At most this many requests in flight; a request due beyond it is counted as not sent. */
    private static final int MAX_IN_FLIGHT = 256;

    private static final Duration WARMUP = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /** One load level. */
    record Level(
            int percent,
            double targetPerSecond,
            double achievedPerSecond,
            long writes,
            long notSent,
            long failures,
            long neverSeen,
            long negative,
            Distribution lag,
            Distribution lagFirstHalf,
            Distribution lagSecondHalf,
            Distribution writeLatency,
            Distribution watcherQueries) {}

    private record Write(long position, long returnedAt, long latency, boolean measured) {}

    private final BenchmarkServer server;
    private final String database;
    private final SuiteSettings settings;
    private final ServiceClient client;
    private final List<String> userIds;
    private final AtomicInteger nextUser = new AtomicInteger();

    FreshnessBenchmark(
            BenchmarkServer server,
            String database,
            SuiteSettings settings,
            ServiceClient client,
            List<String> userIds) {
        this.server = server;
        this.database = database;
        this.settings = settings;
        this.client = client;
        this.userIds = userIds;
    }

    List<Level> run(double maxPerSecond) throws Exception {
        List<Level> levels = new ArrayList<>();
        for (int percent : settings.freshnessLoads()) {
            double rate = maxPerSecond * percent / 100.0;
            System.out.printf(Locale.ROOT, "(3) freshness at %d%% = %.0f writes/s...%n", percent, rate);
            Level level = level(percent, rate);
            levels.add(level);
            System.out.printf(
                    Locale.ROOT,
                    "    %.0f writes/s; commit -> view p50 %s, p99 %s, p99.9 %s, max %s ms;"
                            + " not sent %d, failures %d, never seen %d, negative %d%n",
                    level.achievedPerSecond(),
                    Report.ms(level.lag().percentile(0.5)),
                    Report.ms(level.lag().percentile(0.99)),
                    Report.ms(level.lag().percentile(0.999)),
                    Report.ms(level.lag().max()),
                    level.notSent(),
                    level.failures(),
                    level.neverSeen(),
                    level.negative());
        }
        return levels;
    }

    private Level level(int percent, double rate) throws Exception {
        long interval = Math.round(1e9 / rate);
        ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        long notSent = 0;
        CheckpointWatcher watcher = new CheckpointWatcher(
                server.connect(database), settings.watchInterval().toNanos());
        long start;
        long measureFrom;
        long measureUntil;
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            start = System.nanoTime() + 10_000_000;
            measureFrom = start + WARMUP.toNanos();
            measureUntil = measureFrom + settings.freshnessMeasurement().toNanos();
            for (long i = 0; ; i++) {
                long due = start + i * interval;
                if (due >= measureUntil) {
                    break;
                }
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                if (inFlight.get() >= MAX_IN_FLIGHT) {
                    notSent++;
                    continue;
                }
                inFlight.incrementAndGet();
                boolean measured = due >= measureFrom;
                String user = userIds.get(Math.floorMod(nextUser.getAndIncrement(), userIds.size()));
                long n = i;
                requests.submit(() -> {
                    try {
                        long sent = System.nanoTime();
                        long position = client.changeUsername(user, "f" + percent + "-" + n);
                        long returned = System.nanoTime();
                        writes.add(new Write(position, returned, returned - sent, measured));
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
            requests.shutdown();
            requests.awaitTermination(60, TimeUnit.SECONDS);
        }
        List<Write> measured = writes.stream().filter(Write::measured).toList();
        Map<Long, Long> transactions = transactionsOf(measured);
        long last = measured.stream().mapToLong(Write::position).max().orElse(0);
        awaitSeen(watcher, transactions.getOrDefault(last, Long.MAX_VALUE), last);
        watcher.close();

        LongList lags = new LongList();
        LongList firstHalf = new LongList();
        LongList secondHalf = new LongList();
        long half = measureFrom + (measureUntil - measureFrom) / 2;
        LongList latencies = new LongList();
        long neverSeen = 0;
        long negative = 0;
        for (Write write : measured) {
            latencies.add(write.latency());
            long seen = watcher.firstSeen(transactions.get(write.position()), write.position());
            if (seen == Long.MIN_VALUE) {
                neverSeen++;
                continue;
            }
            long lag = seen - write.returnedAt();
            if (lag < 0) {
                negative++;
            }
            lags.add(lag);
            (write.returnedAt() < half ? firstHalf : secondHalf).add(lag);
        }
        return new Level(
                percent,
                rate,
                measured.size() / ((measureUntil - measureFrom) / 1e9),
                measured.size(),
                notSent,
                failures.get(),
                neverSeen,
                negative,
                Distribution.of(lags.toArray()),
                Distribution.of(firstHalf.toArray()),
                Distribution.of(secondHalf.toArray()),
                Distribution.of(latencies.toArray()),
                watcher.queries());
    }

    /** Waits until the watcher has seen the last write (or gives up after a while). */
    private static void awaitSeen(CheckpointWatcher watcher, long transaction, long position)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (watcher.seenSoFar(transaction, position)) {
                return;
            }
        }
    }

    private Map<Long, Long> transactionsOf(List<Write> writes) throws Exception {
        Map<Long, Long> transactions = new HashMap<>();
        try (Connection connection = server.connect(database);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT position, transaction_id::text::bigint FROM eventstore.events"
                                + " WHERE position = ANY (?)")) {
            Array positions = connection.createArrayOf(
                    "bigint", writes.stream().map(Write::position).toArray(Long[]::new));
            query.setArray(1, positions);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    transactions.put(result.getLong(1), result.getLong(2));
                }
            }
        }
        return transactions;
    }
}
