package dev.onepg.eventstore.postgres;

import static dev.onepg.db.jooq.eventstore.Tables.EVENTS;
import static dev.onepg.db.jooq.eventstore.Tables.PROJECTIONS;

import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Finds stored transaction ids (of events and of checkpoints) at or above the cluster's next one, which only a
 * restore or a move into another cluster produces.
 */
public final class TransactionIdCheck {

    private TransactionIdCheck() {}

    /** Throws {@link TransactionIdsAhead} if the stored ids are not all below the cluster's. */
    public static void verify(DataSource dataSource) {
        find(DSL.using(dataSource, SQLDialect.POSTGRES)).ifPresent(ahead -> {
            throw ahead;
        });
    }

    static Optional<TransactionIdsAhead> find(DSLContext dsl) {
        boolean migrated = dsl.fetchValue(DSL.field("to_regclass('eventstore.events') IS NOT NULL", Boolean.class));
        if (!migrated) {
            return Optional.empty();
        }
        long clusterNext = dsl.fetchValue(nextTransactionId());
        long highest = Math.max(
                dsl.select(EVENTS.TRANSACTION_ID)
                        .from(EVENTS)
                        .orderBy(EVENTS.TRANSACTION_ID.desc())
                        .limit(1)
                        .fetchOptional(EVENTS.TRANSACTION_ID)
                        .orElse(0L),
                dsl.select(PROJECTIONS.CHECKPOINT_TX)
                        .from(PROJECTIONS)
                        .orderBy(PROJECTIONS.CHECKPOINT_TX.desc())
                        .limit(1)
                        .fetchOptional(PROJECTIONS.CHECKPOINT_TX)
                        .orElse(0L));
        return highest >= clusterNext ? Optional.of(new TransactionIdsAhead(highest, clusterNext)) : Optional.empty();
    }

    /** The id the cluster gives the next transaction that needs one; reading it assigns none. */
    static org.jooq.Field<Long> nextTransactionId() {
        return DSL.field("pg_snapshot_xmax(pg_current_snapshot())", SQLDataType.BIGINT);
    }
}
