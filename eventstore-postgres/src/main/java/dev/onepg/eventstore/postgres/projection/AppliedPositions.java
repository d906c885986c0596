package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static dev.onepg.db.jooq.eventstore.Tables.PROJECTIONS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;

import dev.onepg.db.jooq.eventstore.tables.Events;
import dev.onepg.eventstore.ProjectionProgress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each projection has applied the log, as one number: the highest position up to which it has applied
 * every event. Positions that hold no event (0, or the gap a rolled-back append leaves) count as applied once
 * every event before them is.
 *
 * <p>Readers waiting for a position share one watcher: it asks the database once whenever a batch commits (it is
 * a {@link ProjectionObserver}), whenever new readers arrive, and at a steady interval while anyone waits (for
 * batches committed by another instance). However many readers wait, each of those moments costs one query.
 */
public final class AppliedPositions implements ProjectionProgress, ProjectionObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppliedPositions.class);

    private final DSLContext dsl;
    private final Duration recheckInterval;
    private final Map<String, Long> horizons = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition checkWanted = lock.newCondition();
    private final Condition horizonsMoved = lock.newCondition();
    private final Thread watcher;
    private boolean checkPending;
    private volatile boolean running = true;

    public AppliedPositions(DataSource dataSource, Duration recheckInterval) {
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.recheckInterval = recheckInterval;
        this.watcher =
                Thread.ofPlatform().daemon().name("onepg-applied-positions").start(this::watch);
    }

    /** Asks the database once. */
    @Override
    public boolean hasReached(String projection, long position) {
        return position <= refresh(projection);
    }

    /**
     * Waits until the projection has applied every event up to this position, at most {@code timeout}.
     *
     * @return whether it got there in time
     */
    @Override
    public boolean awaitPosition(String projection, long position, Duration timeout) throws InterruptedException {
        if (position <= horizons.getOrDefault(projection, -1L)) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.incrementAndGet();
        lock.lock();
        try {
            dirty.add(projection);
            wantCheck();
            while (position > horizons.getOrDefault(projection, -1L)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                dirty.add(projection);
                horizonsMoved.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    @Override
    public void batchApplied(String projection, int events, Duration duration) {
        if (waiting.get() == 0) {
            return;
        }
        lock.lock();
        try {
            dirty.add(projection);
            wantCheck();
        } finally {
            lock.unlock();
        }
    }

    private void wantCheck() {
        checkPending = true;
        checkWanted.signal();
    }

    private void watch() {
        while (running) {
            Set<String> projections;
            lock.lock();
            try {
                if (!checkPending) {
                    checkWanted.await(recheckInterval.toNanos(), TimeUnit.NANOSECONDS);
                }
                checkPending = false;
                if (waiting.get() == 0) {
                    dirty.clear();
                    continue;
                }
                projections = Set.copyOf(dirty);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            for (String projection : projections) {
                try {
                    refresh(projection);
                } catch (RuntimeException e) {
                    log.warn("Could not read how far projection {} has come: {}", projection, e.toString());
                }
            }
            lock.lock();
            try {
                horizonsMoved.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private long refresh(String projection) {
        long horizon = horizon(projection);
        return horizons.merge(projection, horizon, Math::max);
    }

    /**
     * The position just below the first event the projection has not applied; with none left, the head of the
     * log. -1 for a projection that is not registered.
     */
    private long horizon(String projection) {
        Events pending = EVENTS.as("pending");
        var firstPending = select(min(pending.POSITION))
                .from(pending)
                .where(row(pending.TRANSACTION_ID, pending.POSITION)
                        .gt(row(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION)));
        var head = select(coalesce(max(EVENTS.POSITION), 0L)).from(EVENTS);
        return dsl.select(coalesce(field(firstPending).minus(1L), field(head)))
                .from(PROJECTIONS)
                .where(PROJECTIONS.NAME.eq(projection))
                .fetchOptional(0, Long.class)
                .orElse(-1L);
    }

    @Override
    public void close() {
        running = false;
        watcher.interrupt();
    }
}
