package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static dev.onepg.db.jooq.eventstore.Tables.PROJECTIONS;
import static dev.onepg.db.jooq.eventstore.Tables.SKIPPED_EVENTS;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;

import dev.onepg.db.jooq.eventstore.tables.records.ProjectionsRecord;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.postgres.GlobalLog;
import dev.onepg.eventstore.postgres.Xid8;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/** Every write to the projections' rows: checkpoints, states and leases. */
final class Checkpoints {

    private static final int MAX_ERROR_LENGTH = 2000;
    private static final String PROJECTIONS_TABLE =
            DSL.using(SQLDialect.POSTGRES).render(PROJECTIONS);
    // The two statements of every batch, rendered once: rendering them with jOOQ on each batch took a third of a
    // runner's CPU.
    private static final String LOCK_LEASED = "SELECT checkpoint_tx::text, checkpoint_position, status FROM "
            + PROJECTIONS_TABLE + " WHERE name = ? AND lease_owner = ? AND lease_generation = ? FOR UPDATE";
    /** Moves the checkpoint from where it was and renews the lease from the transaction's start, under the lease. */
    private static final String ADVANCE_LEASED = "UPDATE " + PROJECTIONS_TABLE
            + " SET checkpoint_tx = ?::text::xid8, checkpoint_position = ?, updated_at = current_timestamp,"
            + " lease_expires_at = now() + ? * interval '1 millisecond'"
            + " WHERE name = ? AND lease_owner = ? AND lease_generation = ?"
            + " AND checkpoint_tx = ?::text::xid8 AND checkpoint_position = ?";
    /** What a move that finds no row says: the batch began at a checkpoint that is no longer there. */
    static final String MOVED_ELSEWHERE = "the checkpoint is no longer where the batch began";
    /**
     * {@link #ADVANCE_LEASED} and the commit in one round trip. A move that finds no row fails (the cast of {@link
     * #MOVED_ELSEWHERE} to a number): the error skips the commit and aborts the transaction, so the views never
     * commit without their checkpoint.
     */
    private static final String ADVANCE_LEASED_AND_COMMIT = "WITH moved AS (" + ADVANCE_LEASED + " RETURNING 1)"
            + " SELECT (CASE count(*) WHEN 1 THEN '1' ELSE '" + MOVED_ELSEWHERE + "' END)::int FROM moved; COMMIT";

    private static final String INVALID_TEXT_REPRESENTATION = "22P02";

    private Checkpoints() {}

    /** Creates the projection's row if it is new; a projection that failed is given another try. */
    static void register(DSLContext dsl, String projection) {
        dsl.insertInto(PROJECTIONS)
                .set(PROJECTIONS.NAME, projection)
                .onConflictDoNothing()
                .execute();
        resume(dsl, projection, Set.of(ProjectionState.FAILED));
    }

