package dev.onepg.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.notification.CoalescingNotifier;
import dev.onepg.eventstore.postgres.notification.NotificationListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The NotificationListener alone under a fast stream of notifications, without appends: either {@code senders}
 * threads calling {@code pg_notify} in a loop, or a CoalescingNotifier that is told of an append every 50 µs. The
 * senders' sessions commit with {@code synchronous_commit = off}, so that a notification costs no disk flush and
 * the stream reaches the thousands per second of a server with a fast disk; the server itself stays durable.
 */
final class ListenerProbe {

    /**
     * A probe: {@code senders-N} for N threads calling pg_notify, or {@code notifier-M} for a CoalescingNotifier
     * with a minimum interval of M ms.
     */
    record Stream(String name, int senders, @Nullable Duration notifierInterval) {

        static Stream parse(String text) {
            String name = text.strip();
            if (name.startsWith("senders-")) {
                return new Stream(name, Integer.parseInt(name.substring("senders-".length())), null);
            }
            if (name.startsWith("notifier-")) {
                return new Stream(name, 0, Duration.ofMillis(Long.parseLong(name.substring("notifier-".length()))));
            }
            throw new IllegalArgumentException("a probe is senders-N or notifier-M (ms), was '" + text + "'");
        }
    }

    /**
     * What a probe measured.
     *
     * @param sentInWindow notifications sent in the measurement window
     * @param received notifications the listener received during the whole probe
     * @param sent notifications sent during the whole probe
     * @param delivery from a sender's pg_notify returning (commit) to the listener returning with that notification;
     *     empty for the notifier, whose sends are not timed from outside
     */
    record Result(
            Stream stream,
            long windowNanos,
            long sentInWindow,
            long sent,
            long received,
            ListenerStatistics calls,
            Distribution delivery) {

        double sentPerSecond() {
            return sentInWindow / (windowNanos / 1e9);
        }
    }

    private final BenchmarkServer server;
    private final BenchmarkSettings settings;

    ListenerProbe(BenchmarkServer server, BenchmarkSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    Result run(Stream stream) throws Exception {
        String database = "probe_" + stream.name().replace('-', '_');
        server.createDatabase(database);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            HikariDataSource dataSource = pool(database, stream.senders() + 4);
            resources.add(dataSource);
            ListenerCalls calls = new ListenerCalls();
            AtomicReference<@Nullable NotificationListener> self = new AtomicReference<>();
            NotificationListener listener = new NotificationListener(
                    dataSource,
                    BenchmarkRun.CHANNEL,
                    () -> {
                        NotificationListener current = self.get();
                        calls.record(current == null ? 0 : current.notificationsReceived());
                    },
                    settings.receiveTimeout());
            self.set(listener);
            resources.add(listener);
            while (!listener.isListening()) {
                Thread.sleep(5);
            }

            Phase phase = new Phase();
            List<Thread> threads = new ArrayList<>();
            List<LongList> sendTimes = new ArrayList<>();
            CoalescingNotifier notifier = null;
            if (stream.notifierInterval() != null) {
                notifier =
                        new CoalescingNotifier(dataSource, BenchmarkRun.CHANNEL, () -> {}, stream.notifierInterval());
                resources.add(notifier);
                CoalescingNotifier told = notifier;
                AppendResult appended = new AppendResult(
                        StreamId.of("probe", "1"), List.of(new AppendResult.Appended(UUID.randomUUID(), 1, 1)));
                threads.add(Thread.ofPlatform().name("probe-appends").start(() -> {
                    while (!phase.stopped()) {
                        told.appended(appended);
                        LockSupport.parkNanos(50_000);
                    }
                }));
            }
            for (int i = 0; i < stream.senders(); i++) {
                LongList times = new LongList();
                sendTimes.add(times);
                threads.add(Thread.ofPlatform().name("probe-sender-" + i).start(() -> send(dataSource, phase, times)));
            }
            Thread.sleep(settings.warmup());
            long sentBefore = notifier == null ? 0 : notifier.sent();
            phase.startMeasuring();
            Thread.sleep(settings.measurement());
            phase.stopMeasuring();
            long sentAfter = notifier == null ? 0 : notifier.sent();
            for (Thread thread : threads) {
                thread.join();
            }
            Thread.sleep(300);

            long[] sent = sendTimes.stream()
                    .flatMapToLong(times -> Arrays.stream(times.toArray()))
                    .toArray();
            Arrays.sort(sent);
            long sentInWindow = notifier != null
                    ? sentAfter - sentBefore
                    : Arrays.stream(sent).filter(phase::measures).count();
            long sentTotal = notifier != null ? notifier.sent() : sent.length;
            long received = listener.notificationsReceived();
            return new Result(
                    stream,
                    phase.measureUntil() - phase.measureFrom(),
                    sentInWindow,
                    sentTotal,
                    received,
                    calls.between(phase.measureFrom(), phase.measureUntil()),
                    calls.deliveryDelays(sent, phase.measureFrom(), phase.measureUntil()));
        } finally {
            for (AutoCloseable resource : resources.reversed()) {
                resource.close();
            }
            server.dropDatabase(database);
        }
    }

    private static void send(HikariDataSource dataSource, Phase phase, LongList times) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            notify.setString(1, BenchmarkRun.CHANNEL);
            while (!phase.stopped()) {
                notify.execute();
                times.add(System.nanoTime());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("a probe sender failed", e);
        }
    }

    private HikariDataSource pool(String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        // Notifications only: their commits need not wait for the disk. The appends' durability is not involved.
        config.setConnectionInitSql("SET synchronous_commit = off");
        config.setPoolName("probe-" + database);
        return new HikariDataSource(config);
    }
}
