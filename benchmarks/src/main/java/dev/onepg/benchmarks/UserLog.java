package dev.onepg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid user events written straight into {@code eventstore.events} with SQL, as the users codec reads them
 * ({@code UserCreated}: username, email, passwordHash; {@code UsernameChanged}: username), with the email claims
 * the service would have made. Much faster than the API, whose every UserCreated hashes a password with Argon2id.
 */
final class UserLog {

    /** An Argon2id hash in the service's format; only its shape matters, nobody logs in. */
    static final String PASSWORD_HASH =
            "$argon2id$v=19$m=16384,t=2,p=1$YmVuY2htYXJrLXNhbHQtMTY$hb7zJ0Yq3mZ0aZ3C0PGkXrN0kQ6Tj2m4mV8M1rQ5k0Y";

    private UserLog() {}

    /**
     * {@code users} users, each with {@code eventsPerUser} events: a UserCreated and then UsernameChanged events.
     * Each chunk of users is one transaction, in which the log has every user's version 1, then every user's
     * version 2, and so on; users are numbered from {@code first}.
     */
    static void generate(Connection connection, int first, int users, int eventsPerUser, int usersPerTransaction)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement events = connection.prepareStatement("""
                        INSERT INTO eventstore.events (event_id, stream_type, stream_id, version, event_type, payload)
                        SELECT gen_random_uuid(), 'user', md5('bench-user-' || n)::uuid::text, v,
                               CASE WHEN v = 1 THEN 'UserCreated' ELSE 'UsernameChanged' END,
                               CASE WHEN v = 1
                                    THEN jsonb_build_object('username', 'user' || n,
                                                            'email', 'user' || n || '@example.org',
                                                            'passwordHash', ?::text)
                                    ELSE jsonb_build_object('username', 'user' || n || '.v' || v) END
                        FROM generate_series(1, ?) v, generate_series(?, ?) n
                        ORDER BY v, n
                        """);
                PreparedStatement keys = connection.prepareStatement("""
                        INSERT INTO eventstore.unique_keys (scope, value, stream_type, stream_id)
                        SELECT 'user-email', 'user' || n || '@example.org', 'user', md5('bench-user-' || n)::uuid::text
                        FROM generate_series(?, ?) n
                        """)) {
            for (int from = first; from < first + users; from += usersPerTransaction) {
                int to = Math.min(first + users, from + usersPerTransaction) - 1;
                events.setString(1, PASSWORD_HASH);
                events.setInt(2, eventsPerUser);
                events.setInt(3, from);
                events.setInt(4, to);
                events.executeUpdate();
                keys.setInt(1, from);
                keys.setInt(2, to);
                keys.executeUpdate();
                connection.commit();
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Sets hint bits and the visibility map and refreshes statistics, so that no reader pays for it later. */
    static void vacuum(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) eventstore.events");
            statement.execute("VACUUM (ANALYZE) eventstore.unique_keys");
        }
    }

    /** The stream ids of all users, in the order they were created. */
    static List<String> userIds(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT stream_id FROM eventstore.events WHERE event_type = 'UserCreated' ORDER BY position")) {
            while (result.next()) {
                ids.add(result.getString(1));
            }
        }
        return ids;
    }

    /** The last position of the log, or 0. */
    static long lastPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT coalesce(max(position), 0) FROM eventstore.events")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Whether the users projection has applied every event of the log. */
    static boolean caughtUp(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT NOT EXISTS (
                            SELECT 1 FROM eventstore.events e, eventstore.projections p
                            WHERE p.name = 'users'
                              AND (e.transaction_id, e.position) > (p.checkpoint_tx, p.checkpoint_position))
                           AND EXISTS (SELECT 1 FROM eventstore.projections WHERE name = 'users')
                        """)) {
            result.next();
            return result.getBoolean(1);
        }
    }

    /** Registers the users projection as having applied the whole log, with empty views: a rebuild's start. */
    static void checkpointAtEnd(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO eventstore.projections (name, checkpoint_tx, checkpoint_position)
                    SELECT 'users', transaction_id, position FROM eventstore.events
                    ORDER BY transaction_id DESC, position DESC LIMIT 1
                    """);
        }
    }

    static void awaitCaughtUp(Connection connection, java.time.Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(connection)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the users projection did not catch up in " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
