package dev.onepg.eventstore.postgres.projection;

import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A projection for tests: writes one row per applied event into {@code public.applied}, so that a test can see
 * which events were applied, how often, in which order and by which runner. Events whose payload marks them as
 * poison fail while poison is on. A test can slow it down, or hold it inside its transaction.
 */
final class RecordingProjection implements Projection {

    static final String POISON = "{\"poison\": true}";

    /** The table every recording projection writes to; create it in each test database. */
    static final String TABLE =
            "CREATE TABLE public.applied (id bigserial, projection text, event_id uuid, position bigint, runner text)";

    private final String name;
    private final @Nullable String runner;
    private final AtomicBoolean poisonFails = new AtomicBoolean(true);
    private volatile Duration delayPerEvent = Duration.ZERO;
    private volatile boolean writesWithCommit;
    private final AtomicReference<@Nullable Hold> hold = new AtomicReference<>();

    RecordingProjection(String name) {
        this(name, null);
    }

    RecordingProjection(String name, @Nullable String runner) {
        this.name = name;
        this.runner = runner;
    }

    RecordingProjection slowedDownBy(Duration delayPerEvent) {
        this.delayPerEvent = delayPerEvent;
        return this;
    }

    /** Leaves each row to {@link ProjectionTransaction#writeWithCommit} instead of writing it at once. */
    RecordingProjection writingWithCommit() {
        this.writesWithCommit = true;
        return this;
    }

    /** Makes the next call wait inside the runner's transaction until {@link Hold#release()}. */
    Hold holdNextApply() {
        Hold next = new Hold();
        hold.set(next);
        return next;
    }

    /** A runner held inside its batch transaction. */
    static final class Hold {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        boolean awaitReached(Duration patience) throws InterruptedException {
            return reached.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        }

        void release() {
            released.countDown();
        }
    }

    void curePoison() {
        poisonFails.set(false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("Happened");
    }

    @Override
    public void apply(RecordedEvent event, ProjectionTransaction transaction)
            throws SQLException, InterruptedException {
        Hold held = hold.getAndSet(null);
        if (held != null) {
            held.reached.countDown();
            held.released.await();
        }
        if (!delayPerEvent.isZero()) {
            Thread.sleep(delayPerEvent);
        }
        String insert = "INSERT INTO public.applied (projection, event_id, position, runner) VALUES (?, ?, ?, ?)";
        ProjectionTransaction.Parameters row = (statement, first) -> {
            statement.setString(first, name);
            statement.setObject(first + 1, event.eventId());
            statement.setLong(first + 2, event.position());
            statement.setString(first + 3, runner);
            return first + 4;
        };
        if (writesWithCommit) {
            transaction.writeWithCommit(insert, row);
        } else {
            try (PreparedStatement statement = transaction.connection().prepareStatement(insert)) {
                row.bind(statement, 1);
                statement.executeUpdate();
            }
        }
        if (poisonFails.get() && event.payload().contains("\"poison\"")) {
            throw new IllegalStateException("poisoned event " + event.eventId());
        }
    }
}
