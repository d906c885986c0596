package dev.onepg.eventstore.postgres.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.testing.TestDatabase;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leadership by lease: a leader that stops renewing is replaced in bounded time, a leader that lost its lease
 * cannot commit, killed connections cost nothing, and two runners that keep taking the lease from each other
 * still apply every event exactly once. The fencing scenarios also run against planted broken guards, to show
 * that they catch what the fence prevents.
 */
class ProjectionLeaseIT {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String VIEWS = "views";

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();
    private final List<ProjectionEngine> engines = new ArrayList<>();
    private final List<FreezingObserver> observers = new ArrayList<>();

    @BeforeEach
    void everyEngineWakes() {
        db.store = new PostgresEventStore(
                db.dataSource,
                (result, committedBy) -> engines.forEach(engine -> engine.wakeUpAfterCommit(committedBy)));
    }

    @AfterEach
    void close() throws Exception {
        observers.forEach(FreezingObserver::thaw);
        engines.reversed().forEach(ProjectionEngine::close);
        db.close();
    }

    @Test
    void aFrozenLeaderIsReplacedWithinTheLeaseDurationAndNoEventIsAppliedTwice() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Duration retry = Duration.ofMillis(100);
        ProjectionSettings settings = settings().withLeaseDuration(lease).withLeaderRetryInterval(retry);
        FreezingObserver firstObserver = new FreezingObserver();
        ProjectionEngine first = engine("first", settings, firstObserver, CheckpointGuard.FENCED);
        first.start();
        eventually(() -> first.leads(VIEWS));
        ProjectionEngine second = engine("second", settings, new FreezingObserver(), CheckpointGuard.FENCED);
        second.start();

        firstObserver.freezeAfterNextBatch();
        List<UUID> written = new ArrayList<>(db.appendEvents("before-freeze", 1));
        assertThat(firstObserver.awaitFrozen(PATIENCE)).isTrue();
        long frozenAt = System.nanoTime();
        written.addAll(db.appendEvents("while-frozen", 5));

        eventually(() -> second.leads(VIEWS));
        Duration takeover = Duration.ofNanos(System.nanoTime() - frozenAt);
        eventually(() -> applied().containsAll(written));
        assertThat(takeover)
                .as("the lease is respected, and then taken over within the lease duration and a retry")
                .isBetween(lease.minusMillis(300), lease.plus(retry).plusMillis(1500));

        firstObserver.thaw();
        eventually(() -> firstObserver.leasesLost() == 1);
        written.addAll(db.appendEvents("after-thaw", 3));

