package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.OutboundProjection;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTargetUnavailable;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.postgres.GlobalLog;
import dev.onepg.eventstore.postgres.notification.WakeUpSignal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection: takes its lease when free, and while it holds it, reads batches after the checkpoint and
 * applies each in one transaction together with the new checkpoint and the renewed lease; sleeps until woken or
 * the poll interval passes.
 *
 * <p>The lease is renewed only by this thread, as it goes round its loop: a runner that is frozen, cut off or
 * stuck stops renewing and is replaced once the lease expires. Its batches are fenced by the lease's
 * generation, so when it wakes it cannot commit.
 *
 * <p>When applying fails, the batch is rolled back and the runner retries one event at a time, so that the
 * events before the failing one are applied and the failing one is known. After {@code maxAttempts} the
 * projection stops at that event with the error in its status; other projections go on.
 */
final class ProjectionRunner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final Projection projection;
    private final TimeLimitedTransactions transactions;
    private final CheckpointGuard guard;
    private final ProjectionSettings settings;
    private final String owner = UUID.randomUUID().toString();
    private final WakeUpSignal wakeUp = new WakeUpSignal();
    private final ProjectionObserver observer;
    private final BatchSizing batchSizing;
    private volatile boolean running = true;
    private volatile @Nullable Lease lease;
    private volatile long leaseValidUntil;
    private long lastRenewal;
    private long lastBatchStarted;

    // When the read of the log that the last batch applied or found nothing in began (System.nanoTime()): appends
    // that committed before it were in that read, or behind a transaction still running then. An append's commit
    // wakes the runner again; any other transaction's (another projection's batch) is caught up with by the next
    // wake-up or the poll, as a commit-safe reader always has been.
    private long lastLookStarted;
    private final ExecutorService readAheadThread;
    private @Nullable Future<BatchApplier.ReadAhead> readAhead;
    /**
     * Where this runner's last batch left the checkpoint, as far as it knows: the next batch reads from there in
     * the round trip that locks the checkpoint, and reads again only if the lock finds it elsewhere.
     */
    private @Nullable Checkpoint expectedCheckpoint;

    private @Nullable Checkpoint checkpointIfCommitted;

    private int failedAttempts;
    private int eventsLeftToIsolate;
    private int unavailableAttempts;

    ProjectionRunner(
            Projection projection,
            TimeLimitedTransactions transactions,
            CheckpointGuard guard,
            ProjectionSettings settings,
            ProjectionObserver observer) {
        this.projection = projection;
        this.transactions = transactions;
        this.guard = guard;
        this.settings = settings;
        this.observer = observer;
        this.batchSizing = new BatchSizing(settings.batchSize(), settings.batchBytes());
        this.lastLookStarted = System.nanoTime();
        this.readAheadThread = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                .daemon()
                .name("onepg-read-ahead-" + projection.name())
                .factory());
    }

    String name() {
        return projection.name();
    }

    /** Whether this runner holds the lease, as far as it knows: it renewed it less than a lease ago. */
    boolean leads() {
        return lease != null && leaseValidUntil - System.nanoTime() > 0;
    }

    void wakeUp() {
        wakeUp.signal();
    }

    void wakeUpAfterCommit(long committedBy) {
        wakeUp.signal(committedBy);
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
                Lease held = lease != null ? lease : acquire();
                if (held == null) {
                    wakeUp.await(settings.leaderRetryInterval());
                    continue;
                }
                int batchSize = eventsLeftToIsolate > 0 ? 1 : batchSizing.current();
                BatchOutcome outcome = applyNextBatch(held, batchSize);
                batchSizing.read(batchSize, outcome instanceof BatchOutcome.Applied applied ? applied.events() : 0);
                switch (outcome) {
                    case BatchOutcome.Applied applied -> {
                        if (!woken) {
                            observer.fallbackPollFoundEvents(name());
                        }
                        if (applied.events() < batchSize) {
                            keepSpacing();
                            woken = wakeUp.awaitSince(idleWait(), lastLookStarted);
                        } else {
                            woken = true;
                        }
                    }
                    case BatchOutcome.CaughtUp caughtUp -> woken = wakeUp.awaitSince(idleWait(), lastLookStarted);
                    case BatchOutcome.Held notRunning -> woken = wakeUp.await(idleWait());
                    case BatchOutcome.LeaseLost lost -> stepDown(held);
                    case BatchOutcome.Failed failed -> handleFailure(held, failed.failure());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.warn("Projection {} could not read or commit; retrying: {}", name(), e.toString());
                pause(settings.pollInterval());
            }
        }
        readAheadThread.shutdownNow();
        release();
    }

    /** After a batch that caught up, lets the batch spacing pass from its start before the next one starts. */
    private void keepSpacing() throws InterruptedException {
        long left = lastBatchStarted + settings.batchSpacing().toNanos() - System.nanoTime();
        if (left > 0 && running) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private @Nullable Lease acquire() {
        long started = System.nanoTime();
        Optional<Long> generation = transactions.inTransaction(transaction ->
                Checkpoints.acquireLease(transaction, name(), owner, settings.instanceId(), settings.leaseDuration()));
        if (generation.isEmpty()) {
            return null;
        }
        Lease acquired = new Lease(name(), owner, generation.get(), settings.leaseDuration());
        renewed(started);
        lease = acquired;
        failedAttempts = 0;
        eventsLeftToIsolate = 0;
        observer.leaseAcquired(name(), acquired.generation());
        log.info(
                "Instance {} now runs projection {} (lease generation {})",
                settings.instanceId(),
                name(),
                acquired.generation());
        return acquired;
    }

    /**
     * Applies the next batch; the checkpoint, the lease and the views move in one transaction or not at all. While
     * a backlog lasts (a full batch), the batch after it is read on another connection while this one is applied
     * and committed.
     */
    private BatchOutcome applyNextBatch(Lease held, int batchSize) throws InterruptedException {
        BatchApplier.ReadAhead ready = takeReadAhead();
        @Nullable Checkpoint expected = expectedCheckpoint;
        expectedCheckpoint = null;
        long started = System.nanoTime();
        lastBatchStarted = started;
        // A batch applies the events read ahead, if any, and reads the log itself otherwise.
        lastLookStarted = ready != null && !ready.events().isEmpty() ? ready.readStarted() : started;
        boolean renew = renewalDue(started);
        BatchOutcome outcome;
        try {
            outcome = projection instanceof OutboundProjection outbound
                    ? OutboundBatch.deliverNext(transactions, guard, held, outbound, batchSize, batchSizing::weigh)
                    : transactions.inBatch((transaction, limits) ->
                            transaction.connectionResult(connection -> BatchApplier.applyNext(
                                    transaction,
                                    connection,
                                    limits,
                                    guard,
                                    held,
                                    projection,
                                    batchSize,
                                    renew,
                                    ready,
                                    expected,
                                    events -> {
                                        batchSizing.weigh(events);
                                        checkpointIfCommitted = events.getLast().checkpoint();
                                        readAheadAfter(events, batchSize);
                                    })));
        } catch (ProjectionFailure failure) {
            discardReadAhead();
            return new BatchOutcome.Failed(failure);
        } catch (RuntimeException e) {
            discardReadAhead();
            throw e;
        }
        if (!(outcome instanceof BatchOutcome.Applied)) {
            discardReadAhead();
        }
        if (outcome instanceof BatchOutcome.Applied) {
            expectedCheckpoint = checkpointIfCommitted;
        } else if (outcome instanceof BatchOutcome.CaughtUp) {
            expectedCheckpoint = expected;
        }
        switch (outcome) {
            case BatchOutcome.Applied applied -> {
                renewed(started);
                eventsLeftToIsolate = failedAttempts > 0 ? 0 : Math.max(0, eventsLeftToIsolate - applied.events());
                failedAttempts = 0;
                unavailableAttempts = 0;
                observer.batchApplied(name(), applied.events(), Duration.ofNanos(System.nanoTime() - started));
            }
            case BatchOutcome.CaughtUp caughtUp when renew -> renewed(started);
            case BatchOutcome.Held notRunning when renew -> renewed(started);
            default -> {}
        }
        return outcome;
    }

    /** Starts reading the batch after a full one, unless events are being isolated one by one. */
    private void readAheadAfter(List<RecordedEvent> events, int batchSize) {
        if (events.size() < batchSize || eventsLeftToIsolate > 0) {
            return;
        }
        Checkpoint after = events.getLast().checkpoint();
        int size = batchSizing.afterFull(batchSize);
        readAhead = readAheadThread.submit(() -> {
            long readStarted = System.nanoTime();
            return new BatchApplier.ReadAhead(
                    after,
                    transactions.inTransaction(transaction -> GlobalLog.readAfter(transaction, after, size)),
                    readStarted);
        });
    }

    /** The batch read ahead, if one was and it could be read; the batch then reads for itself otherwise. */
    private BatchApplier.@Nullable ReadAhead takeReadAhead() throws InterruptedException {
        Future<BatchApplier.ReadAhead> pending = readAhead;
        readAhead = null;
        if (pending == null) {
            return null;
        }
        try {
            return pending.get();
        } catch (ExecutionException e) {
            log.debug("Projection {} could not read ahead; reading in the batch", name(), e.getCause());
            return null;
        }
    }

    private void discardReadAhead() {
        Future<BatchApplier.ReadAhead> pending = readAhead;
        readAhead = null;
        if (pending != null) {
            pending.cancel(true);
        }
    }

    /** Renews the lease outside a batch, while a failing event waits for its next try. */
    private void renewIfDue(Lease held) {
        long started = System.nanoTime();
        if (!renewalDue(started)) {
            return;
        }
        if (transactions.inTransaction(transaction -> Checkpoints.renewLease(transaction, held))) {
            renewed(started);
        } else {
            stepDown(held);
        }
    }

    private boolean renewalDue(long now) {
        return now - lastRenewal >= renewalInterval().toNanos();
    }

    /** The lease runs from the start of the transaction that renewed it, which is before the database's now(). */
    private void renewed(long transactionStarted) {
        lastRenewal = transactionStarted;
        leaseValidUntil = transactionStarted + settings.leaseDuration().toNanos();
    }

    private Duration renewalInterval() {
        return settings.leaseDuration().dividedBy(3);
    }

    /** Waits no longer than the poll interval, nor so long that the lease would go unrenewed. */
    private Duration idleWait() {
        Duration renewal = renewalInterval();
        return settings.pollInterval().compareTo(renewal) < 0 ? settings.pollInterval() : renewal;
    }

    private void stepDown(Lease lost) {
        if (lease != lost) {
            return;
        }
        lease = null;
        observer.leaseLost(name());
        log.warn(
                "Instance {} lost the lease of projection {} (generation {}); another instance runs it",
                settings.instanceId(),
                name(),
                lost.generation());
    }

    private void handleFailure(Lease held, ProjectionFailure failure) throws InterruptedException {
        if (failure.getCause() instanceof ProjectionTargetUnavailable unavailable) {
            awaitTarget(held, unavailable);
            return;
        }
        if (failure.event() == null) {
            log.info(
                    "Projection {} failed on a batch; retrying event by event: {}",
                    name(),
                    failure.getCause().toString());
            eventsLeftToIsolate = batchSizing.current();
            return;
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
            failedAttempts = 0;
            eventsLeftToIsolate = 0;
            String error = ErrorSummary.of(failure.getCause());
            if (!transactions.inTransaction(
                    transaction -> Checkpoints.markFailed(transaction, held, event.eventId(), error))) {
                stepDown(held);
            }
            return;
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
        renewIfDue(held);
        Thread.sleep(delay);
    }

    /** The events are fine but the projection's target is down: retry the same batch later, without limit. */
    private void awaitTarget(Lease held, ProjectionTargetUnavailable unavailable) throws InterruptedException {
        unavailableAttempts++;
        Duration delay = retryDelay(unavailableAttempts);
        log.warn(
                "Projection {} waits for its target (attempt {}); retrying the batch in {} ms: {}",
                name(),
                unavailableAttempts,
                delay.toMillis(),
                unavailable.getMessage());
        renewIfDue(held);
        Thread.sleep(delay);
    }

    /** Doubles with each try, but stays below the renewal interval, so that retries never cost the lease. */
    private Duration retryDelay(int attempt) {
        Duration delay = settings.firstRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
        Duration cap = MAX_RETRY_DELAY.compareTo(renewalInterval()) < 0 ? MAX_RETRY_DELAY : renewalInterval();
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    private void release() {
        Lease held = lease;
        if (held == null) {
            return;
        }
        lease = null;
        try {
            transactions.inTransaction(transaction -> {
                Checkpoints.releaseLease(transaction, held);
                return null;
            });
        } catch (RuntimeException e) {
            log.debug("Could not release the lease of projection {}; it expires by itself", name(), e);
        }
    }

    private void pause(Duration duration) {
        try {
            wakeUp.await(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
