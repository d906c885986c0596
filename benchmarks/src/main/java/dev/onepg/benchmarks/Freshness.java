package dev.onepg.benchmarks;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * (3) Commit → visible in the users view. Open loop: {@code UsernameChanged} requests start on a fixed schedule at a
 * share of the best HTTP rate, whatever the responses do (at most 256 in flight). A watcher on a connection of its
 * own reads the users projection's checkpoint every millisecond and notes when it moved; the projection commits
 * the checkpoint with the views, so a write is visible exactly when the checkpoint (transaction id, position) has
 * reached the write's. Lag = first watcher query that saw it − the write's response (the service answers after
 * its commit): at most one poll late, and a little early by the response's way back.
 */
final class Freshness {

    private static final Pattern POSITION = Pattern.compile("\"position\"\\s*:\\s*(\\d+)");

    private record Write(long sentAt, long answeredAt, long position) {}

    private record Seen(long at, long transaction, long position) {}

    /** When the watcher saw the oldest running transaction move: events of transactions below it are readable. */
    private record Horizon(long at, long xmin) {}

    private Freshness() {}

    static List<Map<String, Object>> run(Service service, Db db, double bestRate) throws Exception {
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int load : new int[] {50, 90, 100}) {
            levels.add(level(service, db, load, bestRate * load / 100, Bench.seconds(60, 5)));
        }
        return levels;
    }

    private static Map<String, Object> level(Service service, Db db, int load, double rate, int seconds)
            throws Exception {
        List<String[]> users =
                HttpBenchmark.versions(db).lines().map(line -> line.split(" ")).toList();
        Map<String, Long> versions = new HashMap<>();
        users.forEach(user -> versions.put(user[0], Long.parseLong(user[1])));
        ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(256);
        List<Seen> seen = new ArrayList<>();
        List<Horizon> horizons = new ArrayList<>();
        Histogram pollGaps = new Histogram(3);
        Thread watcher = Thread.ofPlatform().start(() -> watch(db, seen, horizons, pollGaps));
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        int skipped = 0;
        for (long next = start, n = 0; next < end; next += interval, n++) {
            LockSupport.parkNanos(next - System.nanoTime());
            if (!inFlight.tryAcquire()) {
                skipped++;
                continue;
            }
            String user = users.get((int) (n % users.size()))[0];
            long version = versions.merge(user, 1L, Long::sum) - 1;
            HttpRequest request = service.request("/api/users/" + user + "/events")
                    .header("If-Match", "\"" + version + "\"")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + AppendBenchmark.uuid()
                            + "\",\"type\":\"UsernameChanged\",\"data\":{\"username\":\"fresh-" + n + "\"}}"))
                    .build();
            long sentAt = System.nanoTime();
            service.client
                    .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long answeredAt = System.nanoTime();
                        inFlight.release();
                        Matcher position = error == null ? POSITION.matcher(response.body()) : null;
                        if (error != null || response.statusCode() != 201 || !position.find()) {
                            failed.incrementAndGet();
                        } else {
                            writes.add(new Write(sentAt, answeredAt, Long.parseLong(position.group(1))));
                        }
                    });
        }
        inFlight.acquire(256);
        long last = writes.stream().mapToLong(Write::position).max().orElse(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!reached(db, seen, last) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        watcher.interrupt();
        watcher.join();
        Map<Long, Long> transactions = transactions(db, writes);
        Histogram all = new Histogram(3);
        Histogram firstHalf = new Histogram(3);
        Histogram secondHalf = new Histogram(3);
        Histogram readable = new Histogram(3);
        Histogram applied = new Histogram(3);
        long middle = start + (end - start) / 2;
        int early = 0;
        int unseen = 0;
        for (Write write : writes) {
            long transaction = transactions.get(write.position());
            long at = firstSeen(seen, transaction, write.position());
            if (at == Long.MIN_VALUE) {
                unseen++;
                continue;
            }
            long micros = (at - write.answeredAt()) / 1000;
            long readableAt = Math.min(at, Math.max(write.answeredAt(), firstAbove(horizons, transaction)));
            readable.recordValue(Math.max(0, readableAt - write.answeredAt()) / 1000);
            applied.recordValue(Math.max(0, at - readableAt) / 1000);
            early += micros < 0 ? 1 : 0;
            all.recordValue(Math.max(0, micros));
            (write.sentAt() < middle ? firstHalf : secondHalf).recordValue(Math.max(0, micros));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("load", load);
        result.put("targetPerSecond", rate);
        result.put("writesPerSecond", writes.size() / (double) seconds);
        result.put("failed", failed.get());
        result.put("skipped", skipped);
        result.put("visibleBeforeAnswer", early);
        result.put("neverSeen", unseen);
        result.put("lagMs", Percentiles.of(all));
        result.put("firstHalfMs", Percentiles.of(firstHalf));
        result.put("secondHalfMs", Percentiles.of(secondHalf));
        result.put("readableMs", Percentiles.of(readable));
        result.put("appliedMs", Percentiles.of(applied));
        // How far apart the watcher's sightings were: a sighting is up to one gap late.
        result.put("watcherPollGapMs", Percentiles.of(pollGaps));
        System.out.printf(
                "freshness %d %%: %.0f writes/s, p50 %.1f ms, p99 %.1f ms;"
                        + " readable p50 %.1f p99 %.1f ms, applied p50 %.1f p99 %.1f ms; watcher gap p99 %.1f ms%n",
                load,
                writes.size() / (double) seconds,
                all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0,
                readable.getValueAtPercentile(50) / 1000.0,
                readable.getValueAtPercentile(99) / 1000.0,
                applied.getValueAtPercentile(50) / 1000.0,
                applied.getValueAtPercentile(99) / 1000.0,
                pollGaps.getValueAtPercentile(99) / 1000.0);
        return result;
    }

    private static void watch(Db db, List<Seen> seen, List<Horizon> horizons, Histogram pollGaps) {
        try (Connection connection = db.connect();
                PreparedStatement query = connection.prepareStatement("SELECT checkpoint_tx::text::bigint,"
                        + " checkpoint_position, pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
                        + " FROM eventstore.projections WHERE name = 'users'")) {
            long lastPosition = -1;
            long lastXmin = -1;
            long lastPoll = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try (ResultSet result = query.executeQuery()) {
                    long now = System.nanoTime();
                    if (lastPoll != 0) {
                        pollGaps.recordValue((now - lastPoll) / 1000);
                    }
                    lastPoll = now;
                    if (result.next() && result.getLong(2) != lastPosition) {
                        lastPosition = result.getLong(2);
                        synchronized (seen) {
                            seen.add(new Seen(now, result.getLong(1), lastPosition));
                        }
                    }
                    if (result.getRow() == 1 && result.getLong(3) != lastXmin) {
                        lastXmin = result.getLong(3);
                        horizons.add(new Horizon(now, lastXmin));
                    }
                }
                LockSupport.parkNanos(1_000_000);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean reached(Db db, List<Seen> seen, long position) throws Exception {
        Seen latest;
        synchronized (seen) {
            latest = seen.isEmpty() ? null : seen.getLast();
        }
        return latest != null
                && db.queryLong("SELECT count(*) FROM eventstore.events WHERE position = " + position
                                + " AND (transaction_id::text::bigint, position) <= (" + latest.transaction() + ", "
                                + latest.position() + ")")
                        == 1;
    }

    /** The first time the checkpoint was seen at or past the event; the checkpoint only moves forward. */
    private static long firstSeen(List<Seen> seen, long transaction, long position) {
        int low = 0;
        int high = seen.size() - 1;
        long found = Long.MIN_VALUE;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Seen checkpoint = seen.get(middle);
            if (transaction < checkpoint.transaction()
                    || (transaction == checkpoint.transaction() && position <= checkpoint.position())) {
                found = checkpoint.at();
                high = middle - 1;
            } else {
                low = middle + 1;
            }
        }
        return found;
    }

    /** The first time the oldest running transaction was seen above this one: its events were readable. */
    private static long firstAbove(List<Horizon> horizons, long transaction) {
        int low = 0;
        int high = horizons.size() - 1;
        long found = Long.MAX_VALUE;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Horizon horizon = horizons.get(middle);
            if (transaction < horizon.xmin()) {
                found = horizon.at();
                high = middle - 1;
            } else {
                low = middle + 1;
            }
        }
        return found;
    }

    private static Map<Long, Long> transactions(Db db, ConcurrentLinkedQueue<Write> writes) throws Exception {
        Map<Long, Long> transactions = new HashMap<>();
        try (Connection connection = db.connect();
                PreparedStatement query = connection.prepareStatement("SELECT position, transaction_id::text::bigint"
                        + " FROM eventstore.events WHERE position = ANY (?)")) {
            Array positions = connection.createArrayOf(
                    "bigint", writes.stream().map(Write::position).toArray());
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
