package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.RebuildableProjection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every registered projection, each on a thread of its own. Readers that wait for a position use
 * {@link AppliedPositions}, registered as one of its observers.
 *
 * <p>Wake it after appends ({@link #wakeUpAfterCommit}, or {@link #wakeUp()}); it also polls, so events written while nothing woke it (by
 * another process, or before it started) are applied too.
 */
public final class ProjectionEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionEngine.class);

    private final DataSource dataSource;
    private final DSLContext dsl;
    private final Map<String, Projection> projections = new LinkedHashMap<>();
    private final Map<String, ProjectionRebuild> rebuilds = new ConcurrentHashMap<>();
    private final ProjectionSettings settings;
    private final List<ProjectionRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean closed;

    public ProjectionEngine(
            DataSource dataSource, List<? extends Projection> projections, ProjectionSettings settings) {
        this(dataSource, projections, settings, ProjectionObserver.NONE);
    }

    public ProjectionEngine(
            DataSource dataSource,
            List<? extends Projection> projections,
            ProjectionSettings settings,
            ProjectionObserver observer) {
        this(dataSource, projections, settings, observer, CheckpointGuard.FENCED);
    }

    ProjectionEngine(
            DataSource dataSource,
            List<? extends Projection> projections,
            ProjectionSettings settings,
            ProjectionObserver observer,
            CheckpointGuard guard) {
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
        this.settings = settings;
        TimeLimitedTransactions transactions = new TimeLimitedTransactions(dataSource, settings);
        Set<String> names = new HashSet<>();
        for (Projection projection : projections) {
            if (!names.add(projection.name())) {
                throw new IllegalArgumentException("two projections are named " + projection.name());
            }
            runners.add(new ProjectionRunner(projection, transactions, guard, settings, observer));
            this.projections.put(projection.name(), projection);
        }
    }

    /** Registers the projections and starts their runners. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (ProjectionRunner runner : runners) {
            Checkpoints.register(dsl, runner.name());
        }
        for (ProjectionRunner runner : runners) {
            threads.add(Thread.ofPlatform()
                    .name("onepg-projection-" + runner.name())
                    .start(runner));
        }
        log.info("Started {} projection(s) as instance {}", runners.size(), settings.instanceId());
    }

    /** Wakes every runner: there may be new events. */
    public void wakeUp() {
        runners.forEach(ProjectionRunner::wakeUp);
    }

    /**
     * Wakes every runner for an append that had committed by {@code committedBy} ({@link System#nanoTime()}): a
     * runner whose last look at the log began after that has seen it already and keeps waiting.
     */
    public void wakeUpAfterCommit(long committedBy) {
        for (ProjectionRunner runner : runners) {
            runner.wakeUpAfterCommit(committedBy);
        }
    }

    public List<ProjectionStatus> statuses() {
        return Checkpoints.statuses(dsl);
    }

    public Optional<ProjectionStatus> status(String projection) {
        return Checkpoints.status(dsl, projection);
    }

    /** The names of the projections this engine runs. */
    public List<String> projectionNames() {
        return List.copyOf(projections.keySet());
    }

    public Lag lag(String projection) {
        return Checkpoints.lag(dsl, known(projection).checkpoint());
    }

    /** Holds the projection where it is, on every instance, until {@link #resume}. */
    public void pause(String projection) {
        known(projection);
        if (!Checkpoints.changeState(dsl, projection, ProjectionState.PAUSED, Set.of(ProjectionState.RUNNING))) {
            throw new ProjectionStateConflict("projection " + projection + " is not running, so it cannot be paused");
        }
    }

    public void resume(String projection) {
        known(projection);
        if (!Checkpoints.resume(dsl, projection, Set.of(ProjectionState.PAUSED, ProjectionState.FAILED))) {
            throw new ProjectionStateConflict("projection " + projection + " is already running");
        }
        wakeUp();
    }

    /** Moves a projection stopped at a failing event past it, recording the reason and who skipped it. */
    public void skip(String projection, UUID eventId, String reason, @Nullable String actor) {
        known(projection);
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a skip needs a reason");
        }
        dsl.transaction(
                transaction -> Checkpoints.skipFailedEvent(transaction.dsl(), projection, eventId, reason, actor));
        wakeUp();
    }

    /** Starts rebuilding the projection's views beside the live ones; see {@link ProjectionRebuild}. */
    public synchronized RebuildProgress rebuild(String projection) {
        known(projection);
        if (!(projections.get(projection) instanceof RebuildableProjection rebuildable)) {
            throw new ProjectionStateConflict("projection " + projection + " cannot be rebuilt");
        }
        ProjectionRebuild running = rebuilds.get(projection);
        if (running != null && !running.isFinished()) {
            throw new ProjectionStateConflict("projection " + projection + " is being rebuilt already");
        }
        ProjectionRebuild rebuild = new ProjectionRebuild(
                rebuildable,
                dataSource,
                settings.batchSize() * ProjectionRebuild.CHUNK_BATCHES,
                settings.batchBytes(),
                ProjectionRebuild.SWITCH_LOCK_TIMEOUT);
        rebuilds.put(projection, rebuild);
        Thread.ofPlatform().daemon().name("onepg-rebuild-" + projection).start(rebuild);
        return rebuild.progress();
    }

    /** The progress of the projection's last rebuild on this instance, if any. */
    public Optional<RebuildProgress> rebuildProgress(String projection) {
        return Optional.ofNullable(rebuilds.get(projection)).map(ProjectionRebuild::progress);
    }

    private ProjectionStatus known(String projection) {
        if (!projections.containsKey(projection)) {
            throw new UnknownProjection(projection);
        }
        return Checkpoints.status(dsl, projection).orElseThrow(() -> new UnknownProjection(projection));
    }

    /** Whether this instance holds the projection's lease, as far as it knows: it renewed it less than a lease ago. */
    public boolean leads(String projection) {
        return runners.stream().anyMatch(runner -> runner.name().equals(projection) && runner.leads());
    }

    /** Stops the runners after their current batch, and releases their leases. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        runners.forEach(ProjectionRunner::stop);
        rebuilds.values().forEach(ProjectionRebuild::cancel);
        for (Thread thread : threads) {
            try {
                if (!thread.join(Duration.ofSeconds(10))) {
                    thread.interrupt();
                    thread.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Stopped {} projection(s)", runners.size());
    }
}
