package dev.onepg.eventstore.postgres;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventMetadata;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import org.jooq.Record;

/** Maps rows of {@code eventstore.events} to recorded events. */
final class EventRecords {

    private EventRecords() {}

    static RecordedEvent toRecordedEvent(Record row) {
        return new RecordedEvent(
                row.get(EVENTS.EVENT_ID),
                new StreamId(row.get(EVENTS.STREAM_TYPE), row.get(EVENTS.STREAM_ID)),
                row.get(EVENTS.VERSION),
                new Checkpoint(row.get(EVENTS.TRANSACTION_ID), row.get(EVENTS.POSITION)),
                row.get(EVENTS.EVENT_TYPE),
                row.get(EVENTS.SCHEMA_VERSION),
                row.get(EVENTS.PAYLOAD).data(),
                new EventMetadata(
                        row.get(EVENTS.ACTOR),
                        row.get(EVENTS.CORRELATION_ID),
                        row.get(EVENTS.CAUSATION_ID),
                        Headers.fromJson(row.get(EVENTS.HEADERS))),
                row.get(EVENTS.RECORDED_AT).toInstant());
    }
}
