package dev.onepg.eventstore.postgres.notification;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sticky wake-up: a signal given while nobody waits is kept for the next wait.
 *
 * <p>A signal may be stamped with the moment by which what it announces had happened ({@link System#nanoTime()});
 * {@link #awaitSince} lets such a signal pass only if that moment is not before a given one. A signal without a
 * stamp always passes.
 */
public final class WakeUpSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    private boolean stampedPending;
    private long latestStamp;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A signal for something that had happened by {@code happenedBy}, a {@link System#nanoTime()}. */
    public void signal(long happenedBy) {
        lock.lock();
        try {
            if (!stampedPending || happenedBy - latestStamp > 0) {
                latestStamp = happenedBy;
            }
            stampedPending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a signal or the timeout, like {@link #await}, but lets stamped signals whose stamps are all before
     * {@code since} go by as if they had not been given: what they announce had happened before {@code since}.
     * Consumes every signal given; returns whether one passed.
     */
    public boolean awaitSince(Duration timeout, long since) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (true) {
                boolean passes = pending || (stampedPending && latestStamp - since >= 0);
                stampedPending = false;
                if (passes || nanos <= 0) {
                    pending = false;
                    return passes;
                }
                nanos = signalled.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a signal or the timeout, and consumes the signal; returns whether there was one. */
    public boolean await(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!pending && !stampedPending && nanos > 0) {
                nanos = signalled.awaitNanos(nanos);
            }
            boolean woken = pending || stampedPending;
            pending = false;
            stampedPending = false;
            return woken;
        } finally {
            lock.unlock();
        }
    }
}
