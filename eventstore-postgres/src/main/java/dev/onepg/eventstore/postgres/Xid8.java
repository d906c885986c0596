package dev.onepg.eventstore.postgres;

import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * PostgreSQL's 64-bit transaction ids ({@code xid8}), which jOOQ reads as {@code Long}. There is no cast from
 * {@code bigint} to {@code xid8}, so values go in through text.
 */
public final class Xid8 {

    private Xid8() {}

    public static Field<Long> value(long transactionId) {
        return DSL.field("cast(cast({0} as text) as xid8)", SQLDataType.BIGINT, DSL.val(transactionId));
    }

    /** The oldest transaction still running: every transaction below it has committed or rolled back. */
    public static Field<Long> oldestRunningTransaction() {
        return DSL.field("pg_snapshot_xmin(pg_current_snapshot())", SQLDataType.BIGINT);
    }
}
