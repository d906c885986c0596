package dev.onepg.eventstore.postgres;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Combines concurrent one-event appends with numeric expected versions into one statement per round trip.
 *
 * <p>At most {@code statements} statements run at once. An append that finds a free slot runs at once with
 * whatever waits in the queue (alone, as a plain insert, when nothing waits, so a single appender never waits for
 * anybody); otherwise it queues, and the next statement to start takes it along. The statement inserts each row with
 * {@code ON CONFLICT (stream_type, stream_id, version) DO NOTHING} and only if its expected version is stored, so a
 * row whose version is taken (a stale expectation, a replay) or whose expectation is ahead of the stream leaves the
 * others alone; its append is not answered here but handed back to its own thread, which runs the ordinary append
 * path and so gets its own outcome (a replay's original result, a conflict). A row whose event id is taken fails the
 * whole statement, and every append of it goes its own way (where a reused id gets its duplicate error). All
 * rows of a statement commit together, in one transaction; each append is answered only after that commit.
 *
 * <p>A statement that hangs (a row lock held by a long transaction, a connection whose peer went silent) holds only
 * its own appends: when no statement has started or finished for {@link #STALLED_AFTER}, the oldest waiting append
 * starts one more, beyond the limit, with whatever waits; the extra slot closes when the queue is empty again. A
 * watcher thread, running while anything waits, looks for that every {@link #WATCH_EVERY}; the appends themselves
 * wait untimed, because a timed wait of a virtual thread sets and cancels a timer on a scheduler thread of its own,
 * and on every append that came to a tenth of the service's CPU.
 */
final class AppendCombiner {

    // The expected version is probed per row with a scalar subquery on the unique (stream, version) index, unless the
    // store has seen it stored (e.seen; OR evaluates its arms in order and stops at the first true). Not with
    // EXISTS: PostgreSQL may plan an EXISTS as a hashed subplan, and a generic plan made while the table looked
    // small then reads and hashes the whole table on every execution, a little slower with each event stored (a
    // benchmark run fell to a seventh of its rate). A scalar subquery is never hashed and never becomes a join.
    // ON CONFLICT names the (stream, version) index alone: PostgreSQL looks each row up in every arbiter index before
    // it inserts it, and without a target that is every unique index, the position's included. A row whose event id
    // is taken fails the whole statement instead, and every append of it goes its own way.
    static final String INSERT = "INSERT INTO eventstore.events (event_id, stream_type, stream_id, version,"
            + " event_type, schema_version, payload, actor, correlation_id, causation_id, headers)"
            + " SELECT e.event_id, e.stream_type, e.stream_id, e.expected + 1, e.event_type, e.schema_version,"
            + " e.payload::jsonb, e.actor, e.correlation_id, e.causation_id, e.headers::jsonb"
            + " FROM unnest(" + EventArrays.UNNEST_TYPES + ", ?::text[], ?::text[], ?::int8[], ?::bool[])"
            + " WITH ORDINALITY AS e(" + EventArrays.COLUMNS + ", stream_type, stream_id, expected, seen, ordinal)"
            + " WHERE e.expected = 0 OR e.seen OR (SELECT true FROM eventstore.events p WHERE p.stream_type = e.stream_type"
            + " AND p.stream_id = e.stream_id AND p.version = e.expected)"
            + " ORDER BY e.ordinal ON CONFLICT (stream_type, stream_id, version) DO NOTHING"
            + " RETURNING event_id, position";

    // Rows in stream order, so that two combined statements wait for each other's rows in one order, never in a
    // cycle.
    private static final Comparator<Pending> BY_STREAM = Comparator.comparing(
                    (Pending p) -> p.request.stream().type())
            .thenComparing(p -> p.request.stream().id());

    /** How long the slots may go without a statement starting or finishing before a waiting append opens another. */
    static final Duration STALLED_AFTER = Duration.ofMillis(500);

    private static final long STALLED_AFTER_NANOS = STALLED_AFTER.toNanos();

    /** How often the watcher looks for a stall while appends wait. */
    static final Duration WATCH_EVERY = STALLED_AFTER.dividedBy(5);

    private final DataSource dataSource;
    private final SeenVersions seen;
    private final int statements;
    private final int maxRows;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int running;
    private boolean watched;
    private volatile long lastProgress = System.nanoTime();

    AppendCombiner(DataSource dataSource, SeenVersions seen, int statements, int maxRows) {
        if (statements < 1 || maxRows < 1) {
            throw new IllegalArgumentException("a combiner needs at least one statement of at least one row");
        }
        this.dataSource = dataSource;
        this.seen = seen;
        this.statements = statements;
        this.maxRows = maxRows;
    }

    /** Whether the request can be combined: one event, a numeric expected version, no unique keys. */
    static boolean accepts(AppendRequest request) {
        return request.events().size() == 1
                && request.claims().isEmpty()
                && request.releases().isEmpty()
                && (request.expectedVersion() instanceof ExpectedVersion.Exactly
                        || request.expectedVersion() instanceof ExpectedVersion.NoStream);
    }

    /**
     * The stored result, or {@code null} when the caller must append on its own: when it ran alone, or when its
     * row was not stored by the combined statement (a conflict, a missing expected version, a failure).
     */
    /** An append this combiner stored; {@code committedBy} as {@link AppendObserver#appended} has it. */
    record Stored(AppendResult result, long committedBy) {}

    @Nullable
    Stored append(AppendRequest request) {
        Pending self = new Pending(request, Thread.currentThread());
        List<Pending> batch;
        lock.lock();
        try {
            if (running < statements) {
                running++;
                batch = takeWith(self);
            } else {
                if (!watched) {
                    Thread.ofPlatform()
                            .daemon()
                            .name("onepg-append-stall-watch")
                            .start(this::watchForStalls);
                    watched = true;
                }
                queue.add(self);
                batch = null;
            }
        } finally {
            lock.unlock();
        }
        if (batch == null) {
            batch = awaitTurn(self);
            if (batch == null) {
                return self.stored();
            }
        }
        try {
            if (batch.size() > 1) {
                insert(batch);
            } else {
                insertAlone(self);
            }
        } finally {
            for (Pending pending : batch) {
                if (pending != self) {
                    pending.finish();
                }
            }
            handOver();
        }
        return self.stored();
    }

    /**
     * Waits until the append is answered ({@code null}) or leads a statement (its batch), when a finishing statement
     * or the watcher hands it a slot. An interrupt does not end the wait, since a statement may already carry the
     * append: it is kept for the caller.
     */
    private @Nullable List<Pending> awaitTurn(Pending self) {
        boolean interrupted = false;
        try {
            while (true) {
                State state = self.state;
                if (state == State.DONE) {
                    return null;
                }
                if (state == State.LEAD) {
                    // The appends the last statement just answered are about to come back with their next ones; on a
                    // busy machine a yield lets them queue up first and go in this statement rather than the next.
                    Thread.yield();
                    lock.lock();
                    try {
                        return takeWith(self);
                    } finally {
                        lock.unlock();
                    }
                }
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The watcher: while appends wait, lets the first in line start one more statement whenever the slots stalled.
     * Ends when the queue is empty.
     */
    private void watchForStalls() {
        while (true) {
            LockSupport.parkNanos(WATCH_EVERY.toNanos());
            lock.lock();
            try {
                if (queue.isEmpty()) {
                    watched = false;
                    return;
                }
                if (System.nanoTime() - lastProgress >= STALLED_AFTER_NANOS) {
                    // Only from the queue: an append a statement already took along waits for that statement.
                    lastProgress = System.nanoTime();
                    running++;
                    queue.poll().lead();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: the batch a statement starting now takes along. */
    private List<Pending> takeWith(Pending self) {
        lastProgress = System.nanoTime();
        List<Pending> batch = new ArrayList<>(Math.min(maxRows, queue.size() + 1));
        batch.add(self);
        while (batch.size() < maxRows && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    /** Lets the oldest waiting append lead the next statement, or frees the slot. */
    private void handOver() {
        lock.lock();
        try {
            lastProgress = System.nanoTime();
            Pending next = queue.poll();
            if (next == null) {
                running--;
            } else {
                next.lead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The plain insert of one append, holding its slot, so that appends arriving meanwhile queue up. */
    private void insertAlone(Pending self) {
        try (Connection connection = dataSource.getConnection()) {
            self.result = JdbcTransactions.inTransaction(
                    connection,
                    true,
                    transaction -> KnownVersionInsert.insert(
                            transaction,
                            self.request,
                            expected(self.request),
                            seen.stored(self.request.stream(), expected(self.request))));
            self.committedBy = System.nanoTime();
        } catch (SQLException | RuntimeException e) {
            // A conflict or a failure (or no connection): the append goes its own way, which tells them apart.
        }
    }

    private static long expected(AppendRequest request) {
        return request.expectedVersion() instanceof ExpectedVersion.Exactly exactly ? exactly.version() : 0L;
    }

    private void insert(List<Pending> batch) {
        batch.sort(BY_STREAM);
        // The same event id twice in one statement would be stored once and answered twice: the later ones
        // append on their own instead.
        Map<UUID, Pending> byId = new HashMap<>();
        List<Pending> rows = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (byId.putIfAbsent(pending.request.events().getFirst().eventId(), pending) == null) {
                rows.add(pending);
            }
        }
        int size = rows.size();
        EventArrays events = new EventArrays(size);
        String[] streamTypes = new String[size];
        String[] streamIds = new String[size];
        Long[] expected = new Long[size];
        Boolean[] expectedSeen = new Boolean[size];
        for (int i = 0; i < size; i++) {
            AppendRequest request = rows.get(i).request;
            events.set(i, request.events().getFirst());
            streamTypes[i] = request.stream().type();
            streamIds[i] = request.stream().id();
            expected[i] = expected(request);
            expectedSeen[i] = seen.stored(request.stream(), expected[i]);
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<Pending, AppendResult> stored = JdbcTransactions.inTransaction(connection, true, transaction -> {
                try (PreparedStatement insert = transaction.prepareStatement(INSERT)) {
                    int next = events.bind(insert, 1);
                    insert.setArray(next, transaction.createArrayOf("text", streamTypes));
                    insert.setArray(next + 1, transaction.createArrayOf("text", streamIds));
                    insert.setArray(next + 2, transaction.createArrayOf("int8", expected));
                    insert.setArray(next + 3, transaction.createArrayOf("bool", expectedSeen));
                    Map<Pending, AppendResult> results = new HashMap<>();
                    try (ResultSet returned = insert.executeQuery()) {
                        while (returned.next()) {
                            Pending pending = byId.get(returned.getObject(1, UUID.class));
                            NewEvent event = pending.request.events().getFirst();
                            long version = expected(pending.request) + 1;
                            results.put(
                                    pending,
                                    new AppendResult(
                                            pending.request.stream(),
                                            List.of(new AppendResult.Appended(
                                                    event.eventId(), version, returned.getLong(2)))));
                        }
                    }
                    return results;
                }
            });
            long committedBy = System.nanoTime();
            stored.forEach((pending, result) -> {
                pending.result = result;
                pending.committedBy = committedBy;
            });
        } catch (SQLException | RuntimeException e) {
            // Nothing of the statement is stored (or there was no connection): every append of it goes its own
            // way and meets any failure there.
        }
    }

    private enum State {
        QUEUED,
        LEAD,
        DONE
    }

    /** One append waiting to be combined. */
    private static final class Pending {

        final AppendRequest request;
        final Thread thread;
        volatile State state = State.QUEUED;
        volatile @Nullable AppendResult result;
        volatile long committedBy;

        Pending(AppendRequest request, Thread thread) {
            this.request = request;
            this.thread = thread;
        }

        @Nullable
        Stored stored() {
            AppendResult stored = result;
            return stored == null ? null : new Stored(stored, committedBy);
        }

        void finish() {
            state = State.DONE;
            LockSupport.unpark(thread);
        }

        void lead() {
            state = State.LEAD;
            LockSupport.unpark(thread);
        }
    }
}
