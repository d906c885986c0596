package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.notification.WakeUpSignal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection: while this instance leads it, reads batches after its checkpoint and applies each in one
 * transaction together with the new checkpoint; sleeps until woken or the poll interval passes.
 *
 * <p>When applying fails, the batch is rolled back and the runner retries one event at a time, so that the
 * events before the failing one are applied and the failing one is known. After {@code maxAttempts} the
 * projection stops at that event with the error in its status; other projections go on.
 */
final class ProjectionRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final Projection projection;
    private final DataSource dataSource;
    private final DSLContext dsl;
    private final LeaderLocks locks;
    private final ProjectionSettings settings;
    private final WakeUpSignal wakeUp = new WakeUpSignal();
    private final Runnable onProgress;
    private final ProjectionObserver observer;
    private final BatchSizing batchSizing;
    private volatile boolean running = true;

    private int failedAttempts;
    private int eventsLeftToIsolate;

    ProjectionRunner(
            Projection projection,
            DataSource dataSource,
            LeaderLocks locks,
            ProjectionSettings settings,
            ProjectionObserver observer,
            Runnable onProgress) {
        this.projection = projection;
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.locks = locks;
        this.settings = settings;
        this.onProgress = onProgress;
        this.observer = observer;
        this.batchSizing = new BatchSizing(settings.batchSize());
    }

    String name() {
        return projection.name();
    }

    void wakeUp() {
        wakeUp.signal();
    }

    void stop() {
        running = false;
        wakeUp.signal();
    }

    @Override
    public void run() {
        boolean woken = true;
        while (running) {
            try {
                if (!lead()) {
                    wakeUp.await(settings.leaderRetryInterval());
                    continue;
                }
                ProjectionState state = Checkpoints.status(dsl, name())
                        .map(ProjectionStatus::state)
                        .orElse(ProjectionState.RUNNING);
                if (state != ProjectionState.RUNNING) {
                    wakeUp.await(settings.pollInterval());
                    continue;
                }
                int batchSize = eventsLeftToIsolate > 0 ? 1 : batchSizing.current();
                int read = applyNextBatch(batchSize);
                batchSizing.read(batchSize, read);
                if (read > 0 && !woken) {
                    observer.fallbackPollFoundEvents(name());
                }
                woken = true;
                if (read < batchSize) {
                    woken = wakeUp.await(settings.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ProjectionFailure failure) {
                if (!handleFailure(failure)) {
                    break;
                }
            } catch (RuntimeException | SQLException e) {
                log.warn("Projection {} could not read or commit; retrying: {}", name(), e.getMessage());
                sleep(settings.pollInterval());
            }
        }
        if (locks.isHeld(name())) {
            clearLeaderQuietly();
            locks.release(name());
        }
    }

    private boolean lead() {
        boolean wasLeader = locks.isHeld(name());
        boolean leader = locks.tryAcquire(name());
        if (leader && !wasLeader) {
            Checkpoints.setLeader(dsl, name(), settings.instanceId());
            log.info("Instance {} now runs projection {}", settings.instanceId(), name());
        }
        return leader;
    }

    /** Applies the next batch; returns how many events it read (0 when caught up). */
    int applyNextBatch(int batchSize) throws SQLException, ProjectionFailure {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int read = BatchApplier.applyNext(connection, name(), projection, batchSize);
                connection.commit();
                if (read > 0) {
                    eventsLeftToIsolate = failedAttempts > 0 ? 0 : Math.max(0, eventsLeftToIsolate - read);
                    failedAttempts = 0;
                    observer.batchApplied(name(), read, Duration.ofNanos(System.nanoTime() - started));
                    onProgress.run();
                }
                return read;
            } catch (ProjectionFailure | SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Returns whether the runner goes on. */
    private boolean handleFailure(ProjectionFailure failure) {
        if (failure.event() == null) {
            log.info(
                    "Projection {} failed on a batch; retrying event by event: {}",
                    name(),
                    failure.getCause().toString());
            eventsLeftToIsolate = batchSizing.current();
            return true;
        }
        failedAttempts++;
        observer.failed(name());
        RecordedEvent event = failure.event();
        if (failedAttempts >= settings.maxAttempts()) {
            log.error(
                    "Projection {} stopped at event {} ({} of {}) after {} attempts",
                    name(),
                    event.eventId(),
                    event.type(),
                    event.stream(),
                    failedAttempts,
                    failure.getCause());
            Checkpoints.markFailed(dsl, name(), event.eventId(), describe(failure.getCause()));
            failedAttempts = 0;
            eventsLeftToIsolate = 0;
            return running;
        }
        Duration delay = retryDelay(failedAttempts);
        log.warn(
                "Projection {} failed on event {} (attempt {} of {}); retrying in {} ms: {}",
                name(),
                event.eventId(),
                failedAttempts,
                settings.maxAttempts(),
                delay.toMillis(),
                failure.getCause().toString());
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running;
    }

    private Duration retryDelay(int attempt) {
        Duration delay = settings.firstRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private void clearLeaderQuietly() {
        try {
            Checkpoints.setLeader(dsl, name(), null);
        } catch (RuntimeException e) {
            log.debug("Could not clear the leader of projection {}", name(), e);
        }
    }

    private void sleep(Duration duration) {
        try {
            wakeUp.await(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
