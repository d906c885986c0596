package dev.onepg.eventstore.postgres.notification;

import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.postgres.AppendObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells everyone that events were appended, after the append committed and outside its transaction.
 *
 * <p>Local projections are woken at once. Other instances hear one {@code NOTIFY} sent by a single background
 * thread, however many appends committed meanwhile: PostgreSQL serialises the commits of all transactions that
 * notify, so notifying inside each append would make appenders commit one at a time. The notification is only a
 * hint; runners also poll, so a lost one delays but never loses an event.
 *
 * <p>Given the application name of its own instance's listening connection, the notifier sends nothing while no
 * other OnePG listener is connected to the database (it looks once a second): each {@code NOTIFY} is a transaction
 * and a wake-up of every listener, and in a single instance it would only tell the instance what its direct local
 * wake-up already did. A listener that connects meanwhile hears the next notification at most a second later,
 * and its runners poll until then.
 */
public final class CoalescingNotifier implements AppendObserver, AutoCloseable {

    /**
     * The default shortest time between two notifications, in milliseconds. Each {@code NOTIFY} is a transaction of
     * its own on the server; at 1 ms, under a steady stream of appends, they took 4 to 8 % of the appenders' rate
     * (docs/benchmarks.md). A projection led by another instance hears of an append this much later at most.
     */
    public static final int DEFAULT_INTERVAL_MILLIS = 5;

    private static final Logger log = LoggerFactory.getLogger(CoalescingNotifier.class);
    private static final Duration OTHERS_RECHECK = Duration.ofSeconds(1);
    private static final String OTHER_LISTENERS = "SELECT EXISTS (SELECT FROM pg_stat_activity"
            + " WHERE datname = current_database() AND starts_with(application_name, ?) AND application_name <> ?)";

    private final DataSource dataSource;
    private final String channel;
    private final LongConsumer localWakeUp;
    private final Duration minimumInterval;
    private final WakeUpSignal pending = new WakeUpSignal();
    // Set by appends, cleared by the sending thread before each NOTIFY: while it is set, a notification is due
    // anyway, so an append pays one volatile read instead of the signal's lock.
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private final @Nullable String ownListener;
    private long othersCheckedAt;
    private boolean othersListen = true;
    private volatile boolean running = true;

    /** A notifier that notifies whoever listens, even nobody. */
    public CoalescingNotifier(
            DataSource dataSource, String channel, LongConsumer localWakeUp, Duration minimumInterval) {
        this(dataSource, channel, localWakeUp, minimumInterval, null);
    }

    /**
     * @param localWakeUp wakes this instance's projections, given when the append had committed by ({@link
     *     AppendObserver#appended})
     * @param ownListener the application name of this instance's own listening connection ({@link
     *     ListeningConnections#applicationName}); {@code null} notifies whether anyone listens or not
     */
    public CoalescingNotifier(
            DataSource dataSource,
            String channel,
            LongConsumer localWakeUp,
            Duration minimumInterval,
            @Nullable String ownListener) {
        if (minimumInterval.compareTo(Duration.ofMillis(1)) < 0) {
            // Without a pause between notifications the listeners' driver keeps reading and delivers late.
            throw new IllegalArgumentException(
                    "the minimum interval between notifications must be at least 1 ms, was " + minimumInterval);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.localWakeUp = localWakeUp;
        this.minimumInterval = minimumInterval;
        this.ownListener = ownListener;
        this.thread = Thread.ofPlatform().daemon().name("onepg-notifier").start(this::run);
    }

    @Override
    public void appended(AppendResult result, long committedBy) {
        localWakeUp.accept(committedBy);
        if (!requested.get() && !requested.getAndSet(true)) {
            pending.signal();
        }
    }

    /** How many notifications were sent, for metrics and tests. */
    public long sent() {
        return sent.get();
    }

    private void run() {
        Connection connection = null;
        while (running) {
            try {
                if (!pending.await(Duration.ofSeconds(1))) {
                    continue;
                }
                requested.set(false);
                if (connection == null || connection.isClosed()) {
                    connection = notifyingConnection();
                }
                if (!othersListen(connection)) {
                    // Appends meanwhile only set the request; the next look at the listeners answers it.
                    Thread.sleep(OTHERS_RECHECK);
                    continue;
                }
                // A notification is only a hint: its own commit need not wait for the disk. The setting is local
                // to this one-statement transaction, so the pooled connection keeps durable commits.
                try (PreparedStatement notify = connection.prepareStatement(
                        "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')")) {
                    notify.setString(1, channel);
                    notify.execute();
                }
                sent.incrementAndGet();
                Thread.sleep(minimumInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException e) {
                log.warn("Could not send a notification on '{}'; projections will catch up by polling", channel, e);
                connection = closeQuietly(connection);
                requested.set(true);
                pending.signal();
                sleepQuietly(Duration.ofMillis(500));
            }
        }
        closeQuietly(connection);
    }

    /** Whether another OnePG listener than this instance's own is connected, as last seen at most a second ago. */
    private boolean othersListen(Connection connection) throws SQLException {
        if (ownListener == null) {
            return true;
        }
        long now = System.nanoTime();
        if (othersCheckedAt != 0 && now - othersCheckedAt < OTHERS_RECHECK.toNanos()) {
            return othersListen;
        }
        try (PreparedStatement others = connection.prepareStatement(OTHER_LISTENERS)) {
            others.setString(1, ListeningConnections.APPLICATION_NAME);
            others.setString(2, ownListener);
            try (ResultSet result = others.executeQuery()) {
                othersListen = result.next() && result.getBoolean(1);
            }
        }
        othersCheckedAt = now;
        return othersListen;
    }

    private Connection notifyingConnection() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Broken already; nothing left to release.
            }
        }
        return null;
    }

    private void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
