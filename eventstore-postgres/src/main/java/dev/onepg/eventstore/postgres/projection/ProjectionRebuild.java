package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RebuildableProjection;
import dev.onepg.eventstore.RecordedEvent;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a projection blue/green: the next views are built from the first event under a checkpoint of their
 * own while the live views keep serving reads and keep being updated; once the next views have caught up, one
 * transaction locks the live checkpoint (live batches wait), applies the last few events to the next views,
 * swaps the views and takes over the next checkpoint.
 *
 * <p>The bulk of the log is read in large chunks on a second connection while the chunk before is applied, into
 * next views that the projection may leave without indexes until {@link RebuildableProjection#finishNext}. A
 * projection that {@linkplain RebuildableProjection#bulkLoadsByStream() loads by stream} gets the log up to its
 * end in whole streams; any other gets it in log order. Either way every chunk commits on its own. The switch waits at
 * most {@code switchLockTimeout} for each lock (readers queue behind a waiting {@code DROP TABLE}, so it must not
 * wait long); when it times out it is rolled back, the next views catch up, and it is tried again. It keeps an
 * operator's pause: a paused projection stays paused, on the rebuilt views.
 */
final class ProjectionRebuild implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuild.class);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** A rebuild reads the log in chunks of this many times the projection's batch size. */
    static final int CHUNK_BATCHES = 20;

    static final Duration SWITCH_LOCK_TIMEOUT = Duration.ofSeconds(1);
    static final int SWITCH_ATTEMPTS = 60;

    private final RebuildableProjection projection;
    private final DataSource dataSource;
    private final DSLContext dsl;
    private final int batchSize;
    private final long chunkBytes;
    private final Duration switchLockTimeout;
    private final String nextName;
    private final Instant startedAt = Instant.now();
    private volatile RebuildProgress.State state = RebuildProgress.State.BUILDING;
    private volatile long done;
    private volatile long total;
    private volatile @Nullable Instant finishedAt;
    private volatile @Nullable String error;
    private volatile boolean cancelled;
    private Instant lastReport = Instant.now();

    /**
     * @param chunkSize the most events a chunk of the log holds
     * @param chunkBytes about the most memory a chunk's events may take: fewer events when they are large
     */
    ProjectionRebuild(
            RebuildableProjection projection,
            DataSource dataSource,
            int chunkSize,
            long chunkBytes,
            Duration switchLockTimeout) {
        this.projection = projection;
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.batchSize = chunkSize;
        this.chunkBytes = chunkBytes;
        this.switchLockTimeout = switchLockTimeout;
        this.nextName = nextName(projection.name());
    }

    static String nextName(String projection) {
        return projection + "~next";
    }

    RebuildProgress progress() {
        Instant now = Instant.now();
        double seconds = Math.max(
                0.001,
                Duration.between(startedAt, finishedAt == null ? now : finishedAt)
                                .toNanos()
                        / 1e9);
        return new RebuildProgress(projection.name(), state, done, total, done / seconds, startedAt, finishedAt, error);
    }

    boolean isFinished() {
        return state == RebuildProgress.State.DONE || state == RebuildProgress.State.FAILED;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void run() {
        try {
            prepare();
            bulkLoad();
            dsl.transaction(configuration ->
                    configuration.dsl().connection(connection -> projection.finishNext(() -> connection)));
            catchUp();
            state = RebuildProgress.State.SWITCHING;
            switchOverRetrying();
            state = RebuildProgress.State.DONE;
            log.info(
                    "Rebuilt projection {}: {} events in {} s",
                    projection.name(),
                    done,
                    progress().elapsed(Instant.now()).toSeconds());
        } catch (Exception e) {
            error = ErrorSummary.of(e);
            state = RebuildProgress.State.FAILED;
            log.error("Rebuild of projection {} failed", projection.name(), e);
            discardQuietly();
        } finally {
            finishedAt = Instant.now();
        }
    }

    private void prepare() {
        total = dsl.fetchCount(EVENTS);
        dsl.transaction(configuration -> {
            DSLContext transaction = configuration.dsl();
            Checkpoints.registerFromStart(transaction, nextName);
            transaction.connection(connection -> projection.prepareNext(() -> connection));
        });
        log.info("Rebuilding projection {} from the first of {} events", projection.name(), total);
    }

    private void bulkLoad() throws Exception {
        if (projection.bulkLoadsByStream()) {
            bulkLoadByStream();
        } else {
            bulkLoadInLogOrder();
        }
    }

    private void bulkLoadInLogOrder() throws Exception {
        Projection next = projection.bulkLoadNext();
        try (LogChunks chunks =
                LogChunks.inLogOrder(dataSource, Checkpoint.START, batchSize, chunkBytes, "onepg-rebuild-reader")) {
            LogChunks.Chunk chunk;
            do {
                throwIfCancelled();
                chunk = chunks.next();
                LogChunks.Chunk read = chunk;
                dsl.transaction(configuration -> configuration
                        .dsl()
                        .connection(connection ->
                                BatchApplier.applyRead(connection, nextName, next, read.after(), read.events())));
                progressed(chunk.events().size());
            } while (!chunk.last());
        }
    }

    /**
     * The log up to its end, whole streams at a time, a transaction per chunk, and then the next checkpoint moved
     * to that end: no stream's earlier rows to look up. The checkpoint cannot move chunk by chunk (the chunks are
     * not a prefix of the log), but the chunks must still commit one by one: readers of the log stop below the
     * oldest running transaction, so one transaction for the whole load would hold up every live projection for
     * as long. A rebuild that fails half-way is discarded as a whole.
     */
    private void bulkLoadByStream() throws Exception {
        Projection next = projection.bulkLoadNext();
        try (LogChunks chunks = LogChunks.byStream(dataSource, batchSize, chunkBytes, "onepg-rebuild-reader")) {
            LogChunks.Chunk chunk;
            do {
                throwIfCancelled();
                chunk = chunks.next();
                List<RecordedEvent> events = chunk.events();
                dsl.transaction(configuration ->
                        configuration.dsl().connection(connection -> BatchApplier.apply(next, events, connection)));
                progressed(events.size());
            } while (!chunk.last());
            Checkpoint through = chunk.through();
            dsl.transaction(configuration -> {
                DSLContext transaction = configuration.dsl();
                Checkpoint from = Checkpoints.lockCheckpoint(transaction, nextName);
                if (!from.equals(Checkpoint.START) || !Checkpoints.advance(transaction, nextName, from, through)) {
                    throw new IllegalStateException("the checkpoint of " + nextName + " moved during the bulk load");
                }
            });
        }
    }

    /** Applies what was appended since the bulk load read the log's end. */
    private void catchUp() {
        int size = batchSize;
        boolean full;
        do {
            throwIfCancelled();
            int asked = size;
            List<RecordedEvent> read = dsl.transactionResult(configuration -> configuration
                    .dsl()
                    .connectionResult(
                            connection -> BatchApplier.applyNext(connection, nextName, projection.next(), asked)));
            progressed(read.size());
            full = read.size() == asked;
            size = nextSize(read);
        } while (full);
    }

    /** The chunk size, or fewer events when those just read would not fit the chunk's bytes. */
    private int nextSize(List<RecordedEvent> read) {
        return Math.min(batchSize, BatchSizing.fitting(chunkBytes, read));
    }

    private void progressed(int events) {
        done += events;
        if (Duration.between(lastReport, Instant.now()).compareTo(REPORT_EVERY) >= 0) {
            RebuildProgress progress = progress();
            log.info(
                    "Rebuilding projection {}: {} of {} events, {} events/s",
                    projection.name(),
                    progress.done(),
                    progress.total(),
                    Math.round(progress.eventsPerSecond()));
            lastReport = Instant.now();
        }
    }

    private void throwIfCancelled() {
        if (cancelled) {
            throw new IllegalStateException("the rebuild was cancelled");
        }
    }

    private void switchOverRetrying() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                switchOver();
                return;
            } catch (Exception e) {
                if (!isLockTimeout(e) || attempt == SWITCH_ATTEMPTS) {
                    throw e;
                }
                log.info(
                        "Switching projection {} to its rebuilt views waited {} ms for a lock (attempt {} of {});"
                                + " catching up and trying again",
                        projection.name(),
                        switchLockTimeout.toMillis(),
                        attempt,
                        SWITCH_ATTEMPTS);
                Thread.sleep(Math.min(1000, 50L * attempt));
                catchUp();
            }
        }
    }

    private static boolean isLockTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof org.jooq.exception.DataAccessException data
                    && LOCK_NOT_AVAILABLE.equals(data.sqlState())) {
                return true;
            }
        }
        return false;
    }

    private void switchOver() {
        dsl.transaction(configuration -> {
            DSLContext transaction = configuration.dsl();
            transaction
                    .select(DSL.function(
                            "set_config",
                            String.class,
                            DSL.val("lock_timeout"),
                            DSL.val(switchLockTimeout.toMillis() + "ms"),
                            DSL.val(true)))
                    .fetch();
            Checkpoints.lockCheckpoint(transaction, projection.name());
            transaction.connection(connection -> {
                int size = batchSize;
                boolean full;
                do {
                    List<RecordedEvent> read = BatchApplier.applyNext(connection, nextName, projection.next(), size);
                    done += read.size();
                    full = read.size() == size;
                    size = nextSize(read);
                } while (full);
            });
            Checkpoint next = Checkpoints.lockCheckpoint(transaction, nextName);
            transaction.connection(connection -> projection.promoteNext(() -> connection));
            Checkpoints.takeOver(transaction, projection.name(), next);
            Checkpoints.remove(transaction, nextName);
        });
    }

    private void discardQuietly() {
        try {
            dsl.transaction(configuration -> {
                DSLContext transaction = configuration.dsl();
                transaction.connection(connection -> projection.discardNext(() -> connection));
                Checkpoints.remove(transaction, nextName);
            });
        } catch (Exception e) {
            log.warn("Could not drop the next views of projection {}: {}", projection.name(), e.getMessage());
        }
    }
}