    /** Lets the projection run again, only from one of the given states, forgetting any failure; returns whether it changed. */
    static boolean resume(DSLContext dsl, String projection, Set<ProjectionState> from) {
        return forgettingFailure(dsl.update(PROJECTIONS)
                                .set(PROJECTIONS.STATUS, ProjectionState.RUNNING.name())
                                .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime()))
                        .where(PROJECTIONS.NAME.eq(projection))
                        .and(PROJECTIONS.STATUS.in(from.stream().map(Enum::name).toList()))
                        .execute()
                == 1;
    }

    /**
     * Gives the projection the checkpoint its rebuilt views have reached, forgetting any failure; a paused
     * projection stays paused.
     */
    static void takeOver(DSLContext transaction, String projection, Checkpoint checkpoint) {
        forgettingFailure(moveTo(transaction, checkpoint)
                        .set(
                                PROJECTIONS.STATUS,
                                DSL.when(
                                                PROJECTIONS.STATUS.eq(ProjectionState.PAUSED.name()),
                                                ProjectionState.PAUSED.name())
                                        .otherwise(ProjectionState.RUNNING.name())))
                .where(PROJECTIONS.NAME.eq(projection))
                .execute();
    }

    /** An update that moves the checkpoint to {@code to}. */
    private static UpdateSetMoreStep<ProjectionsRecord> moveTo(DSLContext transaction, Checkpoint to) {
        return transaction
                .update(PROJECTIONS)
                .set(PROJECTIONS.CHECKPOINT_TX, Xid8.value(to.transactionId()))
                .set(PROJECTIONS.CHECKPOINT_POSITION, to.position())
                .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime());
    }

    private static Condition at(Checkpoint checkpoint) {
        return PROJECTIONS
                .CHECKPOINT_TX
                .eq(Xid8.value(checkpoint.transactionId()))
                .and(PROJECTIONS.CHECKPOINT_POSITION.eq(checkpoint.position()));
    }

    private static UpdateSetMoreStep<ProjectionsRecord> forgettingFailure(UpdateSetMoreStep<ProjectionsRecord> update) {
        return update.setNull(PROJECTIONS.FAILED_EVENT_ID).setNull(PROJECTIONS.LAST_ERROR);
    }

    /** Registers the projection anew, before the first event (a rebuild's own checkpoint). */
    static void registerFromStart(DSLContext transaction, String projection) {
        remove(transaction, projection);
        transaction.insertInto(PROJECTIONS).set(PROJECTIONS.NAME, projection).execute();
    }

    static void remove(DSLContext dsl, String projection) {
        dsl.deleteFrom(PROJECTIONS).where(PROJECTIONS.NAME.eq(projection)).execute();
    }

    /** Locks the projection's row for the rest of the transaction and returns its checkpoint. */
    static Checkpoint lockCheckpoint(DSLContext transaction, String projection) {
        return transaction
                .select(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION)
                .from(PROJECTIONS)
                .where(PROJECTIONS.NAME.eq(projection))
                .forUpdate()
                .fetchOptional(row -> new Checkpoint(row.value1(), row.value2()))
                .orElseThrow(() -> new IllegalStateException("projection " + projection + " is not registered"));
    }

    /** Sets the state, only from one of the given states; returns whether it changed. */
    static boolean changeState(DSLContext dsl, String projection, ProjectionState to, Set<ProjectionState> from) {
        return dsl.update(PROJECTIONS)
                        .set(PROJECTIONS.STATUS, to.name())
                        .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime())
                        .where(PROJECTIONS.NAME.eq(projection))
                        .and(PROJECTIONS.STATUS.in(from.stream().map(Enum::name).toList()))
                        .execute()
                == 1;
    }

    /**
     * Moves a failed projection past the event it failed on, records who skipped it and why, and lets the
     * projection run again.
     */
    static void skipFailedEvent(
            DSLContext transaction, String projection, UUID eventId, String reason, @Nullable String actor) {
        ProjectionStatus status = transaction
                .selectFrom(PROJECTIONS)
                .where(PROJECTIONS.NAME.eq(projection))
                .forUpdate()
                .fetchOptional(Checkpoints::toStatus)
                .orElseThrow(() -> new UnknownProjection(projection));
        if (status.state() != ProjectionState.FAILED || !eventId.equals(status.failedEventId())) {
            throw new ProjectionStateConflict("projection " + projection + " is not stopped at event " + eventId
                    + (status.failedEventId() == null ? "" : "; it is stopped at " + status.failedEventId()));
        }
        var event = transaction
                .select(EVENTS.TRANSACTION_ID, EVENTS.POSITION, EVENTS.STREAM_TYPE, EVENTS.STREAM_ID, EVENTS.VERSION)
                .from(EVENTS)
                .where(EVENTS.EVENT_ID.eq(eventId))
                .fetchSingle();
        Checkpoint past = new Checkpoint(event.value1(), event.value2());
        if (!advance(transaction, projection, status.checkpoint(), past)) {
            throw new ProjectionStateConflict("projection " + projection + " moved while skipping");
        }
        transaction
                .insertInto(SKIPPED_EVENTS)
                .set(SKIPPED_EVENTS.PROJECTION, projection)
                .set(SKIPPED_EVENTS.EVENT_ID, eventId)
                .set(SKIPPED_EVENTS.REASON, reason)
                .set(SKIPPED_EVENTS.SKIPPED_BY, actor)
                .execute();
        resume(transaction, projection, Set.of(ProjectionState.FAILED));
    }

    /** How far behind the head of the log the projection is: in positions, and in seconds of its oldest pending event. */
    static Lag lag(DSLContext dsl, Checkpoint checkpoint) {
        long head = dsl.select(DSL.coalesce(DSL.max(EVENTS.POSITION), 0L))
                .from(EVENTS)
                .fetchSingle()
                .value1();
        var oldestPending = dsl.select(EVENTS.RECORDED_AT)
                .from(EVENTS)
                .where(row(EVENTS.TRANSACTION_ID, EVENTS.POSITION)
                        .gt(row(Xid8.value(checkpoint.transactionId()), DSL.val(checkpoint.position()))))
                .orderBy(EVENTS.TRANSACTION_ID, EVENTS.POSITION)
                .limit(1)
                .fetchOptional(EVENTS.RECORDED_AT);
        Duration behind = oldestPending
                .map(recorded -> Duration.between(recorded.toInstant(), java.time.Instant.now()))
                .map(duration -> duration.isNegative() ? Duration.ZERO : duration)
                .orElse(Duration.ZERO);
        long events = oldestPending.isEmpty() ? 0 : Math.max(1, head - checkpoint.position());
        return new Lag(events, behind);
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
        return moveTo(transaction, next)
                        .where(PROJECTIONS.NAME.eq(projection))
                        .and(at(expected))
                        .execute()
                == 1;
    }

    /** Stops the projection at the failing event, while the lease still holds; returns whether it did. */
    static boolean markFailed(DSLContext dsl, Lease lease, UUID eventId, String error) {
        return dsl.update(PROJECTIONS)
                        .set(PROJECTIONS.STATUS, ProjectionState.FAILED.name())
                        .set(PROJECTIONS.FAILED_EVENT_ID, eventId)
                        .set(PROJECTIONS.LAST_ERROR, truncate(error))
                        .set(PROJECTIONS.UPDATED_AT, currentOffsetDateTime())
                        .where(held(lease))
                        .execute()
                == 1;
    }

    /**
     * Takes the projection's lease when nobody holds it or it has expired by the database's clock; a row locked
     * by a batch of the current leader is skipped, not waited for.
     *
     * @return the new generation, when taken
     */
    static Optional<Long> acquireLease(
            DSLContext dsl, String projection, String owner, String instance, Duration duration) {
        return dsl.update(PROJECTIONS)
                .set(PROJECTIONS.LEASE_OWNER, owner)
                .set(PROJECTIONS.LEADER, instance)
                .set(PROJECTIONS.LEASE_GENERATION, PROJECTIONS.LEASE_GENERATION.plus(1))
                .set(PROJECTIONS.LEASE_EXPIRES_AT, expiresIn(duration))
                .where(PROJECTIONS.NAME.in(select(PROJECTIONS.NAME)
                        .from(PROJECTIONS)
                        .where(PROJECTIONS.NAME.eq(projection))
                        .and(PROJECTIONS.LEASE_EXPIRES_AT.isNull().or(PROJECTIONS.LEASE_EXPIRES_AT.le(now())))
                        .forUpdate()
                        .skipLocked()))
                .returning(PROJECTIONS.LEASE_GENERATION)
                .fetchOptional(PROJECTIONS.LEASE_GENERATION);
    }

    /** Extends the lease from now, if it still holds; returns whether it did. */
    static boolean renewLease(DSLContext dsl, Lease lease) {
        return dsl.update(PROJECTIONS)
                        .set(PROJECTIONS.LEASE_EXPIRES_AT, expiresIn(lease.duration()))
                        .where(held(lease))
                        .execute()
                == 1;
    }

    /** Gives the lease up, if it still holds, so that another instance takes over at its next try. */
    static void releaseLease(DSLContext dsl, Lease lease) {
        dsl.update(PROJECTIONS)
                .setNull(PROJECTIONS.LEASE_OWNER)
                .setNull(PROJECTIONS.LEADER)
                .setNull(PROJECTIONS.LEASE_EXPIRES_AT)
                .where(held(lease))
                .execute();
    }

    /** Locks the projection's row for the rest of the transaction, if the lease still holds it. */
    static Optional<LockedCheckpoint> lockLeased(DSLContext transaction, Lease lease) {
        return transaction
                .select(PROJECTIONS.CHECKPOINT_TX, PROJECTIONS.CHECKPOINT_POSITION, PROJECTIONS.STATUS)
                .from(PROJECTIONS)
                .where(held(lease))
                .forUpdate()
                .fetchOptional(row -> new LockedCheckpoint(
                        new Checkpoint(row.value1(), row.value2()), ProjectionState.valueOf(row.value3())));
    }

    /** Moves the checkpoint from {@code from} to {@code to} and renews the lease, if both still are as read. */
    /**
     * {@link #lockLeased}, with the transaction's limits before it and the events after {@code expected} read
     * after it, in one round trip: the driver sends the three statements together and the server runs them in
     * order, so the limits hold for the lock and the read.
     */
    static CheckpointGuard.LockedRead lockLeasedAndRead(
            DSLContext transaction, String limits, Lease lease, @Nullable Checkpoint expected, int batchSize) {
        String statements =
                limits + "; " + LOCK_LEASED + (expected == null ? "" : "; " + GlobalLog.readAfterStatement());
        return transaction.connectionResult(connection -> {
            long readStarted = System.nanoTime();
            try (PreparedStatement statement = connection.prepareStatement(statements)) {
                statement.setString(1, lease.projection());
                statement.setString(2, lease.owner());
                statement.setLong(3, lease.generation());
                if (expected != null) {
                    GlobalLog.bindReadAfter(statement, 4, expected, batchSize);
                }
                statement.execute();
                statement.getMoreResults();
                Optional<LockedCheckpoint> locked;
                try (ResultSet row = statement.getResultSet()) {
                    locked = row.next()
                            ? Optional.of(new LockedCheckpoint(
                                    new Checkpoint(Long.parseLong(row.getString(1)), row.getLong(2)),
                                    ProjectionState.valueOf(row.getString(3))))
                            : Optional.empty();
                }
                if (expected == null) {
                    return new CheckpointGuard.LockedRead(locked, null);
                }
                statement.getMoreResults();
                try (ResultSet rows = statement.getResultSet()) {
                    return new CheckpointGuard.LockedRead(
                            locked,
                            new BatchApplier.ReadAhead(expected, GlobalLog.eventsOf(rows, batchSize), readStarted));
                }
            }
        });
    }

    static boolean advanceLeased(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
        return transaction.connectionResult(connection -> {
            try (PreparedStatement update = connection.prepareStatement(ADVANCE_LEASED)) {
                bindAdvance(update, lease, from, to);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Moves the checkpoint as {@link #advanceLeased} does and commits the transaction in the same round trip;
     * returns whether it moved (if not, the transaction is aborted and must be rolled back). The caller's commit
     * afterwards finds no transaction open and sends nothing.
     */
    static boolean advanceLeasedAndCommit(DSLContext transaction, Lease lease, Checkpoint from, Checkpoint to) {
        return advanceLeasedAndCommit(transaction, lease, from, to, null);
    }

    /**
     * As {@link #advanceLeasedAndCommit(DSLContext, Lease, Checkpoint, Checkpoint)}, with the projection's last
     * write sent first in the same round trip.
     *
     * @throws LastWriteFailed when the last write failed for a reason of its own (the transaction is aborted)
     */
    static boolean advanceLeasedAndCommit(
            DSLContext transaction,
            Lease lease,
            Checkpoint from,
            Checkpoint to,
            LiveBatchTransaction.@Nullable LastWrite lastWrite) {
        String sql = lastWrite == null
                ? ADVANCE_LEASED_AND_COMMIT
                : withoutTrailingSemicolon(lastWrite.sql()) + "; " + ADVANCE_LEASED_AND_COMMIT;
        return transaction.connectionResult(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                int next = lastWrite == null ? 1 : lastWrite.parameters().bind(update, 1);
                bindAdvance(update, next, lease, from, to);
                update.execute();
                return true;
            } catch (SQLException e) {
                if (INVALID_TEXT_REPRESENTATION.equals(e.getSQLState())
                        && e.getMessage().contains(MOVED_ELSEWHERE)) {
                    return false;
                }
                if (lastWrite != null && LastWriteFailed.isTheWritesOwn(e)) {
                    throw new LastWriteFailed(e);
                }
                throw e;
            }
        });
    }

    private static String withoutTrailingSemicolon(String sql) {
        String trimmed = sql.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static void bindAdvance(PreparedStatement update, Lease lease, Checkpoint from, Checkpoint to)
            throws SQLException {
        bindAdvance(update, 1, lease, from, to);
    }

    private static void bindAdvance(PreparedStatement update, int first, Lease lease, Checkpoint from, Checkpoint to)
            throws SQLException {
        update.setString(first, Long.toString(to.transactionId()));
        update.setLong(first + 1, to.position());
        update.setLong(first + 2, lease.duration().toMillis());
        update.setString(first + 3, lease.projection());
        update.setString(first + 4, lease.owner());
        update.setLong(first + 5, lease.generation());
        update.setString(first + 6, Long.toString(from.transactionId()));
        update.setLong(first + 7, from.position());
    }

    private static Condition held(Lease lease) {
        return PROJECTIONS
                .NAME
                .eq(lease.projection())
                .and(PROJECTIONS.LEASE_OWNER.eq(lease.owner()))
                .and(PROJECTIONS.LEASE_GENERATION.eq(lease.generation()));
    }

    /** The transaction's start by the database's clock, plus the duration: no instance's own clock counts. */
    private static Field<OffsetDateTime> expiresIn(Duration duration) {
        return DSL.field(
                "{0} + {1} * interval '1 millisecond'",
                SQLDataType.TIMESTAMPWITHTIMEZONE, now(), DSL.val(duration.toMillis()));
    }

    private static Field<OffsetDateTime> now() {
        return DSL.field("now()", SQLDataType.TIMESTAMPWITHTIMEZONE);
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
