package dev.onepg.benchmarks;

import dev.onepg.users.UserEvent;
import dev.onepg.users.UserEvent.UserCreated;
import dev.onepg.users.UserEvent.UsernameChanged;
import dev.onepg.users.UserEventTypes;
import dev.onepg.users.domain.Email;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Valid users' events, named and encoded by the domain's own event type table, written with {@code COPY} straight
 * into {@code eventstore.events}, with the email claims the service would have made. Far faster than the API,
 * whose every {@code UserCreated} hashes a password with Argon2id.
 */
final class UserLog {

    /** An Argon2id hash in the service's format; only its shape matters, nobody logs in. */
    private static final String PASSWORD_HASH =
            "$argon2id$v=19$m=16384,t=2,p=1$YmVuY2htYXJrLXNhbHQtMTY$hb7zJ0Yq3mZ0aZ3C0PGkXrN0kQ6Tj2m4mV8M1rQ5k0Y";

    private static final int USERS_PER_TRANSACTION = 10_000;

    private UserLog() {}

    /** The stream id of user number {@code n}; the same in every run. */
    static String userId(int n) {
        return UUID.nameUUIDFromBytes(("bench-user-" + n).getBytes()).toString();
    }

    static String email(int n) {
        return "user" + n + "@example.org";
    }

    /**
     * Users numbered {@code first} to {@code first + users - 1}, each a {@code UserCreated} and then
     * {@code eventsPerUser - 1} {@code UsernameChanged}. Per transaction of 10,000 users the log holds every
     * user's version 1, then every version 2 and so on, so that consecutive events belong to different users.
     */
    static void write(Db db, int first, int users, int eventsPerUser) throws SQLException {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int from = first; from < first + users; from += USERS_PER_TRANSACTION) {
                int to = Math.min(first + users, from + USERS_PER_TRANSACTION);
                StringBuilder events = new StringBuilder();
                StringBuilder keys = new StringBuilder();
                for (int version = 1; version <= eventsPerUser; version++) {
                    for (int n = from; n < to; n++) {
                        UserEvent event = version == 1
                                ? new UserCreated("user" + n, email(n), PASSWORD_HASH)
                                : new UsernameChanged("user" + n + ".v" + version);
                        row(
                                events,
                                UUID.randomUUID(),
                                UserEvent.STREAM_TYPE,
                                userId(n),
                                version,
                                UserEventTypes.TABLE.nameOf(event),
                                UserEventTypes.SCHEMA_VERSION,
                                UserEventTypes.TABLE.encode(event));
                    }
                }
                for (int n = from; n < to; n++) {
                    row(
                            keys,
                            UserEvent.EMAIL_KEY_SCOPE,
                            new Email(email(n)).uniqueForm(),
                            UserEvent.STREAM_TYPE,
                            userId(n));
                }
                copy(
                        copy,
                        "eventstore.events (event_id, stream_type, stream_id, version, event_type,"
                                + " schema_version, payload)",
                        events);
                copy(copy, "eventstore.unique_keys (scope, value, stream_type, stream_id)", keys);
                connection.commit();
            }
            try (var statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute("VACUUM (ANALYZE) eventstore.events");
                statement.execute("VACUUM (ANALYZE) eventstore.unique_keys");
            }
        }
    }

    private static void row(StringBuilder out, Object... values) {
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : "\t").append(values[i].toString().replace("\\", "\\\\"));
        }
        out.append('\n');
    }

    private static void copy(CopyManager copy, String target, StringBuilder rows) throws SQLException {
        try {
            copy.copyIn("COPY " + target + " FROM STDIN", new StringReader(rows.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
    }
}
