package dev.onepg.eventstore.postgres;

import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * After a restore into another cluster, moves the stored transaction ids of events and checkpoints below the
 * new cluster's, in one transaction, without changing what any projection has applied or the order of what it
 * has not.
 *
 * <p>Every restored event is committed, so position alone orders them, with one exception: a projection's
 * checkpoint {@code (transaction id, position)} may sit where the old order and position order disagree (a
 * transaction that took its id before another one committed a lower position). So the events are cut into
 * groups at the distinct checkpoints, in the old order; group {@code k} gets the id {@code 3 + k} (3 is the
 * first normal transaction id), and within a group position orders them. Each checkpoint moves to the last
 * event at or before it. A projection then has applied exactly the groups up to its own, as before, and
 * applies the rest in position order. With every projection caught up, all events get one id.
 */
public final class TransactionIdRebase {

    /** The first id given to rebased events: PostgreSQL's first normal transaction id. */
    public static final long FIRST_ID = 3;

    /** What a rebase changed. */
    public record Result(boolean needed, long events, long checkpoints, long highestId) {}

    private TransactionIdRebase() {}

    /** Rebases if stored ids are at or above the cluster's next one; otherwise leaves everything as it is. */
    public static Result run(DataSource dataSource) {
        return DSL.using(dataSource, SQLDialect.POSTGRES).transactionResult(configuration -> {
            DSLContext transaction = configuration.dsl();
            // No append and no projection batch may run meanwhile; both wait for the commit.
            transaction.execute("LOCK TABLE eventstore.events, eventstore.projections IN EXCLUSIVE MODE");
            if (TransactionIdCheck.find(transaction).isEmpty()) {
                return new Result(false, 0, 0, 0);
            }
            transaction.execute("SET LOCAL onepg.maintenance = 'rebase-transaction-ids'");
            transaction.execute("""
                    CREATE TEMPORARY TABLE rebase_cuts ON COMMIT DROP AS
                    SELECT DISTINCT checkpoint_tx AS tx, checkpoint_position AS position
                    FROM eventstore.projections
                    WHERE (checkpoint_tx, checkpoint_position) > ('0'::xid8, 0)
                    """);
            transaction.execute("""
                    CREATE TEMPORARY TABLE rebase_ids ON COMMIT DROP AS
                    SELECT e.position, e.transaction_id AS old_tx,
                           (? + (SELECT count(*) FROM rebase_cuts c
                                 WHERE (c.tx, c.position) < (e.transaction_id, e.position)))::text::xid8 AS new_tx
                    FROM eventstore.events e
                    """, FIRST_ID);
            long highest = transaction
                    .fetchSingle("SELECT coalesce(max(new_tx::text::bigint), 0) FROM rebase_ids")
                    .get(0, Long.class);
            long room = transaction.fetchValue(Xid8.oldestRunningTransaction());
            if (highest >= room) {
                throw new IllegalStateException("This cluster has not used enough transaction ids yet to rebase "
                        + "below it (needs more than " + highest + ", is at " + room + ")");
            }
            long checkpoints = transaction.execute("""
                    UPDATE eventstore.projections p
                    SET checkpoint_tx = coalesce(last.new_tx, '0'::xid8),
                        checkpoint_position = coalesce(last.position, 0)
                    FROM eventstore.projections old
                    LEFT JOIN LATERAL (
                        SELECT r.new_tx, r.position FROM rebase_ids r
                        WHERE (r.old_tx, r.position) <= (old.checkpoint_tx, old.checkpoint_position)
                        ORDER BY r.new_tx DESC, r.position DESC
                        LIMIT 1) last ON true
                    WHERE p.name = old.name
                      AND (old.checkpoint_tx, old.checkpoint_position) > ('0'::xid8, 0)
                    """);
            long events = transaction.execute("""
                    UPDATE eventstore.events e
                    SET transaction_id = r.new_tx
                    FROM rebase_ids r
                    WHERE e.position = r.position AND e.transaction_id <> r.new_tx
                    """);
            return new Result(true, events, checkpoints, highest);
        });
    }
}
