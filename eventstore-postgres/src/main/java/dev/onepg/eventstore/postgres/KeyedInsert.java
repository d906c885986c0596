package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.UniqueKey;
import dev.onepg.eventstore.UniqueKeyTaken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A one-event append with a known expected version that claims or releases unique keys, as one statement in
 * autocommit: the event's insert, the releases and the claims are parts of one query, and a claim of a key that
 * another stream holds calls {@code eventstore.unique_key_taken}, whose error rolls the whole append back.
 *
 * <p>The append's transaction id is taken when the statement starts and its transaction ends with the statement:
 * no round trip of the caller, no pause of its JVM, keeps it open. While it is open, every event appended after it
 * waits to be readable by the projections, which read only below the oldest running transaction.
 *
 * <p>A key both released and claimed by the same append is only claimed: the stream holds it afterwards, as when
 * the release ran before the claim. The rest behaves as claims and releases in the append's transaction did
 * before: a claim waits for a racing append that claims or releases the same key, then finds it taken or free.
 */
final class KeyedInsert {

    static final String KEY_TAKEN = "OPG01";

    private static final String SQL = "WITH inserted AS ("
            + " INSERT INTO eventstore.events (" + KnownVersionInsert.COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb"
            + " WHERE ? = 0 OR EXISTS (SELECT FROM eventstore.events"
            + " WHERE stream_type = ? AND stream_id = ? AND version = ?)"
            + " RETURNING position"
            + "), released AS ("
            + " DELETE FROM eventstore.unique_keys k USING unnest(?::text[], ?::text[]) AS r(scope, value)"
            + " WHERE EXISTS (SELECT FROM inserted) AND k.scope = r.scope AND k.value = r.value"
            + " AND k.stream_type = ? AND k.stream_id = ?"
            + "), claimed AS ("
            + " INSERT INTO eventstore.unique_keys (scope, value, stream_type, stream_id)"
            + " SELECT c.scope, c.value, ?, ? FROM unnest(?::text[], ?::text[]) AS c(scope, value)"
            + " WHERE EXISTS (SELECT FROM inserted)"
            + " ON CONFLICT DO NOTHING RETURNING scope, value"
            + ")"
            + " SELECT i.position, (SELECT count(eventstore.unique_key_taken(c.ordinal::int))"
            + " FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS c(scope, value, ordinal)"
            + " WHERE NOT EXISTS (SELECT FROM claimed x WHERE x.scope = c.scope AND x.value = c.value)"
            + " AND NOT EXISTS (SELECT FROM eventstore.unique_keys k WHERE k.scope = c.scope AND k.value = c.value"
            + " AND k.stream_type = ? AND k.stream_id = ?))"
            + " FROM inserted i";

    private KeyedInsert() {}

    /** Whether the request is one this statement stores: one event, a numeric expected version, keys to change. */
    static boolean accepts(AppendRequest request) {
        return request.events().size() == 1
                && (!request.claims().isEmpty() || !request.releases().isEmpty())
                && (request.expectedVersion() instanceof ExpectedVersion.Exactly
                        || request.expectedVersion() instanceof ExpectedVersion.NoStream);
    }

    /**
     * Stores the event and changes the keys; {@code null} if the expected version is not stored.
     *
     * @throws UniqueKeyTaken if another stream holds a claimed key (nothing is stored)
     * @throws SQLException with SQLState 23505 if the version or the event id is taken
     */
    static @Nullable AppendResult insert(Connection connection, AppendRequest request, long expected)
            throws SQLException {
        StreamId stream = request.stream();
        NewEvent event = request.events().getFirst();
        List<UniqueKey> claims = request.claims();
        List<UniqueKey> releases = request.releases().stream()
                .filter(key -> !request.claims().contains(key))
                .toList();
        try (PreparedStatement insert = connection.prepareStatement(SQL)) {
            int next = KnownVersionInsert.bindEvent(insert, stream, event, expected);
            insert.setLong(next++, expected);
            insert.setString(next++, stream.type());
            insert.setString(next++, stream.id());
            insert.setLong(next++, expected);
            next = bindKeys(insert, next, connection, releases);
            next = bindStream(insert, next, stream);
            next = bindStream(insert, next, stream);
            next = bindKeys(insert, next, connection, claims);
            next = bindKeys(insert, next, connection, claims);
            bindStream(insert, next, stream);
            try (ResultSet stored = insert.executeQuery()) {
                if (!stored.next()) {
                    return null;
                }
                return new AppendResult(
                        stream, List.of(new AppendResult.Appended(event.eventId(), expected + 1, stored.getLong(1))));
            }
        } catch (PSQLException e) {
            if (KEY_TAKEN.equals(e.getSQLState())) {
                throw new UniqueKeyTaken(claims.get(ordinal(e) - 1));
            }
            throw e;
        }
    }

    private static int bindKeys(PreparedStatement statement, int first, Connection connection, List<UniqueKey> keys)
            throws SQLException {
        statement.setArray(
                first,
                connection.createArrayOf(
                        "text", keys.stream().map(UniqueKey::scope).toArray()));
        statement.setArray(
                first + 1,
                connection.createArrayOf(
                        "text", keys.stream().map(UniqueKey::value).toArray()));
        return first + 2;
    }

    private static int bindStream(PreparedStatement statement, int first, StreamId stream) throws SQLException {
        statement.setString(first, stream.type());
        statement.setString(first + 1, stream.id());
        return first + 2;
    }

    private static int ordinal(PSQLException e) {
        ServerErrorMessage message = e.getServerErrorMessage();
        if (message == null || message.getDetail() == null) {
            throw new IllegalStateException("a unique key was taken, but the database did not say which", e);
        }
        return Integer.parseInt(message.getDetail().strip());
    }
}
