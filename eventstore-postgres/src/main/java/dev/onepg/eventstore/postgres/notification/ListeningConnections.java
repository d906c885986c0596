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

    private ListeningConnections() {}

    /**
     * @param socketTimeout the longest any call on the connection may block; longer than the listener's receive
     *     timeout
     */
    public static DataSource of(String jdbcUrl, String user, String password, Duration socketTimeout) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setSocketTimeout(Math.toIntExact(Math.max(1, socketTimeout.toSeconds())));
        dataSource.setConnectTimeout(Math.toIntExact(Math.max(1, socketTimeout.toSeconds())));
        dataSource.setTcpKeepAlive(true);
        dataSource.setApplicationName("onepg-listener");
        return dataSource;
    }
}
