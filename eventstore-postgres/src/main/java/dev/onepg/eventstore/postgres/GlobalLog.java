package dev.onepg.eventstore.postgres;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static org.jooq.impl.DSL.row;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.RecordedEvent;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Reads the global log in (transaction id, position) order, and only events of transactions below the oldest
 * one still running: those are all finished, so nothing can later appear before what has been read.
 */
public final class GlobalLog {

    private GlobalLog() {}

    public static List<RecordedEvent> readAfter(DSLContext dsl, Checkpoint checkpoint, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return dsl.selectFrom(EVENTS)
                .where(row(EVENTS.TRANSACTION_ID, EVENTS.POSITION)
                        .gt(row(Xid8.value(checkpoint.transactionId()), org.jooq.impl.DSL.val(checkpoint.position()))))
                .and(EVENTS.TRANSACTION_ID.lt(Xid8.oldestRunningTransaction()))
                .orderBy(EVENTS.TRANSACTION_ID, EVENTS.POSITION)
                .limit(limit)
                .fetch(EventRecords::toRecordedEvent);
    }
}