        eventually(() -> applied().containsAll(written));
        assertThat(applied()).containsExactlyElementsOf(written);
        assertThat(first.leads(VIEWS)).isFalse();
        assertThat(status().leader()).isEqualTo("second");
    }

    @Test
    void aLeaderFrozenInTheMiddleOfABatchLosesItsSessionAndIsReplacedWithinTheLeaseDuration() throws Exception {
        Duration lease = Duration.ofSeconds(1);
        Duration retry = Duration.ofMillis(100);
        ProjectionSettings settings = settings().withLeaseDuration(lease).withLeaderRetryInterval(retry);
        RecordingProjection frozen = new RecordingProjection(VIEWS, "first");
        FreezingObserver firstObserver = new FreezingObserver();
        ProjectionEngine first =
                engine(frozen, settings.withInstanceId("first"), firstObserver, CheckpointGuard.FENCED);
        first.start();
        eventually(() -> first.leads(VIEWS));
        ProjectionEngine second = engine("second", settings, new FreezingObserver(), CheckpointGuard.FENCED);
        second.start();

        RecordingProjection.Hold hold = frozen.holdNextApply();
        List<UUID> written = db.appendEvents("held", 1);
        assertThat(hold.awaitReached(PATIENCE)).isTrue();
        long frozenAt = System.nanoTime();

        eventually(() -> second.leads(VIEWS));
        Duration takeover = Duration.ofNanos(System.nanoTime() - frozenAt);
        eventually(() -> applied().containsAll(written));
        hold.release();
        eventually(() -> firstObserver.leasesLost() == 1);

        assertThat(takeover)
                .as("the server ended the frozen batch's session, so its row lock did not outlive the lease")
                .isLessThan(lease.plus(retry).plusMillis(1500));
        assertThat(applied()).containsExactlyElementsOf(written);
        assertThat(runnersThatCommitted()).containsExactly("second");
    }

    @Test
    void aLeaderCutOffByABlackHoledNetworkIsReplacedAndItsRunnerIsNotStuck() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        Duration retry = Duration.ofMillis(100);
        ProjectionSettings settings = settings()
                .withLeaseDuration(lease)
                .withLeaderRetryInterval(retry)
                .withStatementTimeout(Duration.ofSeconds(1));
        String url = db.database.jdbcUrl();
        java.net.URI server = java.net.URI.create(url.substring("jdbc:".length()));
        try (BlackHoleProxy proxy = new BlackHoleProxy(server.getHost(), server.getPort());
                HikariDataSource throughProxy = TestDatabases.dataSource(
                        new TestDatabase(
                                url.replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + proxy.port()),
                                db.database.username(),
                                db.database.password()),
                        4)) {
            throughProxy.setConnectionTimeout(1000);
            throughProxy.setValidationTimeout(500);
            ProjectionEngine cutOff = new ProjectionEngine(
                    throughProxy,
                    List.of(new RecordingProjection(VIEWS, "cut-off")),
                    settings.withInstanceId("cut-off"));
            cutOff.start();
            try {
                eventually(() -> cutOff.leads(VIEWS));
                ProjectionEngine second = engine("second", settings, new FreezingObserver(), CheckpointGuard.FENCED);
                second.start();
                List<UUID> written = new ArrayList<>(db.appendEvents("before", 2));
                eventually(() -> applied().containsAll(written));

                proxy.swallowEverything();
                long cutAt = System.nanoTime();
                written.addAll(db.appendEvents("while-cut-off", 3));

                eventually(() -> second.leads(VIEWS));
                Duration takeover = Duration.ofNanos(System.nanoTime() - cutAt);
                eventually(() -> applied().containsAll(written));
                assertThat(takeover).isLessThan(lease.plus(retry).plusMillis(1500));
                assertThat(applied()).containsExactlyElementsOf(written);
                assertThat(runnersThatCommitted()).contains("second");
            } finally {
                long closing = System.nanoTime();
                cutOff.close();
                assertThat(Duration.ofNanos(System.nanoTime() - closing))
                        .as("its runner's calls time out, so it stops without being interrupted (10 s)")
                        .isLessThan(Duration.ofSeconds(9));
            }
        }
    }

    @Test
    void aLeaderThatLostItsLeaseWhileFrozenCannotCommit() throws Exception {
        DeposedLeader deposed = deposeFrozenLeader(CheckpointGuard.FENCED);

        assertThat(deposed.appliedAfterTakeover()).isEmpty();
        assertThat(deposed.checkpointMovedAfterTakeover()).isFalse();
        assertThat(status().leader()).isEqualTo("intruder");
    }

    @Test
    void withoutTheFenceADeposedLeaderWouldCommit() throws Exception {
        DeposedLeader deposed = deposeFrozenLeader(BrokenGuards.WITHOUT_FENCING);

        assertThat(deposed.appliedAfterTakeover()).isNotEmpty();
        assertThat(deposed.checkpointMovedAfterTakeover()).isTrue();
    }

    @Test
    void killedConnectionsMidBatchCostNeitherTheLeaseNorAnEvent() throws Exception {
        RecordingProjection projection = new RecordingProjection(VIEWS, "only");
        ProjectionEngine engine = engine(
                projection,
                settings().withRetries(5, Duration.ofMillis(10)),
                new FreezingObserver(),
                CheckpointGuard.FENCED);
        engine.start();
        eventually(() -> engine.leads(VIEWS));
        List<UUID> written = new ArrayList<>(db.appendEvents("before", 2));
        eventually(() -> applied().size() == 2);
        long generation = leaseGeneration();

        RecordingProjection.Hold hold = projection.holdNextApply();
        written.addAll(db.appendEvents("held", 3));
        assertThat(hold.awaitReached(PATIENCE)).isTrue();
        assertThat(terminateEveryOtherBackend())
                .as("the runner's connection was among those killed")
                .isPositive();
        hold.release();
        written.addAll(db.appendEvents("after", 3));

        eventually(() -> applied().size() >= written.size());
        assertThat(applied()).containsExactlyElementsOf(written);
        assertThat(engine.leads(VIEWS)).isTrue();
        assertThat(leaseGeneration())
                .as("leadership does not depend on a session, so nobody had to take it over")
                .isEqualTo(generation);
    }

    @Test
    void twoRunnersThatKeepTakingTheLeaseFromEachOtherApplyEveryEventExactlyOnceInOrder() throws Exception {
        Contention contention = competeForTheLease(CheckpointGuard.FENCED);

        assertThat(contention.applied()).doesNotHaveDuplicates();
        assertThat(contention.applied()).containsExactlyInAnyOrderElementsOf(contention.written());
        assertThat(appliedInGlobalOrder()).isTrue();
        assertThat(contention.runnersThatCommitted())
                .as("both runners really ran")
                .containsExactlyInAnyOrder("first", "second");
        assertThat(contention.generation())
                .as("the lease changed hands many times")
                .isGreaterThan(5);
    }

    @Test
    void withoutLockFenceAndCompareAndSetTheSameContentionAppliesEventsTwice() throws Exception {
        Contention contention = competeForTheLease(BrokenGuards.UNGUARDED);

        assertThat(contention.applied()).hasSizeGreaterThan(new HashSet<>(contention.applied()).size());
    }

    @Test
    void aBatchReadAheadIsDroppedWhenTheCheckpointWasMovedWhileItWasRead() throws Exception {
        MovedCheckpoint moved = moveCheckpointWhileABatchIsReadAhead(CheckpointGuard.FENCED);

        assertThat(moved.applied())
                .as("nothing the checkpoint was moved past")
                .doesNotContainAnyElementsOf(moved.passed());
        assertThat(moved.applied()).containsAll(moved.after());
        assertThat(moved.applied()).doesNotHaveDuplicates();
    }

    @Test
    void withoutAskingWhereTheReadAheadFollowsOnTheEventsMovedPastWouldBeApplied() throws Exception {
        MovedCheckpoint moved =
                moveCheckpointWhileABatchIsReadAhead(BrokenGuards.IGNORING_WHERE_A_READ_AHEAD_FOLLOWS_ON);

        assertThat(moved.applied()).containsAnyElementsOf(moved.passed());
    }

    private record MovedCheckpoint(List<UUID> passed, List<UUID> after, List<UUID> applied) {}

    /**
     * A backlog, so that the runner reads its next batch while the first one commits; the runner frozen right
     * after that commit; the checkpoint moved ahead meanwhile (as a rebuild's switch or an operator moves it), past
     * the batch read ahead; the runner thawed.
     */
    private MovedCheckpoint moveCheckpointWhileABatchIsReadAhead(CheckpointGuard guard) throws Exception {
        List<UUID> backlog = db.appendEvents("backlog", 30);
        FreezingObserver observer = new FreezingObserver();
        ProjectionEngine runner = engine("reader", settings().withBatchSize(5), observer, guard);
        observer.freezeAfterNextBatch();
        runner.start();
        assertThat(observer.awaitFrozen(PATIENCE)).isTrue();
        assertThat(applied()).isEqualTo(backlog.subList(0, 5));
        db.execute("UPDATE eventstore.projections SET (checkpoint_tx, checkpoint_position) ="
                + " (SELECT transaction_id, position FROM eventstore.events WHERE event_id = '" + backlog.get(19)
                + "') WHERE name = 'views'");
        observer.thaw();
        eventually(() -> status().checkpoint().position() > 0 && applied().contains(backlog.getLast()));
        return new MovedCheckpoint(backlog.subList(5, 20), backlog.subList(20, 30), applied());
    }

    private record DeposedLeader(List<UUID> appliedAfterTakeover, boolean checkpointMovedAfterTakeover) {}

    /**
     * Freezes the leader after a batch, hands its lease to an intruder as a takeover would (new generation, new
     * owner), appends events and thaws the leader; returns what it committed after that.
     */
    private DeposedLeader deposeFrozenLeader(CheckpointGuard guard) throws Exception {
        FreezingObserver observer = new FreezingObserver();
        ProjectionEngine leader =
                engine("deposed", settings().withLeaseDuration(Duration.ofSeconds(1)), observer, guard);
        leader.start();
        eventually(() -> leader.leads(VIEWS));

        observer.freezeAfterNextBatch();
        db.appendEvents("before-takeover", 1);
        assertThat(observer.awaitFrozen(PATIENCE)).isTrue();
        db.execute("""
                UPDATE eventstore.projections
                SET lease_owner = 'intruder', leader = 'intruder', lease_generation = lease_generation + 1,
                    lease_expires_at = now() + interval '1 hour'
                WHERE name = 'views'
                """);
        long checkpoint = status().checkpoint().position();
        List<UUID> pending = db.appendEvents("after-takeover", 3);

        observer.thaw();
        eventually(() -> observer.leasesLost() == 1);

        List<UUID> committed = new ArrayList<>(applied());
        committed.retainAll(pending);
        return new DeposedLeader(committed, status().checkpoint().position() != checkpoint);
    }

    private record Contention(
            List<UUID> written, List<UUID> applied, Set<String> runnersThatCommitted, long generation) {}

    /**
     * Two runners with short leases, slowed down so that batches take a while, while a saboteur keeps expiring
     * whichever lease is current: the other runner takes it over, and the old one finds out only at its next
     * batch.
     */
    private Contention competeForTheLease(CheckpointGuard guard) throws Exception {
        ProjectionSettings settings = settings()
                .withBatchSize(5)
                .withPollInterval(Duration.ofMillis(20))
                .withLeaderRetryInterval(Duration.ofMillis(10))
                .withLeaseDuration(Duration.ofSeconds(1))
                .withRetries(5, Duration.ofMillis(10));
        for (String runner : List.of("first", "second")) {
            engine(
                            new RecordingProjection(VIEWS, runner).slowedDownBy(Duration.ofMillis(1)),
                            settings,
                            new FreezingObserver(),
                            guard)
                    .start();
        }
        AtomicBoolean sabotaging = new AtomicBoolean(true);
        Thread saboteur = Thread.ofPlatform().start(() -> {
            while (sabotaging.get()) {
                try {
                    db.execute("UPDATE eventstore.projections SET lease_expires_at = now() - interval '1 second'"
                            + " WHERE name = 'views' AND lease_owner IS NOT NULL");
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        try {
            // In waves, so that no backlog lets the runners' batches grow: the lease changes hands between many
            // small batches. At least ten waves, and more while the lease has not changed hands often yet (fast
            // batches can outrun the saboteur).
            List<UUID> written = new ArrayList<>();
            for (int wave = 0; wave < 10 || (wave < 200 && leaseGeneration() <= 5); wave++) {
                written.addAll(db.appendConcurrently("wave-" + wave, 4, 5));
                eventually(() -> new HashSet<>(applied()).size() >= written.size());
            }
            return new Contention(written, applied(), runnersThatCommitted(), leaseGeneration());
        } finally {
            sabotaging.set(false);
            saboteur.join();
        }
    }

    private ProjectionSettings settings() {
        return ProjectionSettings.defaults()
                .withBatchSize(50)
                .withPollInterval(Duration.ofMillis(100))
                .withLeaderRetryInterval(Duration.ofMillis(100))
                .withStatementTimeout(Duration.ofSeconds(5));
    }

    private ProjectionEngine engine(
            String runner, ProjectionSettings settings, FreezingObserver observer, CheckpointGuard guard) {
        return engine(new RecordingProjection(VIEWS, runner), settings.withInstanceId(runner), observer, guard);
    }

    private ProjectionEngine engine(
            RecordingProjection projection,
            ProjectionSettings settings,
            FreezingObserver observer,
            CheckpointGuard guard) {
        ProjectionEngine engine = new ProjectionEngine(db.dataSource, List.of(projection), settings, observer, guard);
        engines.add(engine);
        observers.add(observer);
        return engine;
    }

    private ProjectionStatus status() {
        return Checkpoints.status(org.jooq.impl.DSL.using(db.dataSource, org.jooq.SQLDialect.POSTGRES), VIEWS)
                .orElseThrow();
    }

    private long leaseGeneration() {
        return db.query("SELECT lease_generation FROM eventstore.projections WHERE name = 'views'", r -> r.getLong(1))
                .getFirst();
    }

    private List<UUID> applied() {
        return db.query("SELECT event_id FROM public.applied ORDER BY id", r -> (UUID) r.getObject(1));
    }

    private Set<String> runnersThatCommitted() {
        return new HashSet<>(db.query("SELECT DISTINCT runner FROM public.applied", r -> r.getString(1)));
    }

    private boolean appliedInGlobalOrder() {
        List<Checkpoint> order = db.query("""
                SELECT e.transaction_id::text::bigint, e.position FROM public.applied a
                JOIN eventstore.events e ON e.event_id = a.event_id ORDER BY a.id
                """, r -> new Checkpoint(r.getLong(1), r.getLong(2)));
        return order.stream().sorted().toList().equals(order);
    }

    /** Ends every session of this test's database but the one asking, as an administrator or a failover would. */
    private int terminateEveryOtherBackend() {
        return db.query("""
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """, r -> r.getInt(1)).getFirst();
    }

    /**
     * Polls the condition; a check that fails because the test's own pooled connection was among those killed
     * is tried again, since the pool hands out the dead connection once before it notices.
     */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + PATIENCE);
            }
            Thread.sleep(10);
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException failure && "57P01".equals(failure.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
