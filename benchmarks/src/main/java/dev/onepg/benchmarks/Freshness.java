package dev.onepg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * (3) Commit → visible in the users view, on PostgreSQL's own clock. {@code wrk}, the driver of the best rate, sends
 * {@code UsernameChanged} requests on a fixed schedule at a share of that rate ({@code users-events-paced.lua}) over
 * 64 keep-alive connections, whatever the answers do as long as a connection is free. The 100 % level is the
 * best-rate run itself, {@code wrk} as fast as its 32 connections allow: a schedule at exactly the best rate falls
 * behind at every hiccup of a saturated machine and then sends with twice the connections, which is a heavier load
 * than the one that set the rate, not the same. The level's writes are the events committed between the end of its
 * lead-in and its end.
 *
 * <p>The run's PostgreSQL keeps commit timestamps ({@code track_commit_timestamp}), and a trigger that only this
 * benchmark's database has notes every move of the users projection's checkpoint in the batch's own transaction.
 * The projection commits the checkpoint with the views, so a write is visible exactly when the first batch whose
 * checkpoint (transaction id, position) reached the write's committed. Lag = that batch's commit timestamp − the
 * write's commit timestamp: nothing polls, and the load generator's own pauses do not enter the numbers.
 *
 * <p>The lag splits in two. The projection reads only events of transactions below the oldest one still running,
 * so a write is readable once every transaction with a lower id has ended: the write's commit until then (older
 * writes still committing), and from then until the batch that applied it committed.
 */
final class Freshness {

    private static final String MOVES = "public.bench_checkpoint_moves";
    /**
     * Each level first runs this long at its rate unrecorded: the step down from the full-speed run before is not
     * its steady state.
     */
    private static final int LEAD_IN_SECONDS = 20;
    /** {@code -Dbench.trace=true}: every write's lag and its parts to {@code target/freshness-<load>.csv}. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    /**
     * Enough keep-alive connections for the highest rate at a few tens of milliseconds per answer: a schedule that
     * falls behind with all of them busy shows as a reached rate below the aimed one.
     */
    private static final int DRIVER_CONNECTIONS = 64;

    /** An event: its transaction, position and the transaction's commit timestamp in microseconds. */
    private record Commit(long transaction, long position, long committedAt) {}

    /** A batch that moved the checkpoint to (checkpointTx, checkpointPosition), in its own transaction. */
    private record Batch(long checkpointTx, long checkpointPosition, long transaction, long committedAt) {}

    private Freshness() {}

