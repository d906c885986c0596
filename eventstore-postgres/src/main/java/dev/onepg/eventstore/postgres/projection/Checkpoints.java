package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.db.jooq.eventstore.Tables.APPLIED_VERSIONS;
import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static dev.onepg.db.jooq.eventstore.Tables.PROJECTIONS;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.row;

import dev.onepg.db.jooq.eventstore.tables.records.ProjectionsRecord;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.Xid8;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep4;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/** The projections' rows: checkpoints, states, and the last version applied per stream. */
final class Checkpoints {

    private static final int MAX_ERROR_LENGTH = 2000;

    private Checkpoints() {}

    /** Creates the projection's row if it is new; a projection that failed is given another try. */
    static void register(DSLContext dsl, String projection) {
        dsl.insertInto(PROJECTIONS)
                .set(PROJECTIONS.NAME, projection)
                .onConflictDoNothing()
                .execute();
        dsl.update(PROJECTIONS)
                .set(PROJECTIONS.STATUS, ProjectionState.RUNNING.name())
                .setNull(PROJECTIONS.FAILED_EVENT_ID)
                .setNull(PROJECTIONS.LAST_ERROR)
                .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime())
                .where(PROJECTIONS.NAME.eq(projection))
                .and(PROJECTIONS.STATUS.eq(ProjectionState.FAILED.name()))
                .execute();
    }

    static Optional<ProjectionStatus> status(DSLContext dsl, String projection) {
        return dsl.selectFrom(PROJECTIONS)
                .where(PROJECTIONS.NAME.eq(projection))
                .fetchOptional()
                .map(Checkpoints::toStatus);
    }

    static List<ProjectionStatus> statuses(DSLContext dsl) {
        return dsl.selectFrom(PROJECTIONS).orderBy(PROJECTIONS.NAME).fetch(Checkpoints::toStatus);
    }

    /**
     * Moves the checkpoint from {@code expected} to {@code next}, only if nobody moved it meanwhile.
     *
     * @return whether it moved
     */
    static boolean advance(DSLContext transaction, String projection, Checkpoint expected, Checkpoint next) {
        return transaction
                        .update(PROJECTIONS)
                        .set(PROJECTIONS.CHECKPOINT_TX, Xid8.value(next.transactionId()))
                        .set(PROJECTIONS.CHECKPOINT_POSITION, next.position())
                        .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime())
                        .where(PROJECTIONS.NAME.eq(projection))
                        .and(PROJECTIONS.CHECKPOINT_TX.eq(Xid8.value(expected.transactionId())))
                        .and(PROJECTIONS.CHECKPOINT_POSITION.eq(expected.position()))
                        .execute()
                == 1;
    }

    /** Records, per stream, the last version the projection has now applied. */
    static void recordAppliedVersions(DSLContext transaction, String projection, List<RecordedEvent> events) {
        Map<StreamId, Long> lastVersions = new LinkedHashMap<>();
        for (RecordedEvent event : events) {
            lastVersions.merge(event.stream(), event.version(), Math::max);
        }
        InsertValuesStep4<?, String, String, String, Long> insert = transaction.insertInto(
                APPLIED_VERSIONS,
                APPLIED_VERSIONS.PROJECTION,
                APPLIED_VERSIONS.STREAM_TYPE,
                APPLIED_VERSIONS.STREAM_ID,
                APPLIED_VERSIONS.VERSION);
        lastVersions.forEach((stream, version) -> insert.values(projection, stream.type(), stream.id(), version));
        insert.onConflict(APPLIED_VERSIONS.PROJECTION, APPLIED_VERSIONS.STREAM_TYPE, APPLIED_VERSIONS.STREAM_ID)
                .doUpdate()
                .set(
                        APPLIED_VERSIONS.VERSION,
                        greatest(APPLIED_VERSIONS.VERSION, DSL.excluded(APPLIED_VERSIONS.VERSION)))
                .execute();
    }

    static long appliedVersion(DSLContext dsl, String projection, StreamId stream) {
        return dsl.select(APPLIED_VERSIONS.VERSION)
                .from(APPLIED_VERSIONS)
                .where(APPLIED_VERSIONS.PROJECTION.eq(projection))
                .and(APPLIED_VERSIONS.STREAM_TYPE.eq(stream.type()))
                .and(APPLIED_VERSIONS.STREAM_ID.eq(stream.id()))
                .fetchOptional(APPLIED_VERSIONS.VERSION)
                .orElse(0L);
    }

    /** Whether the projection's checkpoint is at or past the event at this position. */
    static boolean hasReached(DSLContext dsl, String projection, long position) {
        return dsl.fetchExists(dsl.selectOne()
                .from(PROJECTIONS)
                .join(EVENTS)
                .on(EVENTS.POSITION.eq(position))
                .where(PROJECTIONS.NAME.eq(projection))
                .and(row(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION)
                        .ge(row(EVENTS.TRANSACTION_ID, EVENTS.POSITION))));
    }

    static void markFailed(DSLContext dsl, String projection, UUID eventId, String error) {
        dsl.update(PROJECTIONS)
                .set(PROJECTIONS.STATUS, ProjectionState.FAILED.name())
                .set(PROJECTIONS.FAILED_EVENT_ID, eventId)
                .set(PROJECTIONS.LAST_ERROR, truncate(error))
                .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime())
                .where(PROJECTIONS.NAME.eq(projection))
                .execute();
    }

    static void setLeader(DSLContext dsl, String projection, @Nullable String leader) {
        dsl.update(PROJECTIONS)
                .set(PROJECTIONS.LEADER, leader)
                .where(PROJECTIONS.NAME.eq(projection))
                .execute();
    }

    private static ProjectionStatus toStatus(ProjectionsRecord row) {
        return new ProjectionStatus(
                row.getName(),
                new Checkpoint(row.getCheckpointTx(), row.getCheckpointPosition()),
                ProjectionState.valueOf(row.getStatus()),
                row.getLeader(),
                row.getFailedEventId(),
                row.getLastError(),
                row.getUpdatedAt().toInstant());
    }

    private static String truncate(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
