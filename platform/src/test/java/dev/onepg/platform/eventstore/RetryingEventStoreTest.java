package dev.onepg.platform.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onepg.eventstore.AppendRequest;
import dev.onepg.eventstore.AppendResult;
import dev.onepg.eventstore.Checkpoint;
import dev.onepg.eventstore.EventStore;
import dev.onepg.eventstore.ExpectedVersion;
import dev.onepg.eventstore.NewEvent;
import dev.onepg.eventstore.RecordedEvent;
import dev.onepg.eventstore.StreamId;
import dev.onepg.eventstore.StreamQuery;
import dev.onepg.eventstore.WrongExpectedVersion;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryingEventStoreTest {

    private static final StreamId STREAM = StreamId.of("thing", "retried");
    private static final AppendRequest REQUEST =
            AppendRequest.of(STREAM, ExpectedVersion.any(), List.of(NewEvent.of(UUID.randomUUID(), "Happened", "{}")));
    private static final AppendResult STORED = new AppendResult(
            STREAM,
            List.of(new AppendResult.Appended(REQUEST.events().getFirst().eventId(), 1, 7)));

    @Test
    void triesAnAppendAgainAfterAPassingFailure() {
        FailingStore store = new FailingStore(2, () -> deadlock());

        AppendResult result = new RetryingEventStore(store, 4, Duration.ofMillis(1)).append(REQUEST);

        assertThat(result).isEqualTo(STORED);
        assertThat(store.calls.get()).isEqualTo(3);
    }

    @Test
    void answersAsStoredTheReplayOfATryWhoseAnswerWasLost() {
        FailingStore store = new FailingStore(1, () -> deadlock(), STORED.asReplay());

        AppendResult result = new RetryingEventStore(store, 4, Duration.ofMillis(1)).append(REQUEST);

        assertThat(result.replayed()).isFalse();
        assertThat(result.events()).isEqualTo(STORED.events());
    }

    @Test
    void passesOnAReplayWhenNoTryFailed() {
        FailingStore store = new FailingStore(0, () -> deadlock(), STORED.asReplay());

        assertThat(new RetryingEventStore(store, 4, Duration.ofMillis(1))
                        .append(REQUEST)
                        .replayed())
                .isTrue();
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        FailingStore store = new FailingStore(10, () -> deadlock());

        assertThatThrownBy(() -> new RetryingEventStore(store, 4, Duration.ofMillis(1)).append(REQUEST))
                .hasRootCauseMessage("deadlock detected");
        assertThat(store.calls.get()).isEqualTo(4);
    }

    @Test
    void neverRepeatsARefusalOrABug() {
        FailingStore refused =
                new FailingStore(10, () -> new WrongExpectedVersion(STREAM, ExpectedVersion.exactly(3), 4));
        FailingStore bug = new FailingStore(10, () -> new IllegalStateException("bug"));

        assertThatThrownBy(() -> new RetryingEventStore(refused, 4, Duration.ofMillis(1)).append(REQUEST))
                .isInstanceOf(WrongExpectedVersion.class);
        assertThatThrownBy(() -> new RetryingEventStore(bug, 4, Duration.ofMillis(1)).append(REQUEST))
                .isInstanceOf(IllegalStateException.class);
        assertThat(refused.calls.get()).isEqualTo(1);
        assertThat(bug.calls.get()).isEqualTo(1);
    }

    private static RuntimeException deadlock() {
        return new org.jooq.exception.DataAccessException(
                "SQL [insert]; deadlock detected", new SQLException("deadlock detected", "40P01"));
    }

    /** Fails the first {@code failures} appends, then stores. */
    private static final class FailingStore implements EventStore {

        final AtomicInteger calls = new AtomicInteger();
        private final int failures;
        private final Supplier<RuntimeException> failure;

        private final AppendResult answer;

        FailingStore(int failures, Supplier<RuntimeException> failure) {
            this(failures, failure, STORED);
        }

        FailingStore(int failures, Supplier<RuntimeException> failure, AppendResult answer) {
            this.failures = failures;
            this.failure = failure;
            this.answer = answer;
        }

        @Override
        public AppendResult append(AppendRequest request) {
            if (calls.incrementAndGet() <= failures) {
                throw failure.get();
            }
            return answer;
        }

        @Override
        public List<RecordedEvent> read(StreamId stream, StreamQuery query) {
            return List.of();
        }

        @Override
        public long currentVersion(StreamId stream) {
            return 0;
        }

        @Override
        public List<RecordedEvent> readAfter(Checkpoint checkpoint, int limit) {
            return List.of();
        }
    }
}
