package dev.onepg.eventstore.postgres;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Reads the global log in (transaction id, position) order, and only events of transactions below the oldest
 * one still running: those are all finished, so nothing can later appear before what has been read.
 *
 * <p>Plain JDBC with statements rendered once: the projections read every event through here, and mapping jOOQ
 * records was the largest part of a rebuild's reading.
 */
public final class GlobalLog {

    private static final String EVENTS_TABLE = DSL.using(SQLDialect.POSTGRES).render(EVENTS);

    /**
     * The columns {@link #toRecordedEvent} reads, in its order. The transaction id comes as text under another
     * name: an output column named {@code transaction_id} would make {@code ORDER BY transaction_id} sort text.
     */
    public static final String COLUMNS = "event_id, stream_type, stream_id, version,"
            + " transaction_id::text AS transaction_text, position,"
            + " event_type, schema_version, payload::text, actor, correlation_id, causation_id, headers::text,"
            + " recorded_at";

    private static final String READ_AFTER = "SELECT " + COLUMNS + " FROM " + EVENTS_TABLE
            + " WHERE (transaction_id, position) > (?::text::xid8, ?)"
            + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
            + " ORDER BY transaction_id, position LIMIT ?";

    /** The last event of the log that no running transaction can precede. */
    private static final String END = "SELECT transaction_id::text AS transaction_text, position FROM " + EVENTS_TABLE
            + " WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
            + " ORDER BY transaction_id DESC, position DESC LIMIT 1";

    /** Every event up to a checkpoint, stream by stream, each stream's in version order (its unique key). */
    private static final String BY_STREAM_THROUGH = "SELECT " + COLUMNS + " FROM " + EVENTS_TABLE
            + " WHERE (transaction_id, position) <= (?::text::xid8, ?)"
            + " ORDER BY stream_type, stream_id, version";

    private GlobalLog() {}

    public static List<RecordedEvent> readAfter(DSLContext dsl, Checkpoint checkpoint, int limit) {
        return dsl.connectionResult(connection -> readAfter(connection, checkpoint, limit));
    }

    public static List<RecordedEvent> readAfter(Connection connection, Checkpoint checkpoint, int limit) {
        try (PreparedStatement select = connection.prepareStatement(READ_AFTER)) {
            bindReadAfter(select, 1, checkpoint, limit);
            try (ResultSet rows = select.executeQuery()) {
                return eventsOf(rows, limit);
            }
        } catch (SQLException e) {
            throw new DataAccessException("could not read the global log after " + checkpoint, e);
        }
    }

    /**
     * The statement of {@link #readAfter}, for a caller that sends it together with others; its three parameters
     * are bound by {@link #bindReadAfter} and its rows read by {@link #eventsOf}.
     */
    public static String readAfterStatement() {
        return READ_AFTER;
    }

    /** Binds the parameters of {@link #readAfterStatement} from the statement's parameter {@code first} on. */
    public static void bindReadAfter(PreparedStatement statement, int first, Checkpoint checkpoint, int limit)
            throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        statement.setString(first, Long.toString(checkpoint.transactionId()));
        statement.setLong(first + 1, checkpoint.position());
        statement.setInt(first + 2, limit);
    }

    /** The events of a result of {@link #readAfterStatement}. */
    public static List<RecordedEvent> eventsOf(ResultSet rows, int limit) throws SQLException {
        List<RecordedEvent> events = new ArrayList<>(Math.min(limit, 1_024));
        while (rows.next()) {
            events.add(toRecordedEvent(rows));
        }
        return events;
    }

    /**
     * The checkpoint of the last event that nothing can precede any more (of a transaction below the oldest one
     * running); {@link Checkpoint#START} when there is none.
     */
    public static Checkpoint end(Connection connection) {
        try (PreparedStatement select = connection.prepareStatement(END);
                ResultSet row = select.executeQuery()) {
            return row.next() ? new Checkpoint(Long.parseLong(row.getString(1)), row.getLong(2)) : Checkpoint.START;
        } catch (SQLException e) {
            throw new DataAccessException("could not read the end of the global log", e);
        }
    }

    /**
     * Every event up to {@code through}, stream by stream: each stream's events in version order, the streams in
     * the order of their key. Fetched {@code fetchSize} rows at a time, so the connection must not be in
     * auto-commit mode; the caller closes what it gets.
     */
    public static ResultSet byStreamThrough(Connection connection, Checkpoint through, int fetchSize)
            throws SQLException {
        PreparedStatement select = connection.prepareStatement(BY_STREAM_THROUGH);
        select.closeOnCompletion();
        select.setFetchSize(fetchSize);
        select.setString(1, Long.toString(through.transactionId()));
        select.setLong(2, through.position());
        return select.executeQuery();
    }

    /** The event in the current row of a result of {@link #COLUMNS}. */
    public static RecordedEvent toRecordedEvent(ResultSet row) throws SQLException {
        return new RecordedEvent(
                row.getObject(1, UUID.class),
                new StreamId(row.getString(2), row.getString(3)),
                row.getLong(4),
                new Checkpoint(Long.parseLong(row.getString(5)), row.getLong(6)),
                row.getString(7),
                row.getInt(8),
                row.getString(9),
                new EventMetadata(
                        row.getString(10),
                        row.getString(11),
                        row.getString(12),
                        Headers.fromJson(JSONB.jsonb(row.getString(13)))),
                row.getObject(14, OffsetDateTime.class).toInstant());
    }
}
