package dev.onepg.eventstore.postgres.notification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on one dedicated connection and wakes projections on every notification. When the connection drops
 * it reconnects with backoff, listens again and wakes everyone, so that they catch up on what was missed.
 *
 * <p>Give it a data source that opens connections of its own ({@link ListeningConnections}), never the
 * application's pool: a pooled connection that dies while listening goes back to the pool and fails the next
 * request that borrows it.
 */
public final class NotificationListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final String channel;
    private final Runnable wakeUp;
    private final Duration receiveTimeout;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;
    private volatile int backendPid;
    private volatile Connection connection;

    public NotificationListener(DataSource dataSource, String channel, Runnable wakeUp, Duration receiveTimeout) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("notification channel must be a lower-case identifier: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.wakeUp = wakeUp;
        this.receiveTimeout = receiveTimeout;
        this.thread = Thread.ofPlatform().daemon().name("onepg-listener").start(this::run);
    }

    /** Whether the listening connection is up. */
    public boolean isListening() {
        return listening;
    }

    /** The server process id of the listening connection, 0 while disconnected. */
    public int backendPid() {
        return backendPid;
    }

    public long notificationsReceived() {
        return received.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try (Connection listeningConnection = dataSource.getConnection()) {
                connection = listeningConnection;
                listeningConnection.setAutoCommit(true);
                try (Statement statement = listeningConnection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection postgres = listeningConnection.unwrap(PGConnection.class);
                backendPid = postgres.getBackendPID();
                listening = true;
                backoff = FIRST_BACKOFF;
                log.debug("Listening on '{}' (backend {})", channel, backendPid);
                wakeUp.run();
                receive(postgres);
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                if (listening) {
                    reconnects.incrementAndGet();
                }
                listening = false;
                backendPid = 0;
                log.warn(
                        "Listening connection on '{}' failed ({}); reconnecting in {} ms",
                        channel,
                        e.getMessage(),
                        backoff.toMillis());
                if (!sleep(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                listening = false;
                backendPid = 0;
                connection = null;
            }
        }
    }

    private void receive(PGConnection postgres) throws SQLException {
        int timeout = (int) receiveTimeout.toMillis();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(timeout);
            if (notifications != null && notifications.length > 0) {
                received.addAndGet(notifications.length);
                wakeUp.run();
            }
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        Connection current = connection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            } catch (SQLException ignored) {
                // The listener thread ends either way.
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