    static List<Map<String, Object>> run(Service service, Db db, double bestRate) throws Exception {
        noteCheckpointMoves(db);
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int load : new int[] {50, 90, 100}) {
            levels.add(level(service, db, load, bestRate * load / 100, Bench.seconds(60, 5)));
        }
        return levels;
    }

    /** The benchmark's own trigger: one row per batch that moved the users checkpoint, written in that batch. */
    private static void noteCheckpointMoves(Db db) throws Exception {
        if (db.queryLong("SELECT (current_setting('track_commit_timestamp') = 'on')::int") != 1) {
            throw new IllegalStateException("the run's PostgreSQL must keep commit timestamps");
        }
        db.execute("CREATE TABLE " + MOVES + " (checkpoint_tx bigint NOT NULL, checkpoint_position bigint NOT NULL);"
                + " CREATE FUNCTION public.bench_note_checkpoint_move() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN INSERT INTO " + MOVES + " VALUES (NEW.checkpoint_tx::text::bigint,"
                + " NEW.checkpoint_position); RETURN NEW; END $$;"
                + " CREATE TRIGGER bench_checkpoint_moves AFTER UPDATE OF checkpoint_tx, checkpoint_position"
                + " ON eventstore.projections FOR EACH ROW WHEN (NEW.name = 'users'"
                + " AND NEW.checkpoint_position <> OLD.checkpoint_position)"
                + " EXECUTE FUNCTION public.bench_note_checkpoint_move()");
    }

    private static Map<String, Object> level(Service service, Db db, int load, double rate, int seconds)
            throws Exception {
        Path users = Path.of("target/freshness-users.txt");
        Files.writeString(users, HttpBenchmark.versions(db));
        settle(db);
        db.execute("TRUNCATE " + MOVES);
        int leadIn = Bench.seconds(LEAD_IN_SECONDS, 1);
        long launched = System.nanoTime();
        Wrk wrk = load < 100
                ? Wrk.start(service.base, users, DRIVER_CONNECTIONS, leadIn + seconds, rate)
                : Wrk.start(service.base, users, HttpBenchmark.CONNECTIONS, leadIn + seconds, 0);
        // The recorded writes are the events committed between the end of the lead-in and the end of the level.
        sleepUntil(launched + TimeUnit.SECONDS.toNanos(leadIn));
        Statements.reset(db);
        long first = lastPosition(db) + 1;
        sleepUntil(launched + TimeUnit.SECONDS.toNanos(leadIn + seconds));
        long last = lastPosition(db);
        Statements.write(db, "freshness-" + load, last - first + 1);
        Wrk.Report driver = wrk.await();
        if (driver.failed() + driver.timeouts() > 0) {
            System.out.println("freshness: wrk's errors by kind " + driver.failedBy());
        }
        awaitProjected(db, last);
        List<Commit> events = eventCommits(db, first, last);
        List<Batch> batches = batchCommits(db);
        Map<Long, Readable> readableAt = readableAt(events, batches);
        Histogram all = new Histogram(3);
        Histogram firstHalf = new Histogram(3);
        Histogram secondHalf = new Histogram(3);
        Histogram readable = new Histogram(3);
        Histogram applied = new Histogram(3);
        long middle = first + (last - first) / 2;
        int unseen = 0;
        StringBuilder trace = new StringBuilder("committed_us,lag_us,readable_us,applied_us,readable_after\n");
        for (Commit event : events) {
            Batch batch = firstBatchAtOrPast(batches, event);
            if (batch == null) {
                unseen++;
                continue;
            }
            long lag = batch.committedAt() - event.committedAt();
            Readable readableWhen = readableAt.get(event.transaction());
            long readableFrom = readableWhen.at();
            all.recordValue(Math.max(0, lag));
            (event.position() <= middle ? firstHalf : secondHalf).recordValue(Math.max(0, lag));
            readable.recordValue(Math.max(0, readableFrom - event.committedAt()));
            applied.recordValue(Math.max(0, batch.committedAt() - readableFrom));
            trace.append(event.committedAt()).append(',').append(lag).append(',');
            trace.append(readableFrom - event.committedAt()).append(',');
            trace.append(batch.committedAt() - readableFrom).append(',');
            trace.append(readableWhen.afterBatch() ? "batch" : "write").append('\n');
        }
        if (TRACE) {
            Files.writeString(Path.of("target/freshness-" + load + ".csv"), trace);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("load", load);
        result.put("targetPerSecond", rate);
        result.put("writesPerSecond", events.size() / (double) seconds);
        result.put("failed", driver.failed());
        result.put("failedBy", driver.failedBy());
        result.put("answersOver2s", driver.timeouts());
        result.put("driverCpuMsPerWrite", driver.cpuSeconds() * 1000 / Math.max(1, driver.requests()));
        result.put("neverSeen", unseen);
        result.put("batches", batches.size());
        result.put("lagMs", Percentiles.of(all));
        result.put("firstHalfMs", Percentiles.of(firstHalf));
        result.put("secondHalfMs", Percentiles.of(secondHalf));
        result.put("readableMs", Percentiles.of(readable));
        result.put("appliedMs", Percentiles.of(applied));
        System.out.printf(
                "freshness %d %%: %.0f writes/s in %d batches, p50 %.1f ms, p99 %.1f ms;"
                        + " readable p50 %.1f p99 %.1f ms, applied p50 %.1f p99 %.1f ms; driver %.3f ms CPU per write;"
                        + " %d failed%n",
                load,
                events.size() / (double) seconds,
                batches.size(),
                all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0,
                readable.getValueAtPercentile(50) / 1000.0,
                readable.getValueAtPercentile(99) / 1000.0,
                applied.getValueAtPercentile(50) / 1000.0,
                applied.getValueAtPercentile(99) / 1000.0,
                driver.cpuSeconds() * 1000 / Math.max(1, driver.requests()),
                driver.failed());
        return result;
    }

    /**
     * Starts each level without the dead rows of the runs before, instead of autovacuum catching up on the last
     * full-speed run in the middle of this one.
     */
    private static void settle(Db db) throws Exception {
        db.execute("VACUUM (ANALYZE)");
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** The position of the last event committed so far. */
    private static long lastPosition(Db db) throws Exception {
        return db.queryLong("SELECT coalesce(max(position), 0) FROM eventstore.events");
    }

    /** Waits (a minute at most) until the users checkpoint has passed the event at {@code position}. */
    private static void awaitProjected(Db db, long position) throws Exception {
        String passed = "SELECT count(*) FROM eventstore.events e, eventstore.projections p WHERE e.position = "
                + position + " AND p.name = 'users'"
                + " AND (e.transaction_id, e.position) <= (p.checkpoint_tx, p.checkpoint_position)";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.queryLong(passed) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The events of the level, with their transactions' commit timestamps. */
    private static List<Commit> eventCommits(Db db, long first, long last) throws Exception {
        return commits(
                db,
                "SELECT transaction_id::text::bigint, position, " + micros("xmin") + " FROM eventstore.events"
                        + " WHERE position BETWEEN " + first + " AND " + last);
    }

    /** The batches that moved the checkpoint, in checkpoint order, with their own transactions' commits. */
    private static List<Batch> batchCommits(Db db) throws Exception {
        List<Batch> batches = new ArrayList<>();
        try (Connection connection = db.connect();
                PreparedStatement query = connection.prepareStatement("SELECT checkpoint_tx, checkpoint_position,"
                        + " xmin::text::bigint, " + micros("xmin") + " FROM " + MOVES
                        + " ORDER BY checkpoint_tx, checkpoint_position");
                ResultSet result = query.executeQuery()) {
            while (result.next()) {
                batches.add(new Batch(result.getLong(1), result.getLong(2), result.getLong(3), result.getLong(4)));
            }
        }
        return batches;
    }

    /** The first batch whose checkpoint reached the event: the one that made it visible. */
    private static @Nullable Batch firstBatchAtOrPast(List<Batch> batches, Commit event) {
        int low = 0;
        int high = batches.size() - 1;
        @Nullable Batch found = null;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Batch batch = batches.get(middle);
            if (event.transaction() < batch.checkpointTx()
                    || (event.transaction() == batch.checkpointTx()
                            && event.position() <= batch.checkpointPosition())) {
                found = batch;
                high = middle - 1;
            } else {
                low = middle + 1;
            }
        }
        return found;
    }

    /** When a transaction became readable, and whether the last of the lower ones to commit was a batch's. */
    private record Readable(long at, boolean afterBatch) {}

    /**
     * When each event's transaction became readable: when it and every transaction with a lower id that this
     * run saw (the writes and the batches) had committed. Transaction ids here are the 64-bit ones of a fresh
     * database, so a batch's {@code xmin} compares with the events' {@code transaction_id} as it is.
     */
    private static Map<Long, Readable> readableAt(List<Commit> events, List<Batch> batches) {
        List<long[]> commits = new ArrayList<>();
        events.forEach(event -> commits.add(new long[] {event.transaction(), event.committedAt(), 0}));
        batches.forEach(batch -> commits.add(new long[] {batch.transaction(), batch.committedAt(), 1}));
        commits.sort(Comparator.comparingLong(commit -> commit[0]));
        Map<Long, Readable> readable = new HashMap<>();
        Readable latest = new Readable(Long.MIN_VALUE, false);
        for (long[] commit : commits) {
            if (commit[1] > latest.at()) {
                latest = new Readable(commit[1], commit[2] == 1);
            }
            readable.put(commit[0], latest);
        }
        return readable;
    }

    private static String micros(String xmin) {
        return "(extract(epoch FROM pg_xact_commit_timestamp(" + xmin + ")) * 1000000)::bigint";
    }

    private static List<Commit> commits(Db db, String sql) throws Exception {
        List<Commit> commits = new ArrayList<>();
        try (Connection connection = db.connect();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet result = query.executeQuery()) {
            while (result.next()) {
                commits.add(new Commit(result.getLong(1), result.getLong(2), result.getLong(3)));
            }
        }
        return commits;
    }
}
