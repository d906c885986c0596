package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.projection.ProjectionTestDatabase.settings;
import static dev.onepg.eventstore.postgres.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.postgres.testing.ObservedConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each round trip of a batch is a wait on a busy machine, and the batch's transaction holds back every later
 * event from the projections until it ends. So a runner that knows where its last batch left the checkpoint sends
 * the transaction's limits, the lock of the checkpoint and the read of the events after it in one round trip; it
 * reads again, after the locked checkpoint, only when that is elsewhere. The move of the checkpoint carries the
 * commit, so the transaction's own commit finds nothing left to send, and the projection's last write when it left
 * one for the commit: a batch is then two round trips. Nothing else goes to the server: not even a question for the
 * connection's isolation level.
 */
class BatchRoundTripsIT {

    private static final String RUNNER_THREAD = "onepg-projection-views";

    private final ProjectionTestDatabase db = new ProjectionTestDatabase();
    private final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());
    private final List<String> current = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aBatchAfterTheFirstLocksAndReadsInOneRoundTrip() throws Exception {
        engine(CheckpointGuard.FENCED).start();
        db.appendEvents("first", 1);
        eventually(() -> db.applied("views").size() == 1);
        transactions.clear();

        db.appendEvents("second", 1);
        eventually(() -> db.applied("views").size() == 2);

        assertThat(transactionThatApplied())
                .containsExactly("limits + lock + read", "apply", "advance checkpoint + commit", "commit");
    }

    @Test
    void aLastWriteLeftForTheCommitGoesOutWithTheMoveOfTheCheckpoint() throws Exception {
        engine(CheckpointGuard.FENCED, new RecordingProjection("views").writingWithCommit())
                .start();
        db.appendEvents("first", 1);
        eventually(() -> db.applied("views").size() == 1);
        transactions.clear();

        db.appendEvents("second", 1);
        eventually(() -> db.applied("views").size() == 2);

        assertThat(transactionThatApplied())
                .containsExactly("limits + lock + read", "apply + advance checkpoint + commit", "commit");
    }

    /**
     * Each append wakes the runner after its commit has returned, often after the runner's next look has already
     * read it: such a wake-up, for a commit made before the last look began, costs no look (no transaction).
     */
    @Test
    void aWakeUpForACommitBeforeTheLastLookMakesNoLookAndOneAfterItDoes() throws Exception {
        ProjectionEngine engine = engine(CheckpointGuard.FENCED);
        engine.start();
        db.appendEvents("first", 1);
        eventually(() -> db.applied("views").size() == 1);
        long beforeTheLook = System.nanoTime() - Duration.ofSeconds(10).toNanos();
        Thread.sleep(100);
        transactions.clear();

        engine.wakeUpAfterCommit(beforeTheLook);
        Thread.sleep(300);
        assertThat(transactions).isEmpty();

        engine.wakeUpAfterCommit(System.nanoTime());
        eventually(() -> !transactions.isEmpty());
    }

    @Test
    void aCheckpointMovedSinceTheLastBatchIsReadFromWhereItIs() throws Exception {
        MovedBack moved = moveCheckpointBackThenAppend(CheckpointGuard.FENCED);

        assertThat(moved.appliedSince()).containsExactlyElementsOf(moved.written());
    }

    @Test
    void trustingWhereTheLastBatchLeftTheCheckpointWouldSkipWhatItWasMovedBackOver() throws Exception {
        MovedBack moved = moveCheckpointBackThenAppend(BrokenGuards.IGNORING_WHERE_A_READ_AHEAD_FOLLOWS_ON);

        assertThat(moved.appliedSince()).containsExactly(moved.written().getLast());
    }

    /**
     * The move that commits a batch is the guard of last resort: if it finds the checkpoint elsewhere than where the
     * batch started, the views written before it must not commit (a plain update and commit would commit them).
     */
    @Test
    void aMoveThatFindsTheCheckpointElsewhereCommitsNothingOfTheBatch() throws Exception {
        DSLContext dsl = DSL.using(db.dataSource, SQLDialect.POSTGRES);
        db.execute("CREATE TABLE public.written_by_batch (batch text)");
        Lease lease = dsl.transactionResult(configuration -> {
            Checkpoints.register(configuration.dsl(), "views");
            long generation = Checkpoints.acquireLease(
                            configuration.dsl(), "views", "owner", "instance", Duration.ofMinutes(1))
                    .orElseThrow();
            return new Lease("views", "owner", generation, Duration.ofMinutes(1));
        });

        assertThat(batchMovingTheCheckpoint(dsl, lease, "elsewhere", new Checkpoint(7, 7)))
                .isFalse();
        assertThat(batchMovingTheCheckpoint(dsl, lease, "where it is", Checkpoint.START))
                .isTrue();

        assertThat(ProjectionTestDatabase.query(
                        db.dataSource, "SELECT batch FROM public.written_by_batch", null, row -> row.getString(1)))
                .containsExactly("where it is");
        assertThat(db.status("views").checkpoint()).isEqualTo(new Checkpoint(8, 8));
    }

    /** A batch that writes a row and then moves the checkpoint from {@code from} and commits; whether it moved. */
    private static boolean batchMovingTheCheckpoint(DSLContext dsl, Lease lease, String batch, Checkpoint from) {
        try {
            return dsl.transactionResult(configuration -> {
                configuration.dsl().execute("INSERT INTO public.written_by_batch VALUES (?)", batch);
                if (!Checkpoints.advanceLeasedAndCommit(configuration.dsl(), lease, from, new Checkpoint(8, 8))) {
                    throw new IllegalStateException("not moved");
                }
                return true;
            });
        } catch (IllegalStateException notMoved) {
            return false;
        }
    }

    private record MovedBack(List<UUID> written, List<UUID> appliedSince) {}

    /**
     * Three events applied, the checkpoint moved back to the start while the runner idles (as an operator replays
     * a projection), one event more: all four should be applied again, in order.
     */
    private MovedBack moveCheckpointBackThenAppend(CheckpointGuard guard) throws Exception {
        engine(guard).start();
        List<UUID> written = new ArrayList<>(db.appendEvents("before", 3));
        eventually(() -> db.applied("views").size() == 3);
        db.execute("UPDATE eventstore.projections SET (checkpoint_tx, checkpoint_position) = ('0', 0)"
                + " WHERE name = 'views'");

        written.addAll(db.appendEvents("after", 1));
        eventually(() -> db.applied("views").getLast().equals(written.getLast()));
        List<UUID> applied = db.applied("views");
        return new MovedBack(written, applied.subList(3, applied.size()));
    }

    private ProjectionEngine engine(CheckpointGuard guard) {
        return engine(guard, new RecordingProjection("views"));
    }

    private ProjectionEngine engine(CheckpointGuard guard, RecordingProjection projection) {
        return db.engine(new ProjectionEngine(
                ObservedConnections.of(db.dataSource, this::note),
                List.of(projection),
                settings().withPollInterval(Duration.ofMinutes(5)),
                ProjectionObserver.NONE,
                guard));
    }

    /** The runner's transaction that applied an event, as the statements it prepared and its commit. */
    private List<String> transactionThatApplied() {
        synchronized (transactions) {
            return transactions.stream()
                    .filter(transaction -> transaction.stream().anyMatch(statement -> statement.startsWith("apply")))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Notes what the runner's thread prepares and commits, transaction by transaction. */
    private synchronized void note(String method, Object[] args) {
        if (!Thread.currentThread().getName().equals(RUNNER_THREAD)) {
            return;
        }
        if (method.equals("prepareStatement") || method.equals("createStatement")) {
            current.add(args == null ? method : label((String) args[0]));
        } else if (method.equals("getTransactionIsolation")) {
            current.add("read isolation"); // a round trip of its own with PostgreSQL's driver
        } else if (method.equals("commit") || method.equals("rollback")) {
            current.add(method);
            transactions.add(List.copyOf(current));
            current.clear();
        }
    }

    private static String label(String sql) {
        String lower = sql.toLowerCase();
        if (lower.contains("set_config") && lower.contains("for update") && lower.contains("pg_snapshot_xmin")) {
            return "limits + lock + read";
        }
        boolean moves = lower.contains("update") && lower.contains("projections");
        if (lower.contains("public.applied")) {
            return moves && lower.endsWith("; commit") ? "apply + advance checkpoint + commit" : "apply";
        }
        if (moves) {
            return lower.endsWith("; commit") ? "advance checkpoint + commit" : "advance checkpoint";
        }
        return sql;
    }
}
