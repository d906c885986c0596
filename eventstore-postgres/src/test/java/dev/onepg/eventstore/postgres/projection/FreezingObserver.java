package dev.onepg.eventstore.postgres.projection;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Freezes a runner's thread right after it committed a batch, outside any transaction, the way a stopped process
 * or a paused VM would; and counts the leases its runner took and lost.
 */
final class FreezingObserver implements ProjectionObserver {

    private final AtomicReference<@Nullable CountDownLatch> thaw = new AtomicReference<>();
    private final CountDownLatch frozen = new CountDownLatch(1);
    private final AtomicInteger acquired = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();

    void freezeAfterNextBatch() {
        thaw.set(new CountDownLatch(1));
    }

    boolean awaitFrozen(Duration patience) throws InterruptedException {
        return frozen.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    void thaw() {
        CountDownLatch latch = thaw.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    int leasesAcquired() {
        return acquired.get();
    }

    int leasesLost() {
        return lost.get();
    }

    @Override
    public void batchApplied(String projection, int events, Duration duration) {
        CountDownLatch latch = thaw.get();
        if (latch == null) {
            return;
        }
        frozen.countDown();
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void leaseAcquired(String projection, long generation) {
        acquired.incrementAndGet();
    }

    @Override
    public void leaseLost(String projection) {
        lost.incrementAndGet();
    }
}
