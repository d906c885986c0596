package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.postgres.JdbcTransactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The runners' transactions, in jOOQ's style, with every wait bounded: no call of a runner can hang on a
 * black-holed connection, a lock or a frozen peer for longer than its limits.
 *
 * <ul>
 *   <li>the socket times out after the statement timeout and two seconds more (the client's side);
 *   <li>{@code statement_timeout} ends a statement that runs too long (the server's side);
 *   <li>{@code lock_timeout}, half the lease, ends a wait for a row lock;
 *   <li>{@code idle_in_transaction_session_timeout}, half the lease, makes the server end the session of a
 *       runner frozen in the middle of a batch, so that its row lock goes before its lease expires.
 * </ul>
 *
 * <p>The limits are set per transaction ({@code set_config(..., true)}), so pooled connections go back unchanged.
 *
 * <p>The transactions are begun and ended on the connection itself, not by jOOQ's transaction provider, which
 * asks the server for the connection's isolation level at the start of every transaction: a round trip of its
 * own for every batch, and for every look that finds nothing new.
 */
final class TimeLimitedTransactions {

    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(2);

    private final SocketTimeoutConnections connections;
    private final String statementTimeout;
    private final String lockTimeout;
    private final String idleTimeout;
    private final List<Field<String>> transactionLimits;
    private final String batchLimits;

    TimeLimitedTransactions(DataSource dataSource, ProjectionSettings settings) {
        this.connections = new SocketTimeoutConnections(
                dataSource, settings.statementTimeout().plus(SOCKET_MARGIN));
        Duration halfLease = settings.leaseDuration().dividedBy(2);
        this.statementTimeout = millis(settings.statementTimeout());
        this.lockTimeout = millis(halfLease);
        this.idleTimeout = millis(halfLease);
        this.transactionLimits = limits(List.of());
        this.batchLimits = DSL.using(SQLDialect.POSTGRES)
                .renderInlined(DSL.select(limits(List.of(
                        setLocal("synchronous_commit", "off"), setLocal("plan_cache_mode", "force_generic_plan")))));
    }

    <T> T inTransaction(Function<DSLContext, T> work) {
        return limited(work, transactionLimits);
    }

    /**
     * A batch's transaction: like {@link #inTransaction}, but its commit does not wait for the disk. The views and
     * the checkpoint commit together, so a crash can only lose both, and the runner applies the same events again
     * from the durable log; meanwhile the batch is visible as soon as it committed, without a flush in the way.
     *
     * <p>Its statements run on the plans prepared once per connection. Left to choose, PostgreSQL planned the read
     * of the log anew for every batch (the checkpoint it reads after makes a custom plan look cheaper), and
     * planning took five times as long as running it; the plan it reuses instead is the same index scan.
     *
     * <p>The limits are not set by a round trip of their own: {@code work} gets them as a statement and must send it
     * first, together with its own first statement ({@link CheckpointGuard#lockAndRead}).
     */
    <T> T inBatch(BiFunction<DSLContext, String, T> work) {
        return transaction(transaction -> work.apply(transaction, batchLimits));
    }

    private <T> T limited(Function<DSLContext, T> work, List<Field<String>> settings) {
        return transaction(transaction -> {
            transaction.select(settings).fetch();
            return work.apply(transaction);
        });
    }

    /** Commits when the work returns, rolls back when it throws; the connection goes back to the pool either way. */
    private <T> T transaction(Function<DSLContext, T> work) {
        Connection connection = connections.acquire();
        try {
            return JdbcTransactions.inTransaction(
                    connection, false, transaction -> work.apply(DSL.using(transaction, SQLDialect.POSTGRES)));
        } catch (SQLException e) {
            throw new DataAccessException("A projection runner's transaction failed: " + e.getMessage(), e);
        } finally {
            connections.release(connection);
        }
    }

    private List<Field<String>> limits(List<Field<String>> moreSettings) {
        List<Field<String>> settings = new ArrayList<>(List.of(
                setLocal("statement_timeout", statementTimeout),
                setLocal("lock_timeout", lockTimeout),
                setLocal("idle_in_transaction_session_timeout", idleTimeout)));
        settings.addAll(moreSettings);
        return settings;
    }

    private static Field<String> setLocal(String setting, String value) {
        return DSL.function("set_config", String.class, DSL.val(setting), DSL.val(value), DSL.inline(true));
    }

    private static String millis(Duration duration) {
        return Math.max(1, duration.toMillis()) + "ms";
    }

    /** Hands out the pool's connections with a socket timeout; the pool resets it when they come back. */
    private record SocketTimeoutConnections(DataSource dataSource, Duration timeout) implements ConnectionProvider {

        @Override
        public Connection acquire() {
            try {
                Connection connection = dataSource.getConnection();
                connection.setNetworkTimeout(Runnable::run, Math.toIntExact(timeout.toMillis()));
                return connection;
            } catch (SQLException e) {
                throw new DataAccessException("Could not get a connection for a projection runner", e);
            }
        }

        @Override
        public void release(Connection connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new DataAccessException("Could not return a projection runner's connection", e);
            }
        }
    }
}
