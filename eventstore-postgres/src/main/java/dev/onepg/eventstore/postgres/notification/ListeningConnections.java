package dev.onepg.eventstore.postgres.notification;

import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Connections for {@link NotificationListener}, made by the driver itself rather than borrowed from a pool: a
 * listening connection that dies is closed and forgotten, and can never be handed to anyone else.
 *
 * <p>Every call on such a connection is bounded by a socket timeout, and TCP keepalive finds a peer that vanished
 * without closing the connection.
 */
public final class ListeningConnections {

    /** How OnePG's listening connections begin their application name, by which notifiers find them. */
    public static final String APPLICATION_NAME = "onepg-listener";

    private ListeningConnections() {}

    /** The application name of one instance's listening connection: {@link #APPLICATION_NAME} and its own token. */
    public static String applicationName(String instanceToken) {
        return APPLICATION_NAME + " " + instanceToken;
    }

    /**
     * @param socketTimeout the longest any call on the connection may block; longer than the listener's receive
     *     timeout
     */
    public static DataSource of(String jdbcUrl, String user, String password, Duration socketTimeout) {
        return of(jdbcUrl, user, password, socketTimeout, APPLICATION_NAME);
    }

    /**
     * @param applicationName how the connection shows in {@code pg_stat_activity}: {@link #applicationName} of this
     *     instance, so that its own notifier can tell it from other instances' listeners
     */
    public static DataSource of(
            String jdbcUrl, String user, String password, Duration socketTimeout, String applicationName) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setSocketTimeout(Math.toIntExact(Math.max(1, socketTimeout.toSeconds())));
        dataSource.setConnectTimeout(Math.toIntExact(Math.max(1, socketTimeout.toSeconds())));
        dataSource.setTcpKeepAlive(true);
        dataSource.setApplicationName(applicationName);
        return dataSource;
    }
}
