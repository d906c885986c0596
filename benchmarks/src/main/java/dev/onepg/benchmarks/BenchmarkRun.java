package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.postgres.AppendObserver;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import dev.onepg.eventstore.postgres.projection.ProjectionEngine;
import dev.onepg.eventstore.postgres.projection.ProjectionSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One variant at one concurrency, in a database of its own copied from the migrated template: start the projection
 * engine and whatever wakes it, let the appenders warm up, measure, stop them, wait until the projection has
 * applied everything, then tear it all down and drop the database.
 */
final class BenchmarkRun {

    static final String CHANNEL = "onepg_events";

    /** Connections besides the appenders': runner, listener, notifier, and some slack. */
    static final int EXTRA_CONNECTIONS = 6;

    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final BenchmarkServer server;
    private final BenchmarkSettings settings;
    private final int round;
    private final Variant variant;
    private final int appenders;

    BenchmarkRun(BenchmarkServer server, BenchmarkSettings settings, int round, Variant variant, int appenders) {
        this.server = server;
        this.settings = settings;
        this.round = round;
        this.variant = variant;
        this.appenders = appenders;
    }

    RunResult run() throws Exception {
        String database = "bench_r" + round + "_" + variant.code().replace('-', '_') + "_" + appenders;
        double loadBefore = Machine.loadAverage();
        server.createDatabase(database);
        try {
            installTrigger(database);
            server.checkpoint();
            return measure(database, loadBefore);
        } finally {
            server.dropDatabase(database);
        }
    }

    private void installTrigger(String database) throws SQLException {
        String sql = switch (variant) {
            case ROW_TRIGGER -> """
                            CREATE FUNCTION eventstore.benchmark_notify_row() RETURNS trigger
                            LANGUAGE plpgsql AS $$
                            BEGIN
                                PERFORM pg_notify('%s', NEW.position::text);
                                RETURN NULL;
                            END;
                            $$;
                            CREATE TRIGGER benchmark_notify_row AFTER INSERT ON eventstore.events
                                FOR EACH ROW EXECUTE FUNCTION eventstore.benchmark_notify_row();
                            """.formatted(CHANNEL);
            case STATEMENT_TRIGGER -> """
                            CREATE FUNCTION eventstore.benchmark_notify_statement() RETURNS trigger
                            LANGUAGE plpgsql AS $$
                            BEGIN
                                PERFORM pg_notify('%s', '');
                                RETURN NULL;
                            END;
                            $$;
                            CREATE TRIGGER benchmark_notify_statement AFTER INSERT ON eventstore.events
                                FOR EACH STATEMENT EXECUTE FUNCTION eventstore.benchmark_notify_statement();
                            """.formatted(CHANNEL);
            default -> null;
        };
        if (sql == null) {
            return;
        }
        try (Connection connection = server.connect(database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private RunResult measure(String database, double loadBefore) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            HikariDataSource dataSource = pool(database);
            resources.add(dataSource);
            TimingProjection projection = new TimingProjection();
            ProjectionEngine engine = new ProjectionEngine(
                    dataSource,
                    List.of(projection),
                    ProjectionSettings.defaults()
                            .withPollInterval(settings.pollInterval())
                            .withInstanceId("benchmark"));
            resources.add(engine);
            engine.start();

            ListenerCalls listenerCalls = new ListenerCalls();
            NotificationListener listener = null;
            if (variant.listens()) {
                AtomicReference<@Nullable NotificationListener> self = new AtomicReference<>();
                listener = new NotificationListener(
                        dataSource,
                        CHANNEL,
                        () -> {
                            // The listener counts a call's notifications just before it wakes us.
                            NotificationListener current = self.get();
                            listenerCalls.record(current == null ? 0 : current.notificationsReceived());
                            engine.wakeUp();
                        },
                        settings.receiveTimeout());
                self.set(listener);
                resources.add(listener);
                awaitListening(listener);
            }
            CoalescingNotifier notifier = null;
            if (variant.coalesces()) {
                Runnable localWakeUp = variant == Variant.COALESCING_LOCAL ? engine::wakeUp : () -> {};
                notifier = new CoalescingNotifier(dataSource, CHANNEL, localWakeUp, settings.notifyInterval());
                resources.add(notifier);
            }
            AppendObserver observer = notifier == null ? AppendObserver.NONE : notifier;
            PostgresEventStore store = new PostgresEventStore(dataSource, observer);

            Phase phase = new Phase();
            List<Appender> workers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < appenders; i++) {
                Appender appender = new Appender(i, store, settings.eventsPerAppend(), phase);
                workers.add(appender);
                threads.add(Thread.ofPlatform().name("appender-" + i).start(appender));
            }
            Thread.sleep(settings.warmup());
            phase.startMeasuring();
            Thread.sleep(settings.measurement());
            phase.stopMeasuring();
            for (Thread thread : threads) {
                thread.join();
            }

            long totalEvents = workers.stream().mapToLong(Appender::events).sum();
            long totalAppends = workers.stream().mapToLong(Appender::appends).sum();
            long drainStart = System.nanoTime();
            Duration drainTimeout = settings.pollInterval().multipliedBy(3).compareTo(MIN_DRAIN_TIMEOUT) > 0
                    ? settings.pollInterval().multipliedBy(3)
                    : MIN_DRAIN_TIMEOUT;
            while (projection.applied() < totalEvents && System.nanoTime() - drainStart < drainTimeout.toNanos()) {
                Thread.sleep(5);
            }
            long drainNanos = System.nanoTime() - drainStart;
            // The last notifications may still be on their way to the listener.
            Thread.sleep(300);

            long sent = switch (variant) {
                case NONE -> 0;
                case ROW_TRIGGER -> totalEvents;
                case STATEMENT_TRIGGER -> totalAppends;
                case COALESCING, COALESCING_LOCAL -> notifier == null ? 0 : notifier.sent();
            };
            long received = listener == null ? 0 : listener.notificationsReceived();
            closeAll(resources);

            return result(workers, projection, phase, listenerCalls, sent, received, drainNanos, loadBefore);
        } finally {
            closeAll(resources);
        }
    }

