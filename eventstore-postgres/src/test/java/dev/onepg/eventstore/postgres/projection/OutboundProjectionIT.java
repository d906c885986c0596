package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.testing.Eventually.PATIENCE;
import static dev.onepg.eventstore.postgres.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.OutboundProjection;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTargetUnavailable;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An outbound projection (a relay to a broker) is handed its batches with no transaction open: while it waits for
 * its target, the other projections go on; its checkpoint moves only once the target took the batch, and only
 * while its runner still leads.
 */
class OutboundProjectionIT {

    private static final String TARGET = "target";

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void otherProjectionsGoOnWhileAnOutboundProjectionWaitsForItsTarget() throws Exception {
        GatedTarget target = new GatedTarget();

        assertThat(appliedByOthersWhileTheTargetWaits(target, target)).isEqualTo(6);
    }

    @Test
    void aProjectionWaitingForItsTargetInsideItsTransactionHoldsTheOthersBack() throws Exception {
        GatedTarget target = new GatedTarget();

        // The planted variant: the same target, waited for inside the runner's transaction.
        assertThat(appliedByOthersWhileTheTargetWaits(target.insideTheTransaction(), target))
                .as("events committed after the waiting transaction began stay invisible to the other projection")
                .isEqualTo(1);
    }

    @Test
    void theCheckpointStaysWhileTheTargetIsDownAndMovesOnceItTookTheBatch() throws Exception {
        GatedTarget target = new GatedTarget();
        target.refusals.set(3);
        target.open();
        ProjectionEngine engine = engine(List.of(target), CheckpointGuard.FENCED);
        List<UUID> written = db.appendEvents("s", 10);

        eventually(() -> target.attempts.get() >= 3);
        assertThat(db.status(TARGET).checkpoint()).isEqualTo(Checkpoint.START);
        assertThat(db.status(TARGET).state()).isEqualTo(ProjectionState.RUNNING);

        eventually(() -> engine.lag(TARGET).events() == 0);
        assertThat(target.delivered).containsExactlyElementsOf(written);
    }

    @Test
    void aBacklogOfLargeEventsIsDeliveredInBatchesOnlyAsLargeAsTheirBytesAllow() throws Exception {
        GatedTarget target = new GatedTarget();
        target.open();
        List<UUID> written = db.appendEvents("large", 40, LargeEvents.PADDING);

        db.engine(new ProjectionEngine(
                        db.dataSource,
                        List.of(target),
                        ProjectionTestDatabase.settings().withBatchSize(5).withBatchBytes(LargeEvents.BYTES)))
                .start();

        eventually(() -> target.delivered.size() == written.size());
        assertThat(target.delivered).containsExactlyElementsOf(written);
        LargeEvents.assertBoundedAfterTheFirst(target.batchSizes, 5, "10, then 20");
    }

    @Test
    void aRunnerDeposedWhileItDeliversDoesNotMoveTheCheckpoint() throws Exception {
        assertThat(checkpointMovedByADeposedRunner(CheckpointGuard.FENCED)).isFalse();
    }

    @Test
    void withoutFencingADeposedRunnerWouldMoveTheCheckpoint() throws Exception {
        assertThat(checkpointMovedByADeposedRunner(BrokenGuards.WITHOUT_FENCING))
                .as("the planted guard lets the deposed runner commit")
                .isTrue();
    }

    /** Holds the target at its first batch, writes more, and counts what another projection applies meanwhile. */
    private int appliedByOthersWhileTheTargetWaits(Projection projection, GatedTarget target) throws Exception {
        ProjectionEngine engine = engine(List.of(projection, new RecordingProjection("views")), CheckpointGuard.FENCED);
        List<UUID> written = new ArrayList<>(db.appendEvents("first", 1));
        assertThat(target.entered.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();
        eventually(() -> db.applied("views").equals(written));

        written.addAll(db.appendEvents("later", 5));
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (db.applied("views").size() < written.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int appliedMeanwhile = db.applied("views").size();
        assertThat(db.status(TARGET).checkpoint())
                .as("the checkpoint waits for the target")
                .isEqualTo(Checkpoint.START);

        target.open();
        eventually(() -> engine.lag(TARGET).events() == 0 && db.applied("views").size() == written.size());
        assertThat(target.delivered).containsExactlyElementsOf(written);
        return appliedMeanwhile;
    }

    /** Takes the lease away while the runner delivers, then lets the delivery finish. */
    private boolean checkpointMovedByADeposedRunner(CheckpointGuard guard) throws Exception {
        GatedTarget target = new GatedTarget();
        List<UUID> written = db.appendEvents("s", 3);
        ProjectionEngine engine = engine(List.of(target), guard);
        assertThat(target.entered.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isTrue();

        db.execute("UPDATE eventstore.projections SET lease_owner = 'another runner',"
                + " lease_generation = lease_generation + 1, lease_expires_at = now() + interval '1 hour'"
                + " WHERE name = '" + TARGET + "'");
        target.open();

        eventually(() -> !engine.leads(TARGET));
        assertThat(target.delivered)
                .as("the target took the batch: the next leader sends it again")
                .containsExactlyElementsOf(written);
        return !db.status(TARGET).checkpoint().equals(Checkpoint.START);
    }

    private ProjectionEngine engine(List<Projection> projections, CheckpointGuard guard) {
        // A long lease keeps the planted in-transaction wait clear of the idle-in-transaction timeout.
        ProjectionEngine engine = db.engine(new ProjectionEngine(
                db.dataSource,
                projections,
                ProjectionTestDatabase.settings()
                        .withLeaseDuration(Duration.ofSeconds(20))
                        .withRetries(3, Duration.ofMillis(20)),
                ProjectionObserver.NONE,
                guard));
        engine.start();
        return engine;
    }

    /** A target outside the database that takes batches only once the test opens it, and refuses some while down. */
    private static final class GatedTarget implements OutboundProjection {

        final List<UUID> delivered = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final Semaphore entered = new Semaphore(0);
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger refusals = new AtomicInteger();
        private final CountDownLatch opened = new CountDownLatch(1);

        void open() {
            opened.countDown();
        }

        @Override
        public String name() {
            return TARGET;
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("Happened");
        }

        @Override
        public void deliver(List<RecordedEvent> events) throws Exception {
            attempts.incrementAndGet();
            entered.release();
            if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new ProjectionTargetUnavailable("down", new IllegalStateException("down"));
            }
            if (!opened.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never opened the target");
            }
            events.forEach(event -> delivered.add(event.eventId()));
            batchSizes.add(events.size());
        }

        /** The same target as an ordinary projection, which the runner calls inside its batch transaction. */
        Projection insideTheTransaction() {
            GatedTarget target = this;
            return new Projection() {
                @Override
                public String name() {
                    return target.name();
                }

                @Override
                public Set<String> eventTypes() {
                    return target.eventTypes();
                }

                @Override
                public void apply(RecordedEvent event, ProjectionTransaction transaction) throws Exception {
                    target.deliver(List.of(event));
                }

                @Override
                public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) throws Exception {
                    target.deliver(events);
                }
            };
        }
    }
}
