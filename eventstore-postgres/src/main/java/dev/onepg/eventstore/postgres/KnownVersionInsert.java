package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.StreamId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The insert of an append whose expected version is a number (0: no stream): the versions are known before the
 * statement runs, so it is a plain insert and the unique index on (stream, version) is the conflict check.
 *
 * <p>Plain JDBC with constant SQL texts: pgjdbc keeps each text parsed per connection and, after its prepare
 * threshold, as a server-side prepared statement, so the hot path renders nothing and plans nothing. One event is
 * one row of parameters; several events are one statement over arrays ({@code unnest}), so a batch of any size is
 * one round trip. After version 0 the rows are inserted only if the expected version itself is stored: without
 * that look-up an expectation ahead of the stream would leave a gap in its versions. The look-up is left out when
 * the store has seen the expected version stored ({@link SeenVersions}): it was most of what the statement cost
 * the server beyond a plain insert (docs/benchmarks.md).
 */
final class KnownVersionInsert {

    static final String COLUMNS = "event_id, stream_type, stream_id, version, event_type, schema_version,"
            + " payload, actor, correlation_id, causation_id, headers";
    private static final String EXPECTED_IS_STORED = " WHERE EXISTS (SELECT FROM eventstore.events"
            + " WHERE stream_type = ? AND stream_id = ? AND version = ?)";

    private static final String ONE = "INSERT INTO eventstore.events (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb) RETURNING position";
    private static final String ONE_IF_EXPECTED_STORED = "INSERT INTO eventstore.events (" + COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb" + EXPECTED_IS_STORED + " RETURNING position";

    private static final String MANY = "INSERT INTO eventstore.events (" + COLUMNS + ")"
            + " SELECT e.event_id, ?, ?, ? + e.ordinal, e.event_type, e.schema_version, e.payload::jsonb,"
            + " e.actor, e.correlation_id, e.causation_id, e.headers::jsonb"
            + " FROM unnest(" + EventArrays.UNNEST_TYPES + ")"
            + " WITH ORDINALITY AS e(" + EventArrays.COLUMNS + ", ordinal)";
    private static final String MANY_IN_ORDER = MANY + " ORDER BY e.ordinal RETURNING version, position";
    private static final String MANY_IF_EXPECTED_STORED =
            MANY + EXPECTED_IS_STORED + " ORDER BY e.ordinal RETURNING version, position";

    private static final String NO_HEADERS = "{}";

    private KnownVersionInsert() {}

    /**
     * Inserts the request's events after {@code expected}; {@code null} if the expected version is not stored.
     *
     * @param expectedStored whether the expected version is known to be stored, so that no look-up is needed
     * @throws SQLException with SQLState 23505 if a version or an event id is taken
     */
    static AppendResult insert(Connection connection, AppendRequest request, long expected, boolean expectedStored)
            throws SQLException {
        boolean lookUp = expected != 0 && !expectedStored;
        return request.events().size() == 1
                ? insertOne(connection, request.stream(), request.events().getFirst(), expected, lookUp)
                : insertMany(connection, request.stream(), request.events(), expected, lookUp);
    }

    private static AppendResult insertOne(
            Connection connection, StreamId stream, NewEvent event, long expected, boolean lookUp) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(lookUp ? ONE_IF_EXPECTED_STORED : ONE)) {
            int next = bindEvent(insert, stream, event, expected);
            if (lookUp) {
                bindExpected(insert, next, stream, expected);
            }
            try (ResultSet stored = insert.executeQuery()) {
                if (!stored.next()) {
                    return null;
                }
                return new AppendResult(
                        stream, List.of(new AppendResult.Appended(event.eventId(), expected + 1, stored.getLong(1))));
            }
        }
    }

    /** Binds the event's row (the first eleven parameters, in {@link #COLUMNS}' order); answers the next index. */
    static int bindEvent(PreparedStatement insert, StreamId stream, NewEvent event, long expected) throws SQLException {
        EventMetadata metadata = event.metadata();
        insert.setObject(1, event.eventId());
        insert.setString(2, stream.type());
        insert.setString(3, stream.id());
        insert.setLong(4, expected + 1);
        insert.setString(5, event.type());
        insert.setInt(6, event.schemaVersion());
        insert.setString(7, event.payload());
        insert.setString(8, metadata.actor());
        insert.setString(9, metadata.correlationId());
        insert.setString(10, metadata.causationId());
        insert.setString(11, headers(metadata));
        return 12;
    }

    private static AppendResult insertMany(
            Connection connection, StreamId stream, List<NewEvent> events, long expected, boolean lookUp)
            throws SQLException {
        int size = events.size();
        EventArrays arrays = new EventArrays(size);
        for (int i = 0; i < size; i++) {
            arrays.set(i, events.get(i));
        }
        try (PreparedStatement insert = connection.prepareStatement(lookUp ? MANY_IF_EXPECTED_STORED : MANY_IN_ORDER)) {
            insert.setString(1, stream.type());
            insert.setString(2, stream.id());
            insert.setLong(3, expected);
            int next = arrays.bind(insert, 4);
            if (lookUp) {
                bindExpected(insert, next, stream, expected);
            }
            List<AppendResult.Appended> appended = new ArrayList<>(size);
            try (ResultSet stored = insert.executeQuery()) {
                while (stored.next()) {
                    long version = stored.getLong(1);
                    int index = (int) (version - expected - 1);
                    appended.add(new AppendResult.Appended(arrays.eventId(index), version, stored.getLong(2)));
                }
            }
            if (appended.isEmpty()) {
                return null;
            }
            appended.sort((a, b) -> Long.compare(a.version(), b.version()));
            return new AppendResult(stream, appended);
        }
    }

    private static void bindExpected(PreparedStatement insert, int first, StreamId stream, long expected)
            throws SQLException {
        insert.setString(first, stream.type());
        insert.setString(first + 1, stream.id());
        insert.setLong(first + 2, expected);
    }

    static String headers(EventMetadata metadata) {
        return metadata.headers().isEmpty()
                ? NO_HEADERS
                : Headers.toJson(metadata.headers()).data();
    }
}