    private RunResult result(
            List<Appender> workers,
            TimingProjection projection,
            Phase phase,
            ListenerCalls listenerCalls,
            long sent,
            long received,
            long drainNanos,
            double loadBefore) {
        LongList appendNanos = new LongList();
        LongList lags = new LongList();
        long measuredEvents = 0;
        long missing = 0;
        long failures = 0;
        String firstFailure = null;
        for (Appender worker : workers) {
            for (int i = 0; i < worker.measuredAppendNanos().size(); i++) {
                appendNanos.add(worker.measuredAppendNanos().get(i));
            }
            List<UUID> ids = worker.measuredEventIds();
            for (int i = 0; i < ids.size(); i++) {
                measuredEvents++;
                Long appliedAt = projection.appliedAt(ids.get(i));
                if (appliedAt == null) {
                    missing++;
                } else {
                    lags.add(appliedAt - worker.measuredReturnedAt().get(i));
                }
            }
            failures += worker.failures();
            if (firstFailure == null && worker.firstFailure() != null) {
                firstFailure = String.valueOf(worker.firstFailure());
            }
        }
        return new RunResult(
                round,
                variant,
                appenders,
                appendNanos.size(),
                measuredEvents,
                phase.measureUntil() - phase.measureFrom(),
                Distribution.of(appendNanos.toArray()),
                Distribution.of(lags.toArray()),
                missing,
                failures,
                firstFailure,
                sent,
                received,
                listenerCalls.between(phase.measureFrom(), phase.measureUntil()),
                projection.batches(),
                drainNanos,
                loadBefore);
    }

    private HikariDataSource pool(String database) {
        return Pools.open(server, database, appenders + EXTRA_CONNECTIONS);
    }

    private static void awaitListening(NotificationListener listener) throws InterruptedException {
        long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (!listener.isListening()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the notification listener did not start listening");
            }
            Thread.sleep(5);
        }
    }

    /** Closes in reverse order of creation, each once. */
    private static void closeAll(List<AutoCloseable> resources) throws Exception {
        Exception failure = null;
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
