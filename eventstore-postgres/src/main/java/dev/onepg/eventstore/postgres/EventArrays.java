package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.NewEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * New events as one array a column, so that one statement inserts any number of them with {@code unnest}: bound in
 * the order of {@link #UNNEST_TYPES}, read back as the columns {@link #COLUMNS}.
 */
final class EventArrays {

    /** The parameters' types, in the order {@link #bind} binds them. */
    static final String UNNEST_TYPES =
            "?::uuid[], ?::text[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]";

    /** The names of the unnested columns, in the same order. */
    static final String COLUMNS =
            "event_id, event_type, schema_version, payload, actor, correlation_id, causation_id, headers";

    private final UUID[] ids;
    private final String[] types;
    private final Integer[] schemaVersions;
    private final String[] payloads;
    private final String[] actors;
    private final String[] correlationIds;
    private final String[] causationIds;
    private final String[] headers;

    EventArrays(int size) {
        ids = new UUID[size];
        types = new String[size];
        schemaVersions = new Integer[size];
        payloads = new String[size];
        actors = new String[size];
        correlationIds = new String[size];
        causationIds = new String[size];
        headers = new String[size];
    }

    void set(int index, NewEvent event) {
        EventMetadata metadata = event.metadata();
        ids[index] = event.eventId();
        types[index] = event.type();
        schemaVersions[index] = event.schemaVersion();
        payloads[index] = event.payload();
        actors[index] = metadata.actor();
        correlationIds[index] = metadata.correlationId();
        causationIds[index] = metadata.causationId();
        headers[index] = KnownVersionInsert.headers(metadata);
    }

    UUID eventId(int index) {
        return ids[index];
    }

    /** Binds the arrays to the statement's parameters from {@code first} on; returns the index after them. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        var connection = statement.getConnection();
        int next = first;
        statement.setArray(next++, connection.createArrayOf("uuid", ids));
        statement.setArray(next++, connection.createArrayOf("text", types));
        statement.setArray(next++, connection.createArrayOf("int4", schemaVersions));
        statement.setArray(next++, connection.createArrayOf("text", payloads));
        statement.setArray(next++, connection.createArrayOf("text", actors));
        statement.setArray(next++, connection.createArrayOf("text", correlationIds));
        statement.setArray(next++, connection.createArrayOf("text", causationIds));
        statement.setArray(next++, connection.createArrayOf("text", headers));
        return next;
    }
}
