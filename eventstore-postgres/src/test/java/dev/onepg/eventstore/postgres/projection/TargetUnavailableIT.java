package dev.onepg.eventstore.postgres.projection;

import static dev.onepg.eventstore.postgres.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.Projection;
import dev.onepg.eventstore.ProjectionTargetUnavailable;
import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.postgres.PostgresEventStore;
import dev.onepg.eventstore.postgres.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A projection whose target outside the database is down is held back for as long as it takes, not stopped at
 * an event like a projection that fails on one.
 */
class TargetUnavailableIT {

    private static final int MAX_ATTEMPTS = 3;

    private final HikariDataSource dataSource = TestDatabases.dataSource(TestDatabases.create(), 10);
    private final PostgresEventStore store = new PostgresEventStore(dataSource);
    private ProjectionEngine engine;

    @AfterEach
    void close() {
        engine.close();
        dataSource.close();
    }

    @Test
    void anUnavailableTargetHoldsTheProjectionBackBeyondMaxAttemptsAndLosesNothing() throws Exception {
        Target target = new Target(ProjectionTargetUnavailable::new);
        start(target);
        List<UUID> written = append(5);

        eventually(() -> target.attempts.get() > 2 * MAX_ATTEMPTS);
        assertThat(engine.status("target").orElseThrow().state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(engine.status("target").orElseThrow().checkpoint()).isEqualTo(Checkpoint.START);

        target.up.set(true);

        // The target sees the events inside the runner's transaction, so the checkpoint commits a moment later.
        eventually(() -> engine.lag("target").events() == 0);
        assertThat(target.received).containsExactlyElementsOf(written);
    }

    @Test
    void theSameTargetFailingWithAnyOtherErrorStopsTheProjectionAtTheFirstEvent() throws Exception {
        Target target = new Target((message, cause) -> new IllegalStateException(message, cause));
        start(target);
        List<UUID> written = append(5);

        eventually(() -> engine.status("target").orElseThrow().state() == ProjectionState.FAILED);

        assertThat(engine.status("target").orElseThrow().failedEventId()).isEqualTo(written.getFirst());
        assertThat(target.received).isEmpty();
    }

    private void start(Projection projection) {
        engine = new ProjectionEngine(
                dataSource,
                List.of(projection),
                ProjectionSettings.defaults()
                        .withPollInterval(Duration.ofMillis(100))
                        .withRetries(MAX_ATTEMPTS, Duration.ofMillis(10)));
        engine.start();
    }

    private List<UUID> append(int events) {
        List<UUID> ids = new CopyOnWriteArrayList<>();
        StreamId stream = StreamId.of("thing", UUID.randomUUID());
        for (int i = 0; i < events; i++) {
            UUID id = UUID.randomUUID();
            store.append(stream, ExpectedVersion.exactly(i), List.of(NewEvent.of(id, "Happened", "{}")));
            ids.add(id);
        }
        return ids;
    }

    /** Stands for a broker: refuses every batch until it is up, with the error the test chooses. */
    private static final class Target implements Projection {

        private final ErrorFactory error;
        final AtomicBoolean up = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        final List<UUID> received = new CopyOnWriteArrayList<>();

        Target(ErrorFactory error) {
            this.error = error;
        }

        @Override
        public String name() {
            return "target";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("Happened");
        }

        @Override
        public void apply(RecordedEvent event, ProjectionTransaction transaction) throws Exception {
            apply(List.of(event), transaction);
        }

        @Override
        public void apply(List<RecordedEvent> events, ProjectionTransaction transaction) throws Exception {
            attempts.incrementAndGet();
            if (!up.get()) {
                throw error.create("the target is down", new java.io.IOException("connection refused"));
            }
            events.forEach(event -> received.add(event.eventId()));
        }
    }

    @FunctionalInterface
    private interface ErrorFactory {
        Exception create(String message, Throwable cause);
    }
}
